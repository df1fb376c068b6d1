"""The application factory."""
from __future__ import annotations

import sys

from flask import Flask
from flask_login import current_user
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from admin import api, auth, cli, console, errors, i18n, models  # noqa: F401 (models: register every table)
from admin import activation, converters, public
from admin.config import load_config
from admin.extensions import babel, csrf, db, login_manager, migrate
from admin.json_provider import OrjsonProvider
from engine.audit import set_actor


class DatabaseUnavailable(SystemExit):
    """The configured database cannot be reached; the message names the URL (password hidden)."""


def check_database(url: str) -> None:
    """Connect once; on failure print one clear line naming the URL and exit."""
    shown = make_url(url).render_as_string(hide_password=True)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as error:  # any driver error: the user needs the URL and the reason, not a trace
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"Kinerja: basis data tidak dapat dihubungi / database unreachable: {shown} ({reason})", file=sys.stderr)
        raise DatabaseUnavailable(2) from None
    finally:
        engine.dispose()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Kinerja application."""
    app = Flask(__name__, instance_relative_config=True)
    converters.init_app(app)
    app.json = OrjsonProvider(app)
    app.config.update(load_config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SKIP_DATABASE_CHECK"):
        check_database(app.config["SQLALCHEMY_DATABASE_URI"])

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.current_language)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    i18n.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(activation.bp)
    console.init_app(app)
    public.init_app(app)
    errors.init_app(app)
    api.init_app(app)
    cli.init_app(app)

    @app.before_request
    def _actor():
        if current_user.is_authenticated:
            set_actor(db.session, current_user)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"
