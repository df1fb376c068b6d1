"""Identity: users, their roles with daerah scope, password hashing and login throttling."""
from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, bindparam, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from engine.db import Base, utcnow
from engine.organisation import Daerah, Pegawai, PegawaiStatus

_hasher = PasswordHasher()


class Role(StrEnum):
    """Roles granted explicitly; `pegawai` and `atasan` follow from the link to a pegawai."""

    admin = "admin"
    policy_maker = "policy_maker"
    hr = "hr"
    auditor = "auditor"


ROLE_LABELS = {
    "admin": ("Administrator", "Administrator"),
    "policy_maker": ("Perumus kebijakan", "Policy maker"),
    "hr": ("Kepegawaian (BKPSDM)", "HR (BKPSDM)"),
    "auditor": ("Auditor", "Auditor"),
    "pegawai": ("Pegawai", "Employee"),
    "atasan": ("Atasan (pejabat penilai)", "Supervisor (appraiser)"),
}


class User(Base):
    """A login; may be linked to a pegawai, which makes them pegawai and atasan of their reports."""

    __tablename__ = "users"
    __audit__ = True
    __audit_exclude__ = ("password_hash", "activation_hash")

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[Optional[str]] = mapped_column(String(5))
    pegawai_id: Mapped[Optional[int]] = mapped_column(ForeignKey("pegawai.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    #: sha256 of a one-time activation code (engine.accounts): the pegawai sets their own password with it
    activation_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    activation_expires_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)

    pegawai: Mapped[Optional[Pegawai]] = relationship()
    grants: Mapped[list["RoleGrant"]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                     order_by="RoleGrant.id")

    def set_password(self, password: str) -> None:
        """Hash and store a new password (argon2id); a pending activation code stops working."""
        self.password_hash = _hasher.hash(password)
        self.activation_hash = None
        self.activation_expires_at = None

    def check_password(self, password: str) -> bool:
        """True when `password` matches the stored hash."""
        if not self.password_hash:
            return False
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    # The session protocol of Flask-Login, written out so the kernel does not import flask.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """Whether the account may sign in: active, and when it is a pegawai's own login (no role), an `aktif` one
        (a retired or transferred pegawai's login stops with their status, and comes back with it)."""
        if not self.active:
            return False
        return bool(self.grants) or self.pegawai is None or self.pegawai.status == PegawaiStatus.aktif

    def get_id(self) -> str:
        """The id stored in the login session: the user's id and a fingerprint of their password hash, so that a new
        password (changed, set by an administrator, or cleared by a new activation code) ends every other session."""
        return f"{self.id}.{self.session_key()}"

    def session_key(self) -> str:
        """16 hex digits of sha256 over the stored password hash (never the password)."""
        return hashlib.sha256((self.password_hash or "").encode()).hexdigest()[:16]

    def __str__(self) -> str:
        return self.username


class RoleGrant(Base):
    """A role given to a user for one daerah, or for every daerah when `daerah_id` is empty."""

    __tablename__ = "role_grant"
    __audit__ = True
    __table_args__ = (UniqueConstraint("user_id", "role", "daerah_id", name="uq_role_grant_user_role_daerah"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(String(20))
    daerah_id: Mapped[Optional[int]] = mapped_column(ForeignKey("daerah.id"))

    user: Mapped[User] = relationship(back_populates="grants")
    daerah: Mapped[Optional[Daerah]] = relationship()

    def __str__(self) -> str:
        return f"{self.role}@{self.daerah.code if self.daerah else '*'}"


class LoginThrottle(Base):
    """Failed login counter per key (username or client address) with a block deadline."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    blocked_until: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)


MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
BLOCK = dt.timedelta(minutes=5)


#: the latest block deadline of the keys bound as "throttle_keys"; built once (it runs before every API request,
#: and building and cache-keying a statement costs more than the query)
BLOCKED_UNTIL = (select(func.max(LoginThrottle.blocked_until))
                 .where(LoginThrottle.key.in_(bindparam("throttle_keys", expanding=True))))


def wait_seconds(blocked_until: dt.datetime | None, now: dt.datetime) -> int:
    """Seconds left of a block deadline (0 when there is none or it has passed)."""
    return int((blocked_until - now).total_seconds()) + 1 if blocked_until and blocked_until > now else 0


def throttle_wait(session: Session, keys: list[str], now: dt.datetime | None = None) -> int:
    """Seconds the caller must wait before another attempt for any of `keys` (0 when free)."""
    return wait_seconds(session.scalar(BLOCKED_UNTIL, {"throttle_keys": list(keys)}), now or utcnow())


def record_login_failure(session: Session, keys: list[str], now: dt.datetime | None = None,
                         max_failures: int = MAX_FAILURES) -> None:
    """Count a failed attempt under every key; block a key for a while after too many."""
    now = now or utcnow()
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, window_start=now)
            session.add(row)
        if now - row.window_start > WINDOW:
            row.failures, row.window_start = 0, now
        row.failures += 1
        if row.failures >= max_failures:
            row.blocked_until = now + BLOCK
    session.flush()


def clear_login_failures(session: Session, keys: list[str]) -> None:
    """Forget the failures of `keys` after a successful login."""
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row is not None:
            session.delete(row)
    session.flush()


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None (one answer for both mistakes)."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        _hasher.hash(password)  # spend the same time as a real check: no timing oracle on usernames
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user
