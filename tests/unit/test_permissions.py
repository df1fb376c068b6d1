"""Permission rules, decided without an app or a database."""
from __future__ import annotations

import pytest

from engine.identity import RoleGrant, User
from engine.organisation import Daerah, Pegawai
from engine.permissions import read_scope, require_write, roles_of, write_scope
from engine.runtime.errors import NotAllowed


def _user(*grants, pegawai=None, active=True) -> User:
    user = User(username="u", active=active, pegawai=pegawai)
    user.grants = [RoleGrant(role=role, daerah_id=daerah_id) for role, daerah_id in grants]
    return user


def test_hr_writes_pegawai_only_in_their_daerah():
    hr = _user(("hr", 1))
    assert write_scope(hr, "pegawai").allows(1)
    assert not write_scope(hr, "pegawai").allows(2)
    with pytest.raises(NotAllowed) as error:
        require_write(None, hr, "pegawai", 2)
    assert "tidak berwenang" in error.value.message("id") and "not allowed" in error.value.message("en")


def test_policy_maker_and_auditor_read_but_never_write_master_data():
    for role in ("policy_maker", "auditor"):
        user = _user((role, 3))
        assert read_scope(user, "pegawai").allows(3) and not read_scope(user, "pegawai").allows(4)
        assert not write_scope(user, "pegawai").allows(3)


def test_admin_reaches_every_daerah_and_only_admin_manages_users():
    admin = _user(("admin", None))
    assert write_scope(admin, "users").allows(None) and write_scope(admin, "daerah").allows(99)
    assert not write_scope(_user(("hr", 1)), "users").allows(1)


def test_inactive_user_reaches_nothing():
    assert not read_scope(_user(("admin", None), active=False), "pegawai").allows(1)


def test_pegawai_link_makes_pegawai_and_atasan_of_reports():
    boss = Pegawai(name="Atasan", daerah=Daerah(code="d"))
    boss.bawahan = [Pegawai(name="Staf")]
    assert roles_of(_user(pegawai=boss)) == {"pegawai", "atasan"}
    assert roles_of(_user(pegawai=boss.bawahan[0])) == {"pegawai"}
