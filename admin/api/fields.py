"""Fields every API schema uses: text without NUL and with a length, bounded ids and counts, safe JSON objects.

PostgreSQL refuses NUL characters in text and JSONB and integers beyond 32 bits; catching them here turns what
would be a database error into a 422 naming the field.
"""
from __future__ import annotations

import datetime as dt

from marshmallow import ValidationError, fields, validate

from engine.runtime.json_data import NotJsonData, check_json_data, check_text

MAX_INT = 2**31 - 1


class Text(fields.String):
    """A string without NUL characters or lone surrogates, stripped of surrounding blanks."""

    def __init__(self, *, strip: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.strip = strip

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            check_text(text)  # NUL (PostgreSQL refuses it) or a lone surrogate (no UTF-8 can hold it)
        except NotJsonData as error:
            raise ValidationError(error.message_en) from None
        return text.strip() if self.strip else text


class UtcDateTime(fields.DateTime):
    """An output moment in RFC 3339 with its offset: the database keeps naive UTC, which a client must not read as
    local time (and which is not a valid OpenAPI `date-time`)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def text(max_length: int, *, min_length: int = 0, **kwargs) -> Text:
    """A Text field with a length range (the column's size)."""
    return Text(validate=validate.Length(min=min_length, max=max_length), **kwargs)


def choice(values, **kwargs) -> fields.String:
    """A string that must be one of `values` (an enum in the OpenAPI document)."""
    return fields.String(validate=validate.OneOf([str(v) for v in values]), **kwargs)


def ident(*, strict: bool = True, **kwargs) -> fields.Integer:
    """A database id: an integer 1..2^31-1 (strict in JSON bodies; query strings give text, so not strict there)."""
    return fields.Integer(strict=strict, validate=validate.Range(1, MAX_INT), **kwargs)


def count(low: int = 0, high: int = MAX_INT, *, strict: bool = True, **kwargs) -> fields.Integer:
    """An integer in a range (strict in JSON bodies; query strings give text, so not strict there)."""
    return fields.Integer(strict=strict, validate=validate.Range(low, high), **kwargs)


def number(low: float | None = None, high: float | None = None, **kwargs) -> fields.Float:
    """A finite number, optionally in a range."""
    rng = validate.Range(low, high) if low is not None or high is not None else None
    return fields.Float(allow_nan=False, validate=rng, **kwargs)


def _check_json(value) -> None:
    try:
        check_json_data(value)
    except NotJsonData as error:
        raise ValidationError(error.message_en) from None


def json_problem(value) -> str | None:
    """Why `value` is not plain, bounded JSON data (None when it is): e.g. a YAML date, NUL text, a bomb."""
    try:
        _check_json(value)
    except ValidationError as error:
        return str(error.messages[0])
    return None


class JsonObject(fields.Dict):
    """A JSON object of any shape (a rule or facts document): no NUL text, finite numbers, bounded size."""

    def __init__(self, **kwargs):
        super().__init__(keys=fields.String(), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        result = super()._deserialize(value, attr, data, **kwargs)
        _check_json(result)
        return result
