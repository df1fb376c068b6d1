"""The one error mapping of the web layer: kernel errors and HTTP errors to pages or JSON envelopes."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from admin.extensions import db
from admin.i18n import TEXT, current_language, t
from engine.runtime.errors import Conflict, EngineError, NotAllowed, NotFound, ValidationFailed

STATUS = {NotAllowed: 403, NotFound: 404, ValidationFailed: 422, Conflict: 409}
_PAGES = {400, 403, 404, 409, 413, 500}


def status_of(error: EngineError) -> int:
    """HTTP status for a kernel error."""
    for cls, code in STATUS.items():
        if isinstance(error, cls):
            return code
    return 422


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def envelope(code: str, message_id: str, message_en: str, fields: dict | None = None) -> dict:
    """The API's error envelope: code, message in both languages, field errors."""
    return {"error": {"code": code, "message": {"id": message_id, "en": message_en},
                      "lang": current_language(), "fields": fields or {}}}


def cleans_control_characters(view):
    """Mark a view that drops control characters from its input itself (the public survey's comment: a citizen's
    pasted text is kept, cleaned), so NUL characters are not refused before it."""
    view.cleans_control_characters = True
    return view


def _nul_field() -> str | None:
    """The first query or form field whose name or value holds a NUL character (PostgreSQL refuses them in text)."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                return key.replace("\x00", "")
    return None


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.before_request
    def _refuse_nul():
        # the API's fields refuse NUL themselves, naming the field in its envelope (admin/api/fields.py)
        view = app.view_functions.get(request.endpoint or "")
        if _wants_json() or getattr(view, "cleans_control_characters", False):
            return None
        field = _nul_field()
        if field is None:
            return None
        return render_template("errors/error.html", code=400, title=t("error.400"),
                               text=t("error.nul", field=field or "?")), 400

    @app.errorhandler(EngineError)
    def _engine_error(error: EngineError):
        status = status_of(error)
        if _wants_json():
            fields = {p.path: [p.as_dict()["message"]] for p in error.problems}
            return jsonify(envelope(error.code, error.message_id, error.message_en, fields)), status
        key = status if status in _PAGES else 400
        return render_template("errors/error.html", code=status, title=t(f"error.{key}"),
                               text=error.message(current_language())), status

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        if _wants_json():
            return jsonify(envelope(f"http_{status}", error.name, error.name)), status
        if status not in _PAGES:
            return error
        return render_template("errors/error.html", code=status, title=t(f"error.{status}"),
                               text=t(f"error.{status}.text")), status

    def _database_refused(status: int, code: str, title: str, text: str):
        # the session is unusable until rolled back, and the page itself reads the user (their language) through it
        db.session.rollback()
        if _wants_json():
            return jsonify(envelope(code, *TEXT[text])), status
        return render_template("errors/error.html", code=status, title=t(title), text=t(text)), status

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def _conflict(error: Exception):
        # a unique key or a concurrent change the services did not foresee (two people saving at once)
        app.logger.info("conflict: %s", error)
        return _database_refused(409, "conflict", "error.409", "error.409.text")

    @app.errorhandler(DataError)
    def _refused_value(error: Exception):
        # a value too long for its column, or out of range, that no check caught: PostgreSQL enforces lengths,
        # SQLite does not; nothing of the request is stored
        app.logger.warning("value refused by the database: %s", error)
        return _database_refused(422, "invalid", "error.400", "error.data.text")

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()  # the error page reads the user through the session: never through a broken one
        app.logger.exception("unexpected error")
        if _wants_json():
            return jsonify(envelope("internal", t("error.500.text"), "The error was logged.")), 500
        return render_template("errors/error.html", code=500, title=t("error.500"), text=t("error.500.text")), 500
