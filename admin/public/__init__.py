"""The public pages, served without login under /publik: the opt-in performance report of a daerah and year (HTML,
CSV, printable) and the citizen satisfaction form per unit kerja."""
from __future__ import annotations

from flask import Flask

from admin.public import text  # noqa: F401 (registers the texts)
from admin.public.views import bp


def init_app(app: Flask) -> None:
    """Register the public blueprint (its form posts carry a CSRF token like every other form)."""
    app.register_blueprint(bp)
