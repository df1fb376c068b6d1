"""Console master data: each user sees and changes only their daerah; bad input gets a field message, nothing saved."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.audit import AuditLog
from engine.organisation import Daerah, Pegawai, UnitKerja
from tests.factories import PASSWORD, make_daerah, make_pegawai, make_unit, make_user, valid_nip
from tests.forms import login, submit


@pytest.fixture
def world(session):
    """Two daerah, each with a unit, two pegawai and an HR user; a policy maker and an admin."""
    palu = make_daerah(session, code="palu", name="Kota Palu")
    bantul = make_daerah(session, code="bantul", name="Kabupaten Bantul", level="kabupaten")
    w = {"palu": palu, "bantul": bantul}
    for d in (palu, bantul):
        unit = make_unit(session, d, name=f"Dinas Kesehatan {d.name}")
        boss = make_pegawai(session, unit, name=f"Kepala {d.code}", jenis_jabatan="jpt", golongan="IV/c")
        staff = make_pegawai(session, unit, name=f"Staf {d.code}", atasan=boss)
        w[f"unit_{d.code}"], w[f"boss_{d.code}"], w[f"staff_{d.code}"] = unit, boss, staff
        make_user(session, username=f"hr.{d.code}", roles=[("hr", d)])
    make_user(session, username="kebijakan.palu", roles=[("policy_maker", palu)])
    make_user(session, username="admin", roles=[("admin", None)])
    session.commit()
    return w


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_hr_sees_only_their_daerah(client, world):
    login(client, "hr.palu", PASSWORD)
    html = client.get("/admin/pegawai/").get_data(as_text=True)
    assert "Staf palu" in html and "Staf bantul" not in html
    assert "Kabupaten Bantul" not in client.get("/admin/daerah/").get_data(as_text=True)


def test_record_of_another_daerah_by_url_is_not_found(client, world):
    login(client, "hr.palu", PASSWORD)
    other = world["staff_bantul"].id
    for url in (f"/admin/pegawai/edit/?id={other}", f"/admin/pegawai/details/?id={other}"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Staf bantul" not in response.get_data(as_text=True)


def test_delete_of_another_daerah_is_refused_and_nothing_is_deleted(client, world, session):
    login(client, "hr.palu", PASSWORD)
    page = client.get("/admin/pegawai/").get_data(as_text=True)
    from tests.forms import parse_forms

    token = parse_forms(page)[0]["fields"][0][1]
    response = client.post("/admin/pegawai/delete/", data={"id": world["staff_bantul"].id, "csrf_token": token})
    assert response.status_code == 404
    assert session.get(Pegawai, world["staff_bantul"].id) is not None


def _new_pegawai(world, **kw):
    return {"nip": valid_nip(901), "name": "Budi Santoso", "jabatan": "Pengadministrasi", "jenis_jabatan": "pelaksana",
            "golongan": "II/c", "unit": str(world["unit_palu"].id), "atasan": str(world["boss_palu"].id)} | kw


def test_hr_creates_a_pegawai_and_it_is_audited(client, world, session):
    login(client, "hr.palu", PASSWORD)
    before = _count(session, Pegawai)
    response = submit(client, "/admin/pegawai/new/", _new_pegawai(world))
    assert response.status_code == 200
    assert _count(session, Pegawai) == before + 1
    created = session.scalar(select(Pegawai).where(Pegawai.name == "Budi Santoso"))
    assert created.daerah_id == world["palu"].id and created.atasan_id == world["boss_palu"].id
    row = session.scalars(select(AuditLog).where(AuditLog.entity == "pegawai").order_by(AuditLog.seq.desc())).first()
    assert row.actor == "hr.palu" and row.after["nip"] == valid_nip(901)


@pytest.mark.parametrize("nip, message", [
    ("1985031220100110", "NIP harus 18"),
    ("198513122010011001", "Tanggal lahir"),
    ("198503122010013001", "jenis kelamin"),
])
def test_bad_nip_gets_a_field_message_and_nothing_is_saved(client, world, session, nip, message):
    login(client, "hr.palu", PASSWORD)
    before, audit_before = _count(session, Pegawai), _count(session, AuditLog)
    response = submit(client, "/admin/pegawai/new/", _new_pegawai(world, nip=nip))
    html = response.get_data(as_text=True)
    assert message.lower() in html.lower()
    assert "invalid-feedback" in html or "help-block" in html  # shown at the field
    assert _count(session, Pegawai) == before and _count(session, AuditLog) == audit_before


def test_names_with_control_characters_and_daerah_codes_outside_a_z_are_refused(client, world, session):
    login(client, "hr.palu", PASSWORD)
    before = _count(session, Pegawai)
    response = submit(client, "/admin/pegawai/new/", _new_pegawai(world, name="Budi\x0bSantoso\x1b"))
    assert "karakter kendali" in response.get_data(as_text=True) and _count(session, Pegawai) == before
    client.post("/logout")
    admin = client.application.test_client()
    login(admin, "admin", PASSWORD)
    response = submit(admin, "/admin/daerah/new/", {"code": "кота", "name": "Kota", "level": "kota",
                                                    "timezone": "Asia/Jakarta"})
    assert "huruf kecil a-z, angka 0-9" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Daerah).where(Daerah.code == "кота")) == 0


def test_form_library_messages_are_in_the_users_language(client, world, session):
    login(client, "hr.palu", PASSWORD)
    response = submit(client, "/admin/pegawai/new/", _new_pegawai(world, name="", status_since="2026-02-30"))
    html = response.get_data(as_text=True)
    assert "Isian ini wajib diisi." in html and "Bukan tanggal yang sah" in html
    assert "This field is required." not in html
    english = submit(client, "/admin/pegawai/new/?lang=en", _new_pegawai(world, name=""))
    assert "This field is required." in english.get_data(as_text=True)


def test_atasan_from_another_daerah_is_refused(client, world, session):
    login(client, "admin", PASSWORD)
    before = _count(session, Pegawai)
    response = submit(client, "/admin/pegawai/new/", _new_pegawai(world, atasan=str(world["boss_bantul"].id)))
    assert "Atasan harus pegawai di daerah yang sama" in response.get_data(as_text=True)
    assert _count(session, Pegawai) == before


def test_forged_unit_of_another_daerah_is_refused(client, world, session):
    login(client, "hr.palu", PASSWORD)
    before = _count(session, Pegawai)
    response = submit(client, "/admin/pegawai/new/", _new_pegawai(world, unit=str(world["unit_bantul"].id)))
    assert response.status_code == 200
    assert _count(session, Pegawai) == before


def test_policy_maker_reads_but_cannot_create(client, world, session):
    login(client, "kebijakan.palu", PASSWORD)
    assert "Staf palu" in client.get("/admin/pegawai/").get_data(as_text=True)
    response = client.get("/admin/pegawai/new/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/users/new/").status_code == 403


def test_hr_cannot_manage_user_accounts(client, world):
    login(client, "hr.palu", PASSWORD)
    assert client.get("/admin/users/").status_code == 200
    assert client.get("/admin/users/new/").status_code in (302, 403)


def test_unit_parent_must_be_in_the_same_daerah(client, world, session):
    login(client, "admin", PASSWORD)
    before = _count(session, UnitKerja)
    response = submit(client, "/admin/unit_kerja/new/", {"daerah": str(world["palu"].id), "code": "x", "name": "X",
                                                         "parent": str(world["unit_bantul"].id)})
    assert "Unit induk harus berada di daerah yang sama" in response.get_data(as_text=True)
    assert _count(session, UnitKerja) == before


def test_console_speaks_indonesian_and_switches_to_english(client, world):
    login(client, "hr.palu", PASSWORD)
    html = client.get("/admin/pegawai/").get_data(as_text=True)
    assert "Daftar" in html and "Atasan langsung" in html
    english = client.get("/admin/pegawai/?lang=en").get_data(as_text=True)
    assert "List" in english and "Direct supervisor" in english
    assert "Direct supervisor" in client.get("/admin/pegawai/").get_data(as_text=True)  # the choice sticks


def test_search_and_filter_find_pegawai(client, world):
    login(client, "hr.palu", PASSWORD)
    html = client.get("/admin/pegawai/?search=Kepala").get_data(as_text=True)
    assert "Kepala palu" in html and "Staf palu" not in html


def test_text_is_escaped(client, world, session):
    world["staff_palu"].name = "<b>x</b>"
    session.commit()
    login(client, "hr.palu", PASSWORD)
    html = client.get("/admin/pegawai/").get_data(as_text=True)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html


def test_bulk_delete_reports_in_indonesian_plural(client, world, session):
    extra = [make_unit(session, world["palu"], name=f"Seksi {n}").id for n in range(3)]
    session.commit()
    login(client, "hr.palu", PASSWORD)
    page = client.get("/admin/unit_kerja/").get_data(as_text=True)
    from tests.forms import parse_forms

    token = dict(parse_forms(page)[0]["fields"])["csrf_token"]
    response = client.post("/admin/unit_kerja/action/", data={"action": "delete", "rowid": extra, "csrf_token": token},
                           follow_redirects=True)
    assert "3 data berhasil dihapus." in response.get_data(as_text=True)
    assert _count(session, UnitKerja) == 2
