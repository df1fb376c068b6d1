"""The JSON API v1 under /api/v1: flask-smorest views on marshmallow schemas, personal bearer tokens, one error
envelope, OpenAPI at /api/v1/openapi.json and a self-contained docs page at /api/v1/docs."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from admin.api import docs, errors
from admin.api.core import PREFIX
from admin.api.resources import accounts, audit, decisions, evaluate, evaluations, meta, org, rules
from admin.api.schemas.common import ErrorSchema
from admin.extensions import csrf

BLUEPRINTS = (meta.blp, org.blp, accounts.blp, rules.blp, evaluate.blp, evaluations.blp, decisions.blp, audit.blp)
DESCRIPTION = """API JSON Kinerja v1 / the Kinerja JSON API v1.

Otentikasi / authentication: `Authorization: Bearer <token>` (token pribadi dibuat di konsol, menu *Token API*;
a personal token created in the console). Every error has one shape: `{"error": {"code", "message": {"id", "en"},
"lang", "fields"}}`. Lists take `page` and `per_page` (max 100). Evaluations carry an `ETag`; every change to an
evaluation needs `If-Match` with it (428 without, 412 when stale). Bodies are limited to 1 MiB (imports 5 MiB): 413.
"""


class KinerjaApi(Api):
    """flask-smorest's Api without its app-wide HTTP error handler (the console keeps its HTML error pages); the
    API's blueprints carry their own handlers, and the documented error schema is the API's envelope."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        return None

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Register an ApiBlueprint and document its views under the blueprint's tag."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        blp.register_views_in_doc(self, self._app, self.spec, name=name, parameters=parameters)
        self.spec.tag({"name": blp.tag, "description": blp.description})


def init_app(app: Flask) -> Api:
    """Register the API on the app."""
    app.config.update({
        "API_TITLE": "Kinerja API", "API_VERSION": "v1", "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": PREFIX, "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {"info": {"description": DESCRIPTION}, "security": [{"bearerAuth": []}],
                             "servers": [{"url": "/", "description": "this server"}]},
    })
    api = KinerjaApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer",
                                                       "description": "personal API token (knj_...)"})
    for blueprint in BLUEPRINTS:
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    docs.init_app(app, api)
    errors.init_app(app, PREFIX)
    return api
