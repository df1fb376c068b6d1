"""make_* factories with defaults and overrides, for integration tests."""
from __future__ import annotations

import itertools

from engine.identity import Role, RoleGrant, User
from engine.organisation import Daerah, Pegawai, UnitKerja

_seq = itertools.count(100_000)  # explicit valid_nip(n) in tests use small n: no collision
PASSWORD = "rahasia-uji-123"


def valid_nip(n: int | None = None) -> str:
    """A valid NIP, unique per n: the birth date moves on every 999 sequence numbers; TMT 2010-01, male."""
    import datetime as dt

    n = next(_seq) if n is None else n
    born = dt.date(1985, 3, 12) + dt.timedelta(days=n // 999)
    return f"{born:%Y%m%d}2010011{n % 999 + 1:03d}"


def make_daerah(session, **kw) -> Daerah:
    n = next(_seq)
    values = {"code": f"daerah{n}", "name": f"Kota Uji {n}", "level": "kota", "timezone": "Asia/Jakarta"} | kw
    daerah = Daerah(**values)
    session.add(daerah)
    session.flush()
    return daerah


def make_unit(session, daerah: Daerah, **kw) -> UnitKerja:
    n = next(_seq)
    unit = UnitKerja(**({"daerah": daerah, "code": f"unit{n}", "name": f"Dinas Uji {n}"} | kw))
    session.add(unit)
    session.flush()
    return unit


def make_pegawai(session, unit: UnitKerja, **kw) -> Pegawai:
    n = next(_seq)
    values = {"daerah_id": unit.daerah_id, "unit": unit, "nip": valid_nip(n), "name": f"Pegawai Uji {n}",
              "jabatan": "Analis", "jenis_jabatan": "pelaksana", "golongan": "III/a"} | kw
    person = Pegawai(**values)
    session.add(person)
    session.flush()
    return person


_HASHES: dict[str, str] = {}


def password_hash(password: str = PASSWORD) -> str:
    """One real argon2 hash per password for the whole run (a salted hash verifies for every user holding it;
    hashing anew for each user cost 0.2 s a user)."""
    if password not in _HASHES:
        probe = User(username="-")
        probe.set_password(password)
        _HASHES[password] = probe.password_hash
    return _HASHES[password]


def make_user(session, username: str | None = None, roles: list[tuple[str, Daerah | None]] | None = None,
              pegawai: Pegawai | None = None, password: str = PASSWORD, **kw) -> User:
    user = User(username=username or f"user{next(_seq)}", full_name=kw.pop("full_name", "Pengguna Uji"),
                pegawai=pegawai, **kw)
    user.password_hash = password_hash(password)
    user.grants = [RoleGrant(role=Role(r), daerah=d) for r, d in (roles or [])]
    session.add(user)
    session.flush()
    return user
