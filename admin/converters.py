"""URL converters: an `<int:...>` part of a path only matches an id the database can hold.

Werkzeug's own converter matches any run of digits, so /admin/evaluation/99999999999999999999/ reached the query and
SQLite (OverflowError) or PostgreSQL (integer out of range) failed with a 500. Every id column is INTEGER, which
PostgreSQL holds in 32 bits: a larger number cannot name a row, so the address is simply not found (404). The API's
routes say the same bound explicitly (admin/api/fields.py MAX_INT, which this is).
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

from admin.api.fields import MAX_INT

MAX_ID = MAX_INT  #: the largest INTEGER id (PostgreSQL int4), the bound the API's fields and routes use too


class DatabaseIdConverter(IntegerConverter):
    """`int` limited to 0..MAX_ID (an explicit max= on a route still wins)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app) -> None:
    """Install the converter as `int`: before any blueprint adds its routes."""
    app.url_map.converters["int"] = DatabaseIdConverter


def db_int(text) -> int:
    """`type=` for ``request.args.get`` / ``request.form.get``: an integer an INTEGER column can hold; anything else
    raises ValueError, so ``.get`` gives its default (werkzeug's own ``type=int`` takes any length)."""
    number = int(str(text).strip())
    if not -MAX_ID - 1 <= number <= MAX_ID:
        raise ValueError(f"{number} is outside the INTEGER range")
    return number


def digits(text: str) -> bool:
    """Whether `text` is a run of ASCII digits, which int() reads: str.isdigit() alone also takes a superscript '²',
    which int() refuses (a 500 wherever a typed id or page met it)."""
    return text.isascii() and text.isdigit()


def as_id(text) -> int | None:
    """A row id typed into a form or query (digits only, 1..MAX_ID), else None."""
    text = str(text or "").strip()
    return int(text) if digits(text) and 0 < int(text) <= MAX_ID else None
