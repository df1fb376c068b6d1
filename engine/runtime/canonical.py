"""Canonical JSON and content hashes: sorted keys, no whitespace, UTF-8 kept (ensure_ascii off).

The reference writer is the standard library's json (it refuses NaN and infinities). Documents the engine made from
validated input (normalised facts, decisions) hold only finite numbers; for them ``finite=True`` writes the same
bytes with orjson, several times faster (tests compare the two writers on every pack's decisions and on random
documents). orjson would write a NaN as null, so the option is only for such documents. Where the two writers
format a float differently (exponent forms, and below 1e-4 where json writes 1e-05 and orjson 0.00001) the text is
written again by the reference writer: a number in exponent form or starting 0.0000 in orjson's text (or text in a
string that looks like one, which costs only speed) sends the document there, as does whatever orjson refuses (int
keys, huge ints, other types). orjson writes every exponent with a sign (1e+16, 1.5e-7), so text holding neither
"e+", "e-" nor "0.0000" has no such number and skips the pattern (a plain substring test is ten times faster).
"""
from __future__ import annotations

import hashlib
import json
import re

import orjson

#: what orjson writes itself; dates, dataclasses and subclasses of built-in types go to `default` (or refusal)
_PLAIN = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
#: a JSON number (at the start, or after ':', ',' or '[', as orjson writes no spaces) in exponent form or below 1e-4
_FORMATS_DIFFER = re.compile(r"(?:^|[:,\[])-?(?:\d+(?:\.\d+)?[eE]|0\.0000)")


def plain_json(value: object, *, sort_keys: bool = False, default=None) -> str | None:
    """orjson's compact text of plain JSON data, or None when orjson refuses it (a date or dataclass without a
    `default`, int keys, huge ints...): the caller then writes it with its own writer, which gives its usual text
    or its usual error. Shared by canonical JSON, the JSON columns and Flask's responses."""
    try:
        return orjson.dumps(value, default=default,
                            option=(_PLAIN | orjson.OPT_SORT_KEYS) if sort_keys else _PLAIN).decode()
    except TypeError:
        return None


def _may_differ(text: str) -> bool:
    """True when orjson's text may hold a number the reference writer formats differently."""
    if "e+" not in text and "e-" not in text and "0.0000" not in text:
        return False
    return _FORMATS_DIFFER.search(text) is not None


def _reference(doc: object) -> str:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(doc: object, *, finite: bool = False) -> str:
    """The canonical JSON text of a document (same content -> same text, whatever the key order)."""
    if finite:
        text = plain_json(doc, sort_keys=True)
        if text is not None and not _may_differ(text):
            return text
    return _reference(doc)


def content_hash(doc: object, *, finite: bool = False) -> str:
    """sha256 (hex) of the canonical JSON encoded as UTF-8."""
    return hashlib.sha256(canonical_json(doc, finite=finite).encode("utf-8")).hexdigest()
