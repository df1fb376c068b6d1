"""Configuration from environment variables with safe defaults; unknown KINERJA_* variables are reported."""
from __future__ import annotations

import math
import os
import secrets
import sys
from pathlib import Path

from engine.db import ENGINE_OPTIONS

#: Every variable Kinerja reads, with its meaning (shown in the README).
VARIABLES = {
    "KINERJA_DATABASE_URL": "database URL; default SQLite in the instance folder (PostgreSQL: postgresql+psycopg://...)",
    "KINERJA_SECRET_KEY": "session signing key; default: generated once into instance/secret_key",
    "KINERJA_COOKIE_SECURE": "1 (default) sends the session cookie over HTTPS only; `make run` sets 0 for http://127.0.0.1",
    "KINERJA_LOGIN_MAX_FAILURES": "failed logins per user or address before a 5-minute block (default 5)",
    "KINERJA_AUDIT_CHECK_SECONDS": "seconds one request of the audit chain check (console, API) works before it "
                                   "answers how far it got (default 5)",
    "KINERJA_TEST_DATABASE_URL": "tests only: also run the integration suite on this PostgreSQL database",
    "KINERJA_TEST_STRICT": "tests only: 1 makes a missing PostgreSQL or Chromium an error instead of a skip (CI)",
    "KINERJA_SCREENSHOTS": "tests only: 1 saves the browser tests' screenshots to docs/screenshots (make screenshots)",
}


class ConfigInvalid(SystemExit):
    """A variable has a value Kinerja cannot use; one line names it and what would be right."""


def _number(name: str, default: str, kind: type, low: float, what_id: str, what_en: str) -> int | float:
    """The variable as a number of `kind`, at least `low`; else one clear line naming it, and exit."""
    text = os.environ.get(name, default).strip()
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value < low:
        print(f"Kinerja: {name} harus {what_id}, bukan {text!r} / {name} must be {what_en}, not {text!r}",
              file=sys.stderr)
        raise ConfigInvalid(2)
    return value


def _secret_key(instance: Path) -> str:
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(instance_path: str) -> dict:
    """Build the Flask config from the environment."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    for name in sorted(os.environ):
        if name.startswith("KINERJA_") and name not in VARIABLES:
            print(f"Kinerja: variabel lingkungan tidak dikenal / unknown environment variable {name}", file=sys.stderr)
    secure = os.environ.get("KINERJA_COOKIE_SECURE", "1").strip().lower() not in ("0", "false", "no")
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("KINERJA_DATABASE_URL") or f"sqlite:///{instance / 'kinerja.db'}",
        "SECRET_KEY": os.environ.get("KINERJA_SECRET_KEY") or _secret_key(instance),
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "kinerja_session",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "LOGIN_MAX_FAILURES": _number("KINERJA_LOGIN_MAX_FAILURES", "5", int, 1, "bilangan bulat 1 atau lebih",
                                      "a whole number, 1 or more"),
        "AUDIT_CHECK_SECONDS": _number("KINERJA_AUDIT_CHECK_SECONDS", "5", float, 0, "angka detik 0 atau lebih",
                                       "a number of seconds, 0 or more"),
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, **ENGINE_OPTIONS},
        "BABEL_DEFAULT_LOCALE": "id",
        "FLASK_ADMIN_RAISE_ON_INTEGRITY_ERROR": False,
    }
