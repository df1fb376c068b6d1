"""Plain, bounded JSON data: what every rule or facts document must be before anything reads it.

A parser hands over more than that. Python's json reads a lone surrogate escape (``"\\ud800"``), which no UTF-8
writer can store; YAML aliases build a list that holds itself (``x: &a [*a]``); either format nests as deep as the
text goes. Each of those used to fail later, as a 500, where the document was hashed or walked. ``check_json_data``
refuses them at once, with a reason in Indonesian and English.
"""
from __future__ import annotations

import json
import math

MAX_DEPTH = 40
MAX_NODES = 200_000


class NotJsonData(ValueError):
    """The value is not plain, bounded JSON data; ``message_id`` / ``message_en`` say why."""

    def __init__(self, message_id: str, message_en: str):
        super().__init__(message_en)
        self.message_id, self.message_en = message_id, message_en


def check_text(value: str) -> None:
    """Raise NotJsonData for text holding NUL or a lone surrogate (neither can be stored)."""
    if "\x00" in value:
        raise NotJsonData("Teks tidak boleh berisi karakter NUL.", "Text may not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise NotJsonData("Teks berisi karakter yang bukan Unicode yang sah (surrogate tunggal).",
                          "Text holds a character that is not valid Unicode (a lone surrogate).") from None


def _walk(value, depth: int, budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise NotJsonData("Terlalu banyak nilai.", "Too many values.")
    if depth > MAX_DEPTH:  # a list or object that holds itself ends here too
        raise NotJsonData(f"Bersarang terlalu dalam (paling banyak {MAX_DEPTH} tingkat).",
                          f"Too deeply nested (at most {MAX_DEPTH} levels).")
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise NotJsonData("Angka khusus (NaN atau tak hingga) tidak diizinkan.",
                              "Special numeric values (nan or infinity) are not permitted.")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotJsonData("Bukan data JSON.", "Not JSON data.")
            check_text(key)
            _walk(item, depth + 1, budget)
    elif isinstance(value, list):
        for item in value:
            _walk(item, depth + 1, budget)
    elif value is not None and not isinstance(value, (bool, int)):
        raise NotJsonData("Bukan data JSON.", "Not JSON data.")


def check_json_data(value) -> None:
    """Raise NotJsonData unless `value` is plain JSON data of bounded depth and size."""
    _walk(value, 0, [MAX_NODES])


_DOC = "<document>"  #: a JSONDecodeError's doc (webargs reads an empty one as "no body")


def _object(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        twice = next(key for key in keys if keys.count(key) > 1)
        raise json.JSONDecodeError(f"duplicate key '{twice}' (the second would silently replace the first)", _DOC, 0)
    return dict(pairs)


def loads_strict(text: str | bytes):
    """json.loads refusing what it would otherwise take silently or crash on: a key given twice in one object (the
    last one won: a second "rhk": [] emptied a stored plan) and nesting deeper than Python recurses (a
    RecursionError, a 500). Both raise json.JSONDecodeError, as a syntax error does."""
    try:
        return json.loads(text, object_pairs_hook=_object)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", _DOC, 0) from None
