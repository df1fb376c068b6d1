"""The Flask-Admin console: theme, translations, home page and views."""
from __future__ import annotations

from pathlib import Path

import flask_admin.babel
from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from admin.console import accounts
from admin.console import audit_views
from admin.console import lifecycle_views
from admin.console import public_views
from admin.console import tokens
from admin.console.home import HomeView
from admin.console.text import lazy
from admin.console.masterdata import add_views
from admin.console.rules_view import add_rules_view

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


class _OursLastDomain(type(flask_admin.babel.domain)):
    """flask-admin's translation domain with our catalog merged last.

    flask-babel 4.0.0 merges catalogs in order and an empty one (flask-admin ships no `id`) resets the plural rule,
    so plural messages fell back to English (fixed upstream in python-babel/flask-babel#241, not released).
    """

    @property
    def translation_directories(self) -> list[str]:
        return list(reversed(super().translation_directories))


flask_admin.babel.domain.__class__ = _OursLastDomain


def init_app(app: Flask) -> Admin:
    """Create the console on `app`."""
    console = Admin(app, name="Kinerja", url="/admin", index_view=HomeView(name=lazy("menu.home"), url="/admin"),
                    theme=Bootstrap4Theme(swatch="default", fluid=True),  # "default" loads no web fonts
                    translations_path=str(TRANSLATIONS))
    add_views(console)
    add_rules_view(console)
    audit_views.add_views(console)
    public_views.add_views(console)
    tokens.add_views(console)
    accounts.add_views(console)
    lifecycle_views.add_views(console)
    return console
