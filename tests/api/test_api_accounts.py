"""Pegawai accounts through the API (for HR systems): HR creates the logins of the aktif pegawai without one and gets
each one-time activation code in the answer only; HR reissues a code for a forgotten password; nobody else may."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.accounts import activation_user
from engine.identity import User
from tests.api.conftest import error_of

CODE = re.compile(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}")


def test_hr_creates_the_missing_accounts_and_the_codes_activate_them(as_user, world, session):
    hr = as_user("hr.palu")
    response = hr.post("/accounts", json={"daerah": "palu"})
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["created"] == 1 and answer["skipped"] == [], "only the kepala dinas has no login yet"
    account = answer["accounts"][0]
    assert (account["nip"], account["username"], account["name"]) == (world.kepala_p.nip, world.kepala_p.nip,
                                                                      world.kepala_p.name)
    assert CODE.fullmatch(account["activation_code"]) and answer["activation_url"].endswith("/aktivasi")
    assert response.headers["Cache-Control"] == "no-store"
    session.expire_all()
    user = activation_user(session, account["nip"], account["activation_code"])
    assert user is not None and user.pegawai_id == world.kepala_p.id and user.password_hash == ""
    assert account["activation_code"] not in str(session.scalar(select(User.activation_hash).where(
        User.id == user.id))), "only the code's hash is stored"
    again = hr.post("/accounts", json={"daerah": "palu"}).get_json()
    assert again["created"] == 0 and again["accounts"] == []


def test_accounts_for_one_unit_and_who_may_create_them(as_user, world):
    assert as_user("hr.palu").post("/accounts", json={"daerah": "palu", "unit_id": world.bidang.id}).get_json()[
        "created"] == 0, "everyone in the bidang already has a login"
    other_unit = as_user("hr.palu").post("/accounts", json={"daerah": "palu", "unit_id": world.b_unit.id})
    assert other_unit.status_code == 404 and error_of(other_unit)["code"] == "not_found"
    assert as_user("hr.bantul").post("/accounts", json={"daerah": "palu"}).status_code == 404
    for name in ("pegawai.palu", "kebijakan.palu", "auditor.palu"):
        assert as_user(name).post("/accounts", json={"daerah": "palu"}).status_code in (403, 404), name
    missing = as_user("hr.palu").post("/accounts", json={})
    assert missing.status_code == 422 and "daerah" in error_of(missing)["fields"]


def test_hr_reissues_a_code_and_the_old_password_stops_working(as_user, world, session):
    spaced = " ".join(world.staff_p.nip[i:i + 6] for i in range(0, 18, 6))
    response = as_user("hr.palu").post("/accounts/reissue", json={"nip": spaced})
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["username"] == "pegawai.palu" and CODE.fullmatch(answer["activation_code"])
    session.expire_all()
    user = session.scalar(select(User).where(User.username == "pegawai.palu"))
    assert user.password_hash == "", "the forgotten password no longer signs in"
    assert activation_user(session, "pegawai.palu", answer["activation_code"]) is not None
    assert as_user("hr.bantul").post("/accounts/reissue", json={"nip": world.staff_p.nip}).status_code == 404
    unknown = as_user("hr.palu").post("/accounts/reissue", json={"nip": "199001012020121999"})
    assert unknown.status_code == 404 and error_of(unknown)["code"] == "not_found"


def test_a_pegawai_who_left_gets_no_new_code(as_user, world, session):
    from engine.organisation import PegawaiStatus

    world.staff_p.status = PegawaiStatus.pensiun
    session.commit()
    response = as_user("hr.palu").post("/accounts/reissue", json={"nip": world.staff_p.nip})
    assert response.status_code == 422 and "berstatus pensiun" in error_of(response)["fields"]["nip"][0]["id"]
