"""Abuse controls of the public survey form that live at the web boundary: the signed arithmetic challenge with its
minimum fill time, the honeypot, and the salted hash of the client address (the address is never stored)."""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "kinerja-survey-challenge"
MAX_AGE = 2 * 3600          # a form left open longer must be reloaded
HONEYPOT = "website"        # hidden from people by CSS; bots fill it


@dataclass(frozen=True)
class Challenge:
    """A question shown on the form and the signed token that carries its answer."""

    a: int
    b: int
    token: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def new_challenge(form_id: int) -> Challenge:
    """A fresh question for a form, with a one-time nonce inside the signed token."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = _serializer().dumps({"f": form_id, "a": a, "b": b, "n": secrets.token_hex(16), "t": time.time()})
    return Challenge(a, b, token)


def min_fill_seconds() -> float:
    """Seconds a person needs at least to fill the form (faster is a script)."""
    return float(current_app.config.get("SURVEY_MIN_FILL_SECONDS", 3))


def check_challenge(form_id: int, token: str, answer: str, honeypot: str) -> tuple[str | None, str]:
    """(nonce, "") when the challenge is passed; (None, reason) otherwise: expired, forged, wrong, too fast, bot."""
    if honeypot:
        return None, "bot"
    try:
        data = _serializer().loads(token or "", max_age=MAX_AGE)
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    if not isinstance(data, dict) or data.get("f") != form_id:
        return None, "invalid"
    if time.time() - float(data.get("t", 0)) < min_fill_seconds():
        return None, "too_fast"
    try:
        given = int((answer or "").strip())
    except ValueError:
        return None, "wrong"
    if given != data.get("a", 0) + data.get("b", 0):
        return None, "wrong"
    return str(data.get("n", "")), ""


def client_hash(address: str | None) -> str:
    """HMAC of the client address under the secret key; IPv6 counts per /64, as one household or phone gets."""
    text = address or "-"
    try:
        ip = ipaddress.ip_address(text)
        if ip.version == 6:
            text = str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    except ValueError:
        pass
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, f"survey-client|{text}".encode("utf-8"), hashlib.sha256).hexdigest()
