"""A fast interpreter of the facts schema for documents that are already right.

``compile_schema(schema)`` turns the field specs of facts.py into nested checker closures. A checker returns the
normalised value exactly as facts.py's full checker would (numbers rounded to 4 dp, integers as int, nulls
dropped), or raises ``NotSimple`` at the first thing that is not plainly valid: a wrong type, a value out of
range, an unknown or missing field. The caller then runs the full checker, which finds and words every problem.
So this module decides nothing on its own: it accepts only what the full checker accepts (a property test holds
the two to the same answers) and skips building a path string and a problem list per value.
"""
from __future__ import annotations

import math
from typing import Callable

from .values import DECIMALS, MAX_ABS

Checker = Callable[[object], object]


class NotSimple(Exception):
    """The document needs the full checker (it has a problem, or a value the fast path does not handle)."""


def _number(integer: bool, bounds) -> Checker:
    lo, hi = bounds if bounds else (None, None)

    def check(value):
        kind = type(value)
        if kind is int:
            if not -MAX_ABS < value < MAX_ABS:
                raise NotSimple
        elif kind is float:
            if not math.isfinite(value) or not -MAX_ABS < value < MAX_ABS or (integer and not value.is_integer()):
                raise NotSimple
        else:  # bool, str, None, int/float subclasses: the full checker decides
            raise NotSimple
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise NotSimple
        if integer or kind is int:
            return int(value)
        rounded = round(value, DECIMALS)
        return 0.0 if rounded == 0 else rounded
    return check


def _boolean(value):
    if type(value) is not bool:
        raise NotSimple
    return value


def _string(value):
    if type(value) is not str or not value.strip():
        raise NotSimple
    return value


def _enum(values) -> Checker:
    allowed = frozenset(values)

    def check(value):
        if type(value) is not str or value not in allowed:
            raise NotSimple
        return value
    return check


def _object(fields: dict) -> Checker:
    checkers = {name: _spec(spec) for name, spec in fields.items()}
    required = tuple(name for name, spec in fields.items() if spec[1])

    def check(value):
        if type(value) is not dict:
            raise NotSimple
        result = {}
        for key, item in value.items():
            checker = checkers.get(key)
            if checker is None:
                raise NotSimple
            if item is not None:
                result[key] = checker(item)
        for name in required:
            if value.get(name) is None:
                raise NotSimple
        return result
    return check


def _list(fields: dict) -> Checker:
    item_check = _object(fields)

    def check(value):
        if type(value) is not list:
            raise NotSimple
        return [item_check(item) for item in value]
    return check


def _spec(spec) -> Checker:
    type_, _required, extra = spec
    if type_ in ("number", "integer"):
        return _number(type_ == "integer", extra)
    if type_ == "boolean":
        return _boolean
    if type_ == "string":
        return _string
    if type_ == "enum":
        return _enum(extra)
    if type_ == "object":
        return _object(extra)
    if type_ == "list":
        return _list(extra)
    raise ValueError(f"unknown field type {type_!r}")


def compile_schema(schema: dict) -> Checker:
    """The fast checker of a top-level object schema (field -> (type, required, extra))."""
    return _object(schema)
