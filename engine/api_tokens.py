"""Personal API tokens: the secret is shown once at creation and stored only as its sha256; a token acts with its
user's roles and daerah scope, can be revoked, and failed authentication is throttled per client address.

sha256 (not argon2) is enough at rest: the secret is 32 random bytes, so there is nothing to guess offline, and a
fast hash keeps each API request cheap. Lookup is by the hash, so comparing secrets leaks no timing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Optional

from sqlalchemy import DateTime, ForeignKey, String, bindparam, func, select, update
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from engine.audit import record_event
from engine.db import Base, utcnow
from engine.identity import BLOCKED_UNTIL, MAX_FAILURES, User, record_login_failure, throttle_wait, wait_seconds
from engine.permissions import write_scope
from engine.runtime.errors import Conflict, EngineError, NotFound, Problem, refuse

PREFIX = "knj_"
MAX_ACTIVE_PER_USER = 20
MAX_LIFETIME_DAYS = 366
#: last_used_at is refreshed at most this often, so reading through the API does not write on every request.
TOUCH_EVERY = dt.timedelta(minutes=10)


class TokenRejected(EngineError):
    """The bearer token is missing, unknown, revoked, expired or its user inactive (HTTP 401; one answer for all)."""

    status = "unauthenticated"


class TokenThrottled(EngineError):
    """Too many failed attempts from this address; `wait` says how many seconds until the next try (HTTP 429)."""

    status = "throttled"

    def __init__(self, wait: int):
        super().__init__(f"Terlalu banyak percobaan token yang gagal. Coba lagi dalam {wait} detik.",
                         f"Too many failed token attempts. Try again in {wait} seconds.", code="throttled")
        self.wait = wait


class ApiToken(Base):
    """A personal API token of one user: name, the first characters for recognition, the hash, dates."""

    __tablename__ = "api_token"
    # Not audited column by column (last_used_at moves): create and revoke write one explicit audit event each.

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    last_used_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    revoked_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    revoked_by: Mapped[Optional[str]] = mapped_column(String(120))

    user: Mapped[User] = relationship()

    def usable(self, now: dt.datetime | None = None) -> bool:
        """True when neither revoked nor expired."""
        now = now or utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


def hash_token(raw: str) -> str:
    """The stored form of a token: sha256 hex of its text."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _name_problems(name: object) -> list[Problem]:
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 100:
        return [Problem("name", "name", "Nama token wajib diisi (1-100 karakter).",
                        "The token name is required (1-100 characters).")]
    return []


def create_token(session: Session, actor: User, name: str, *, expires_in_days: int | None = None,
                 now: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token of `actor` (always their own); returns the row and the secret, which is never shown again."""
    now = now or utcnow()
    problems = _name_problems(name)
    if expires_in_days is not None and (not isinstance(expires_in_days, int) or isinstance(expires_in_days, bool)
                                        or not 1 <= expires_in_days <= MAX_LIFETIME_DAYS):
        problems.append(Problem("range", "expires_in_days", f"Masa berlaku 1-{MAX_LIFETIME_DAYS} hari.",
                                f"The lifetime must be 1-{MAX_LIFETIME_DAYS} days."))
    refuse(problems)
    if not actor.is_active:
        raise TokenRejected("Akun tidak aktif.", "The account is inactive.", code="inactive")
    active = session.scalar(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == actor.id, ApiToken.revoked_at.is_(None),
        (ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > now)))
    if (active or 0) >= MAX_ACTIVE_PER_USER:
        raise Conflict(f"Paling banyak {MAX_ACTIVE_PER_USER} token aktif; cabut token yang tidak dipakai dahulu.",
                       f"At most {MAX_ACTIVE_PER_USER} active tokens; revoke one you no longer use first.",
                       code="too_many_tokens")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name.strip(), prefix=raw[:len(PREFIX) + 6], token_hash=hash_token(raw),
                     created_at=now, expires_at=now + dt.timedelta(days=expires_in_days) if expires_in_days else None)
    session.add(token)
    session.flush()
    record_event(session, "create", "api_token", token.id,
                 after={"user": actor.username, "name": token.name, "prefix": token.prefix,
                        "expires_at": token.expires_at})
    return token, raw


def list_tokens(session: Session, actor: User) -> list[ApiToken]:
    """The actor's own tokens, newest first (revoked and expired included, for the record)."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == actor.id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def get_token(session: Session, actor: User, token_id: int) -> ApiToken:
    """One of the actor's tokens (administrators may open anyone's); 404 otherwise."""
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not write_scope(actor, "users").everywhere):
        raise NotFound("Token tidak ditemukan.", "Token not found.", code="not_found")
    return token


def revoke_token(session: Session, actor: User, token: ApiToken, now: dt.datetime | None = None) -> ApiToken:
    """Revoke a token of the actor (or any, for an administrator); it stops working at once."""
    get_token(session, actor, token.id)
    if token.revoked_at is not None:
        raise Conflict("Token ini sudah dicabut.", "This token is already revoked.", code="already_revoked")
    token.revoked_at, token.revoked_by = now or utcnow(), actor.username
    session.flush()
    record_event(session, "revoke", "api_token", token.id,
                 after={"user": token.user.username, "name": token.name, "prefix": token.prefix})
    return token


def throttle_keys(address: str | None) -> list[str]:
    """The throttle key of a client address for token attempts."""
    return [f"api-ip:{(address or '-')[:100]}"]


#: the token with its user and grants, and the address's block deadline, in one query built once (it runs before
#: every API request)
_BY_HASH = (select(ApiToken, BLOCKED_UNTIL.scalar_subquery()).where(ApiToken.token_hash == bindparam("token_hash"))
            .options(joinedload(ApiToken.user).joinedload(User.grants)))


def authenticate_token(session: Session, raw: str | None, address: str | None, *, now: dt.datetime | None = None,
                       max_failures: int = MAX_FAILURES) -> ApiToken:
    """The usable token with this secret; a failure is counted against the address (and blocks it for a while
    after `max_failures`). A success does not clear the counter: one valid token must not reset guessing."""
    now = now or utcnow()
    keys = throttle_keys(address)
    found = None
    if raw and raw.startswith(PREFIX) and len(raw) <= 200:
        found = session.execute(_BY_HASH, {"token_hash": hash_token(raw), "throttle_keys": keys}).unique().first()
    # a blocked address is refused before its token counts, whether the token is right or not
    wait = wait_seconds(found[1], now) if found else throttle_wait(session, keys, now)
    if wait:
        raise TokenThrottled(wait)
    token = found[0] if found else None
    if token is None or not token.usable(now) or not token.user.is_active:
        record_login_failure(session, keys, now, max_failures=max_failures)
        raise TokenRejected("Token API tidak valid, kedaluwarsa atau sudah dicabut.",
                            "The API token is invalid, expired or revoked.", code="unauthenticated")
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        set_committed_value(token, "last_used_at", now)
    return token
