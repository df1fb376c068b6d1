"""The Flask-Admin console: theme, translations, home page and views."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from admin.console.home import HomeView
from admin.console.masterdata import add_views

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def init_app(app: Flask) -> Admin:
    """Create the console on `app`."""
    console = Admin(app, name="Kinerja", url="/admin", index_view=HomeView(name="Beranda", url="/admin"),
                    theme=Bootstrap4Theme(swatch="default", fluid=True),  # "default" loads no web fonts
                    translations_path=str(TRANSLATIONS))
    add_views(console)
    return console
