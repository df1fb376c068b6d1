"""The plain SQLAlchemy declarative base shared by every package, and column helpers."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import JSON, MetaData, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase

from engine.runtime.canonical import plain_json

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: JSON column type: JSONB on PostgreSQL, JSON elsewhere.
JsonType = JSON().with_variant(JSONB(), "postgresql")


def json_dumps(value: object) -> str:
    """JSON text of a column value: orjson for plain JSON data (about 5x faster than json on decision records);
    anything orjson leaves to a default (dates, dataclasses, subclasses, int keys, huge ints) goes to json.dumps,
    which gives its usual text or its usual error."""
    text = plain_json(value)
    return json.dumps(value) if text is None else text


#: engine options of every database engine the service creates (the JSON columns' serializer)
ENGINE_OPTIONS = {"json_serializer": json_dumps}


def among(column, values, dialect: str):
    """`column IN values`, for the long id lists of bulk work: on PostgreSQL one array parameter
    (`column = ANY(:values)`), so the statement is the same text whatever the count. An IN list of 250 ids is
    rendered, sent and parsed again on every chunk, by SQLAlchemy, by psycopg (which caches statements of at most
    50 parameters) and by PostgreSQL. Elsewhere the plain IN. `dialect` is the session's dialect name."""
    if dialect == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


class Base(DeclarativeBase):
    """Declarative base of every model; Flask-SQLAlchemy is built on it in `admin`."""

    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> dt.datetime:
    """The current time in UTC, naive (SQLite drops the zone; we store UTC everywhere)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own %, _ and \\ taken literally (use with escape="\\")."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
