"""Pickers of a pegawai (a pegawai's atasan, a user's pegawai record) are searched, not listed.

Before: the pegawai and user forms listed every pegawai of the daerah in a select; with 50,000 pegawai the form was
3 MB and took 3 s. Now the form holds only the current choice, the lookup searches by name or NIP within the daerah
the user may write, a page at a time, and a posted id that names no row is refused instead of saved as empty."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from admin.console.lookups import MAX_LIMIT
from engine.identity import User
from engine.organisation import Pegawai
from tests.factories import PASSWORD, make_daerah, make_pegawai, make_unit, make_user, valid_nip
from tests.forms import login, submit

LOOKUP = "/admin/pegawai/ajax/lookup/"


@pytest.fixture
def world(session):
    """Palu with a kepala and 60 staff, Bantul with one pegawai; HR of palu, an admin, a user without a pegawai."""
    palu = make_daerah(session, code="palu", name="Kota Palu")
    bantul = make_daerah(session, code="bantul", name="Kabupaten Bantul", level="kabupaten")
    unit = make_unit(session, palu, name="Dinas Kesehatan")
    boss = make_pegawai(session, unit, name="Kepala Dinas", jenis_jabatan="jpt", golongan="IV/c")
    staff = [make_pegawai(session, unit, name=f"Staf Nomor {i:02d}", atasan=boss) for i in range(60)]
    other = make_pegawai(session, make_unit(session, bantul, name="Puskesmas"), name="Kepala Puskesmas Bantul")
    make_user(session, username="hr.palu", roles=[("hr", palu)])
    make_user(session, username="admin", roles=[("admin", None)])
    make_user(session, username="operator", roles=[("auditor", palu)])
    session.commit()
    return {"unit": unit, "boss": boss, "staff": staff, "other": other}


def _lookup(client, name="atasan", url=LOOKUP, **args) -> list[list]:
    response = client.get(url, query_string={"name": name, **args})
    assert response.status_code == 200, response.status_code
    return json.loads(response.get_data(as_text=True))


def test_the_pegawai_form_lists_no_pegawai_and_shows_the_current_atasan(client, world):
    login(client, "hr.palu", PASSWORD)
    new = client.get("/admin/pegawai/new/").get_data(as_text=True)
    assert "Staf Nomor" not in new and "Kepala Dinas" not in new
    assert 'data-role="select2-ajax"' in new and 'data-url="/admin/pegawai/ajax/lookup/?name=atasan"' in new
    edit = client.get(f"/admin/pegawai/edit/?id={world['staff'][7].id}").get_data(as_text=True)
    assert "Kepala Dinas" in edit and "Staf Nomor 08" not in edit


def test_the_lookup_searches_by_name_or_nip_within_the_daerah(client, world):
    login(client, "hr.palu", PASSWORD)
    found = _lookup(client, query="nomor 1")
    assert [label for _, label in found] == [f"Staf Nomor {i} ({world['staff'][i].nip})" for i in range(10, 20)]
    by_nip = _lookup(client, query=world["boss"].nip[-6:])
    assert [pk for pk, _ in by_nip] == [world["boss"].id]
    assert _lookup(client, query="Puskesmas Bantul") == []  # another daerah's pegawai are not offered


def test_the_admin_finds_every_daerah(client, world):
    login(client, "admin", PASSWORD)
    assert [pk for pk, _ in _lookup(client, query="Puskesmas Bantul")] == [world["other"].id]


@pytest.mark.parametrize("args", [{"limit": "100000"}, {"limit": "-5", "offset": "-3"},
                                  {"offset": "99999999999999999999"}, {}])
def test_the_lookup_is_bounded_whatever_it_is_asked(client, world, args):
    login(client, "hr.palu", PASSWORD)
    rows = _lookup(client, **args)
    assert len(rows) <= MAX_LIMIT
    if "offset" not in args:
        assert rows  # no query means every name, a page of them


def test_an_unknown_lookup_is_not_found(client, world):
    login(client, "hr.palu", PASSWORD)
    assert client.get(LOOKUP, query_string={"name": "password_hash"}).status_code == 404


def test_a_reader_cannot_search_pegawai_through_the_lookup(client, world):
    client.get("/logout")
    assert client.get(LOOKUP, query_string={"name": "atasan", "query": "Staf"}).status_code in (302, 401)
    login(client, "operator", PASSWORD)  # an auditor may read pegawai, not write them: nothing to pick
    assert _lookup(client, query="Staf") == []


@pytest.mark.parametrize("atasan", ["999999", "x", "99999999999999999999"])
def test_an_atasan_id_that_names_no_row_is_refused_and_nothing_is_saved(client, session, world, atasan):
    login(client, "hr.palu", PASSWORD)
    data = {"nip": valid_nip(903), "name": "Budi Santoso", "jabatan": "Pengadministrasi",
            "jenis_jabatan": "pelaksana", "golongan": "II/c", "unit": str(world["unit"].id), "atasan": atasan}
    html = submit(client, "/admin/pegawai/new/", data).get_data(as_text=True)
    assert "Pilihan tidak ditemukan" in html
    session.expire_all()
    assert session.scalar(select(Pegawai).where(Pegawai.name == "Budi Santoso")) is None


def test_the_atasan_picked_is_saved_and_can_be_cleared(client, session, world):
    login(client, "hr.palu", PASSWORD)
    staff = world["staff"][3]
    submit(client, f"/admin/pegawai/edit/?id={staff.id}", {"atasan": str(world["staff"][4].id)})
    session.expire_all()
    assert session.get(Pegawai, staff.id).atasan_id == world["staff"][4].id
    submit(client, f"/admin/pegawai/edit/?id={staff.id}", {"atasan": "__None"})
    session.expire_all()
    assert session.get(Pegawai, staff.id).atasan_id is None


def test_the_user_form_links_a_pegawai_through_the_lookup(client, session, world):
    login(client, "admin", PASSWORD)
    page = client.get("/admin/users/new/").get_data(as_text=True)
    assert "Staf Nomor" not in page
    assert [pk for pk, _ in _lookup(client, "pegawai", "/admin/users/ajax/lookup/", query="Kepala Dinas")] == \
        [world["boss"].id]
    user = session.scalar(select(User).where(User.username == "operator"))
    submit(client, f"/admin/users/edit/?id={user.id}", {"pegawai": str(world["boss"].id)})
    session.expire_all()
    assert session.get(User, user.id).pegawai_id == world["boss"].id
