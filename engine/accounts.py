"""Pegawai accounts: HR gives every pegawai of a daerah (or of a unit and its sub-units) a login at once, each
with a one-time activation code; the pegawai chooses their own password with it; everyone changes theirs.

- The username is the NIP. An account is created without a password: it cannot sign in until activated.
- An activation code is 16 random characters (about 79 bits), shown once (the CSV HR downloads) and stored only as
  its sha256, like the API tokens: there is nothing to guess offline, and creating 10,000 accounts costs no argon2
  work. It expires after ACTIVATION_DAYS and works once.
- HR may issue a new code for a pegawai's own account (a forgotten password): the old password stops working.
  Accounts that hold a role (admin, HR, policy maker, auditor) are left to administrators.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from engine.db import utcnow
from engine.identity import User
from engine.organisation import Daerah, Pegawai, PegawaiStatus, UnitKerja, unit_subtree_ids
from engine.permissions import require_write
from engine.runtime.errors import NotAllowed, Problem, ValidationFailed, refuse

ACTIVATION_DAYS = 30
PASSWORD_MIN = 10
PASSWORD_MAX = 128
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  #: no 0/o, 1/l/i: read aloud or typed from paper


@dataclass(frozen=True)
class IssuedCode:
    """An activation code given out (the code itself exists only here, never stored)."""

    nip: str
    name: str
    unit: str
    username: str
    code: str
    expires_at: dt.datetime


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def _digest(code: str) -> str:
    normalised = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def _issue(user: User, pegawai: Pegawai, now: dt.datetime) -> IssuedCode:
    code = _new_code()
    user.activation_hash = _digest(code)
    user.activation_expires_at = now + dt.timedelta(days=ACTIVATION_DAYS)
    return IssuedCode(pegawai.nip, pegawai.name, pegawai.unit.name if pegawai.unit else "", user.username, code,
                      user.activation_expires_at)


#: where-clauses of an `aktif` pegawai that no user account is linked to
WITHOUT_ACCOUNT = (Pegawai.status == PegawaiStatus.aktif,
                   ~Pegawai.id.in_(select(User.pegawai_id).where(User.pegawai_id.is_not(None))))


def count_without_account(session: Session, daerah: Daerah) -> int:
    """How many `aktif` pegawai of the daerah have no account."""
    return session.scalar(select(func.count()).select_from(Pegawai).where(Pegawai.daerah_id == daerah.id,
                                                                          *WITHOUT_ACCOUNT)) or 0


def pegawai_without_account(session: Session, daerah: Daerah, unit: UnitKerja | None = None) -> list[Pegawai]:
    """The daerah's `aktif` pegawai (of `unit` and its sub-units when given) without a linked account, by name."""
    query = select(Pegawai).where(Pegawai.daerah_id == daerah.id, *WITHOUT_ACCOUNT)
    if unit is not None:
        query = query.where(Pegawai.unit_id.in_(unit_subtree_ids(session, unit)))
    return list(session.scalars(query.options(selectinload(Pegawai.unit)).order_by(Pegawai.name, Pegawai.nip)))


def create_pegawai_accounts(session: Session, actor: User, daerah: Daerah,
                            unit: UnitKerja | None = None) -> tuple[list[IssuedCode], list[str]]:
    """Create an account (username = NIP, no password yet, an activation code) for every pegawai of the daerah
    (or unit subtree) without one. Returns the codes issued and the NIPs skipped because another account already
    has that username. Audited as user creations (the code's hash is never written to the audit log)."""
    require_write(session, actor, "accounts", daerah.id)
    if unit is not None and unit.daerah_id != daerah.id:
        raise ValidationFailed("Unit kerja bukan bagian dari daerah ini.", "The unit is not part of this daerah.",
                               code="invalid", field="unit")
    people = pegawai_without_account(session, daerah, unit)
    taken = set(session.scalars(select(User.username).where(User.username.in_([p.nip for p in people] or ["-"]))))
    now, issued, skipped = utcnow(), [], []
    for person in people:
        if person.nip in taken:
            skipped.append(person.nip)
            continue
        user = User(username=person.nip, full_name=person.name, pegawai=person, password_hash="", active=True)
        session.add(user)
        issued.append(_issue(user, person, now))
    session.flush()
    return issued, skipped


