"""The audit chain check as the console and the API run it: in segments of a few seconds, so a request stays far
below the server's timeout however long the chain is (a provinsi writes over a million rows a year), each segment
going on from where the last one stopped. Where to go on travels as a token signed with the app's secret key, so
nobody can hand the checker a made-up starting point (a forged "the first million rows were fine"), and it expires.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from engine.audit import ChainCursor, ChainReport, verify_chain
from engine.runtime.errors import Problem, ValidationFailed

SALT = "kinerja-audit-verify"
SEGMENT_BATCH = 5000     #: rows read per query; a segment stops after the batch that ends past its time budget
MAX_AGE = 3600           #: a check left unfinished longer than this starts again


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_of(cursor: ChainCursor) -> str:
    """The signed text form of where a check goes on."""
    return _serializer().dumps(asdict(cursor))


def _bad(field: str, message_id: str, message_en: str) -> ValidationFailed:
    def sentence(text: str) -> str:
        return f"{text[0].upper()}{text[1:]}."

    return ValidationFailed(sentence(message_id), sentence(message_en), code="invalid_cursor", field=field,
                            problems=[Problem("invalid_cursor", field, message_id, message_en)])


def cursor_of(token: str, field: str) -> ChainCursor:
    """The cursor a token carries; a clear error naming `field` when it is forged, damaged or too old."""
    try:
        data: Any = _serializer().loads(token, max_age=MAX_AGE)
        return ChainCursor(**{k: data[k] for k in ("last_id", "next_seq", "prev_hash", "checked")})
    except SignatureExpired:
        raise _bad(field, "pemeriksaan ini dimulai lebih dari satu jam lalu; mulai lagi dari awal",
                   "this check was started more than an hour ago; start it again from the beginning") from None
    except (BadSignature, KeyError, TypeError):
        raise _bad(field, "penanda lanjutan tidak sah; mulai pemeriksaan lagi dari awal",
                   "the continuation token is not valid; start the check again from the beginning") from None


def check_segment(session: Session, token: str | None, field: str) -> ChainReport:
    """One segment of the chain check: from the start, or from where `token` says the last one stopped."""
    start = cursor_of(token, field) if token else None
    seconds = float(current_app.config.get("AUDIT_CHECK_SECONDS", 5))  # KINERJA_AUDIT_CHECK_SECONDS
    return verify_chain(session, SEGMENT_BATCH, start=start, seconds=seconds)
