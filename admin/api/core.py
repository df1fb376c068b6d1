"""What every API blueprint shares: bearer-token authentication, the body size limit, one commit or rollback per
request, pagination and ETags.

Tokens only: a session cookie never authenticates an API request (so CSRF does not apply and the blueprints are
exempt from it).
"""
from __future__ import annotations

import math

import flask_smorest
import marshmallow as ma
from flask import current_app, g, request
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from flask_smorest import abort
from webargs.core import missing
from webargs.flaskparser import is_json_request
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import PreconditionFailed, PreconditionRequired

from admin.api.errors import conflict_error, register_handlers
from admin.extensions import db
from engine.api_tokens import TokenRejected, authenticate_token
from engine.audit import set_actor
from engine.identity import User
from engine.runtime.json_data import loads_strict

PREFIX = "/api/v1"
MAX_BODY = 1024 * 1024            #: JSON bodies
MAX_UPLOAD = 5 * 1024 * 1024      #: file imports (the endpoints listed in UPLOADS)
UPLOADS: set[str] = set()


class StrictParser(FlaskParser):
    """webargs parser rejecting unknown query parameters too (a misspelt filter must not silently list all)."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.RAISE,
                                   "querystring": ma.RAISE}

    def _raw_load_json(self, req):
        """The JSON body read strictly: a key given twice and nesting past Python's stack are invalid JSON."""
        if not is_json_request(req):
            return missing
        return loads_strict(req.get_data(cache=True).decode("utf-8"))  # webargs answers a UnicodeDecodeError

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        """400 naming what is wrong with the body (webargs says only "Invalid JSON body.")."""
        reason = getattr(error, "msg", None) or str(error)
        abort(400, exc=error, messages={"json": [f"Invalid JSON body: {reason}."]})


def authenticate() -> None:
    """Before each API request: set the body limit, then require a usable bearer token and act as its user."""
    request.max_content_length = MAX_UPLOAD if request.endpoint in UPLOADS else MAX_BODY
    if request.method == "OPTIONS":
        return
    scheme, _, raw = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise TokenRejected("Token API wajib: kirim header 'Authorization: Bearer <token>' (buat token di konsol, "
                            "menu Token API).", "An API token is required: send 'Authorization: Bearer <token>' "
                            "(create one in the console, API tokens menu).", code="token_required")
    try:
        token = authenticate_token(db.session, raw.strip(), request.remote_addr,
                                   max_failures=current_app.config.get("LOGIN_MAX_FAILURES", 5))
    except TokenRejected:
        db.session.commit()  # the failure counts even though the request fails
        raise
    g.api_token, g.api_user = token, token.user
    set_actor(db.session, token.user)


def finish(response):
    """After each API request: commit when it succeeded, roll back otherwise (once per request)."""
    if response.status_code < 400:
        try:
            db.session.commit()
        except (IntegrityError, StaleDataError) as error:
            db.session.rollback()
            return conflict_error(error)
    else:
        db.session.rollback()
    response.headers.setdefault("Cache-Control", "no-store")
    return response


class ApiBlueprint(flask_smorest.Blueprint):
    """A flask-smorest blueprint under /api/v1 with token authentication, the size limit, the commit rule and the
    API's error envelope."""

    ARGUMENTS_PARSER = StrictParser()

    def __init__(self, tag: str, import_name: str, *, url_prefix: str = "", **kwargs):
        super().__init__(f"api_{tag}", import_name, url_prefix=PREFIX + url_prefix, **kwargs)
        self.tag = tag
        self.before_request(authenticate)
        self.after_request(finish)
        register_handlers(self)

    def route(self, rule, *, parameters=None, tags=None, **options):
        """Register a view; its operations are tagged with the blueprint's tag."""
        return super().route(rule, parameters=parameters, tags=tags or [self.tag], **options)


def actor() -> User:
    """The user the request's token belongs to."""
    return g.api_user


def page_of(query, page: int, per_page: int) -> dict:
    """One page of a SELECT: {items, page, per_page, total, pages}."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": items, "page": page, "per_page": per_page, "total": total,
            "pages": math.ceil(total / per_page) if total else 0}


def etag_of(evaluation) -> str:
    """The strong ETag of an evaluation: its id and version."""
    return f'"ev{evaluation.id}-v{evaluation.version}"'


def require_if_match(evaluation) -> int:
    """The evaluation's version when If-Match names its current ETag (or `*`); 428 without the header, 412 when
    it names an older one."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise PreconditionRequired()
    tags = {t.strip() for t in header.split(",")}
    if "*" in tags or etag_of(evaluation) in tags:
        return evaluation.version
    raise PreconditionFailed()