def codes_csv(issued: list[IssuedCode], header: list[str], activation_url: str) -> str:
    """The CSV HR hands out (UTF-8 with BOM for Excel, `;`): NIP, name, unit, username, code, valid until (UTC),
    the activation page; `header` names those seven columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for code in issued:
        writer.writerow([code.nip, code.name, code.unit, code.username, code.code,
                         code.expires_at.strftime("%Y-%m-%d %H:%M"), activation_url])
    return "\ufeff" + out.getvalue()


def account_of_nip(session: Session, nip: str) -> User | None:
    """The login linked to the pegawai with this NIP (spaces ignored, as people type it in groups), or None."""
    nip = "".join(nip.split())
    if not nip:
        return None
    return session.scalar(select(User).join(Pegawai, User.pegawai_id == Pegawai.id).where(Pegawai.nip == nip))


def reissue_activation(session: Session, actor: User, user: User) -> IssuedCode:
    """A new activation code for a pegawai's own account (forgotten password); its password stops working."""
    person = user.pegawai
    if person is None or user.grants:
        raise NotAllowed("Hanya administrator yang dapat mengatur ulang akun dengan peran atau tanpa pegawai.",
                         "Only administrators can reset an account that holds a role or has no pegawai.",
                         code="forbidden")
    require_write(session, actor, "accounts", person.daerah_id)
    if person.status != PegawaiStatus.aktif:
        raise ValidationFailed(f"{person.name} berstatus {person.status}: hanya pegawai aktif yang dapat masuk.",
                               f"{person.name} is {person.status}: only aktif (active) employees may sign in.",
                               code="inactive", field="nip")
    user.password_hash = ""
    issued = _issue(user, person, utcnow())
    session.flush()
    return issued


def password_problems(user: User, new: str, confirm: str) -> list[Problem]:
    """What is wrong with `new` as the password of `user` (field paths new_password, confirm_password)."""
    problems = []
    if len(new) < PASSWORD_MIN or len(new) > PASSWORD_MAX:
        problems.append(Problem("password_length", "new_password",
                                f"Kata sandi baru harus {PASSWORD_MIN}-{PASSWORD_MAX} karakter.",
                                f"The new password must be {PASSWORD_MIN}-{PASSWORD_MAX} characters long."))
    elif len(set(new)) < 4 or (user.username and user.username.lower() in new.lower()):
        problems.append(Problem("password_weak", "new_password",
                                "Kata sandi baru terlalu mudah ditebak: jangan memuat nama pengguna atau NIP, dan "
                                "pakai paling sedikit 4 karakter berbeda.",
                                "The new password is too easy to guess: leave out the username or NIP, and use at "
                                "least 4 different characters."))
    if new != confirm:
        problems.append(Problem("password_confirm", "confirm_password", "Ulangan kata sandi tidak sama.",
                                "The repeated password does not match."))
    return problems


def _set_password(user: User, new: str, confirm: str) -> None:
    refuse(password_problems(user, new, confirm))
    user.set_password(new)


def change_password(session: Session, user: User, current: str, new: str, confirm: str) -> None:
    """The signed-in user changes their own password (the current one is asked again)."""
    if not user.check_password(current):
        refuse([Problem("password_wrong", "current_password", "Kata sandi sekarang salah.",
                        "The current password is wrong.")])
    if new == current:
        refuse([Problem("password_same", "new_password", "Kata sandi baru harus berbeda dari yang sekarang.",
                        "The new password must differ from the current one.")])
    _set_password(user, new, confirm)
    session.flush()


def activation_user(session: Session, username: str, code: str, now: dt.datetime | None = None) -> User | None:
    """The active account whose unexpired activation code this is, or None (one answer for every mistake)."""
    if not code.strip():
        return None
    user = session.scalar(select(User).where(User.activation_hash == _digest(code)))
    now = now or utcnow()
    typed = "".join(username.split())  # a NIP is often written in groups: 19850312 201001 1 001
    if (user is None or user.username != typed or not user.is_active or user.activation_expires_at is None
            or user.activation_expires_at < now):
        return None
    return user


def activate(session: Session, user: User, new: str, confirm: str) -> None:
    """Set the first password of an account found by `activation_user`; the code then stops working."""
    _set_password(user, new, confirm)
    session.flush()
