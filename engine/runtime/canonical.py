"""Canonical JSON and content hashes: sorted keys, no whitespace, UTF-8 kept (ensure_ascii off)."""
from __future__ import annotations

import hashlib
import json


def canonical_json(doc: object) -> str:
    """The canonical JSON text of a document (same content -> same text, whatever the key order)."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def content_hash(doc: object) -> str:
    """sha256 (hex) of the canonical JSON encoded as UTF-8."""
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()
