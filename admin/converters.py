"""URL converters: an `<int:...>` part of a path only matches an id the database can hold.

Werkzeug's own converter matches any run of digits, so /admin/evaluation/99999999999999999999/ reached the query and
SQLite (OverflowError) or PostgreSQL (integer out of range) failed with a 500. Every id column is INTEGER, which
PostgreSQL holds in 32 bits: a larger number cannot name a row, so the address is simply not found (404). The API's
routes say the same bound explicitly (admin/api/fields.py MAX_INT).
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  #: the largest INTEGER id (PostgreSQL int4)


class DatabaseIdConverter(IntegerConverter):
    """`int` limited to 0..MAX_ID (an explicit max= on a route still wins)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app) -> None:
    """Install the converter as `int`: before any blueprint adds its routes."""
    app.url_map.converters["int"] = DatabaseIdConverter
