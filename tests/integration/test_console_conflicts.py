"""Console saves that clash with stored data: a duplicate the service can see gets a field message; a clash it cannot
see (another worker saving the same key between the check and the commit) gets a clear conflict message in the user's
language, never the driver's SQL text or a 500, and nothing of the request is stored."""
from __future__ import annotations

import contextlib
import csv
import io
import re

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from engine.identity import RoleGrant, User
from engine.organisation import UnitKerja
from tests.factories import PASSWORD, make_daerah, make_pegawai, make_unit, make_user
from tests.forms import form_data, login, parse_forms, submit

CONFLICT_ID = "Data bertabrakan dengan data lain yang tersimpan"
CONFLICT_EN = "The data clashes with stored data"


@pytest.fixture
def world(session):
    palu = make_daerah(session, code="palu", name="Kota Palu")
    dinas = make_unit(session, palu, code="dinkes", name="Dinas Kesehatan")
    head = make_pegawai(session, dinas, name="Kepala Dinas", jenis_jabatan="jpt", golongan="IV/c")
    nurse = make_pegawai(session, dinas, name="Perawat Satu", atasan=head)
    make_user(session, username="kepala", pegawai=head)
    make_user(session, username="hr.palu", roles=[("hr", palu)])
    make_user(session, username="admin", roles=[("admin", None)])
    session.commit()
    return {"palu": palu, "dinas": dinas, "head": head, "nurse": nurse}


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@contextlib.contextmanager
def _another_worker_inserts(table, **values):
    """Between the request's checks and its commit, a row with `values` appears in `table` (as if another worker
    saved it at the same moment): the request's own flush then hits the unique key."""
    fired = []

    def insert(session):
        if not fired:
            fired.append(True)
            session.connection().execute(table.insert().values(**values))
    event.listen(Session, "before_commit", insert)
    try:
        yield fired
    finally:
        event.remove(Session, "before_commit", insert)


def test_a_duplicate_unit_code_names_the_field_and_the_unit_using_it(client, world, session):
    login(client, "admin", PASSWORD)
    before = _count(session, UnitKerja)
    response = submit(client, "/admin/unit_kerja/new/", {"daerah": str(world["palu"].id), "code": "dinkes",
                                                         "name": "Dinas Kesehatan Baru"})
    assert "Kode unit &#39;dinkes&#39; sudah dipakai Dinas Kesehatan di daerah ini." in _text(response)
    assert _count(session, UnitKerja) == before


def test_a_second_account_for_a_pegawai_and_a_repeated_role_are_refused(client, world, session):
    login(client, "admin", PASSWORD)
    before = _count(session, User)
    response = submit(client, "/admin/users/new/", {"username": "kepala2", "full_name": "Kepala", "locale": "id",
                                                    "pegawai": str(world["head"].id)})
    assert "Pegawai ini sudah punya akun: kepala." in _text(response)
    response = submit(client, "/admin/users/new/", {
        "username": "hr2.palu", "full_name": "HR", "locale": "en",
        "grants-0-role": "hr", "grants-0-daerah": str(world["palu"].id),
        "grants-1-role": "hr", "grants-1-daerah": str(world["palu"].id)})
    assert "Peran ini sama dengan baris 1." in _text(response)
    assert _count(session, User) == before and _count(session, RoleGrant) == 2


def test_a_unit_saved_by_another_worker_at_the_same_moment_is_a_conflict_message(client, world, session):
    login(client, "admin", PASSWORD)
    before = _count(session, UnitKerja)
    with _another_worker_inserts(UnitKerja.__table__, daerah_id=world["palu"].id, code="pkm", name="Puskesmas") as fired:
        response = submit(client, "/admin/unit_kerja/new/", {"daerah": str(world["palu"].id), "code": "pkm",
                                                             "name": "Puskesmas Talise"})
    assert fired and response.status_code == 200
    text = _text(response)
    assert CONFLICT_ID in text and "Tidak ada yang disimpan" in text
    assert "IntegrityError" not in text and "UNIQUE constraint" not in text and "[SQL:" not in text
    assert _count(session, UnitKerja) == before


def test_accounts_created_by_two_hr_at_once_answer_409_in_the_users_language(client, world, session):
    login(client, "hr.palu", PASSWORD)
    client.get("/admin/?lang=en")
    before = _count(session, User)
    html = client.get("/admin/akun/").get_data(as_text=True)
    index = next(i for i, f in enumerate(parse_forms(html)) if f["id"] == "accounts-create")
    with _another_worker_inserts(User.__table__, username=world["nurse"].nip, pegawai_id=world["nurse"].id) as fired:
        response = client.post("/admin/akun/create", data=form_data(html, {}, index))
    assert fired and response.status_code == 409
    assert CONFLICT_EN in _text(response) and "Nothing was stored" in _text(response)
    assert response.mimetype == "text/html", "no codes file for accounts that were not stored"
    assert _count(session, User) == before
    # once the clash is gone, the same page works: the session was rolled back, not left broken
    html = client.get("/admin/akun/").get_data(as_text=True)
    retry = client.post("/admin/akun/create", data=form_data(html, {}, index))
    assert retry.status_code == 200 and retry.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(retry.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [world["nurse"].nip]


@pytest.mark.parametrize("cleared", ["__None", "", "abc", "99999999999999999999"])
def test_clearing_the_daerah_of_an_hr_grant_is_refused_not_widened_to_every_daerah(client, world, session, cleared):
    login(client, "admin", PASSWORD)
    hr = session.scalar(select(User).where(User.username == "hr.palu"))
    before = [(g.role, g.daerah_id) for g in hr.grants]
    url = f"/admin/users/edit/?id={hr.id}"
    response = submit(client, url, {"grants-0-daerah": cleared})
    assert "Peran perumus kebijakan dan kepegawaian harus untuk satu daerah." in _text(response)
    session.expire_all()
    assert [(g.role, g.daerah_id) for g in session.get(User, hr.id).grants] == before == [("hr", world["palu"].id)]


@contextlib.contextmanager
def _the_database_refuses_a_value():
    """At the request's commit, PostgreSQL refuses a value (as it does text longer than its column, which SQLite
    stores): a DataError no check foresaw."""
    def refuse(session):
        event.remove(Session, "before_commit", refuse)
        session.connection().execute(text("SELECT CAST('tidak angka' AS integer)"))
    event.listen(Session, "before_commit", refuse)
    try:
        yield
    finally:
        if event.contains(Session, "before_commit", refuse):
            event.remove(Session, "before_commit", refuse)


@pytest.mark.postgres_only
def test_a_value_the_database_refuses_is_a_message_and_nothing_is_stored(app, client, world, session, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: SQLite refuses no value by type or length (CI runs this on PostgreSQL)")
    login(client, "admin", PASSWORD)
    before = _count(session, UnitKerja)
    with _the_database_refuses_a_value():
        response = submit(client, "/admin/unit_kerja/new/", {"daerah": str(world["palu"].id), "code": "pkm",
                                                             "name": "Puskesmas Talise"})
    assert response.status_code == 200 and "Sebuah nilai ditolak basis data" in _text(response)
    assert "psycopg" not in _text(response) and _count(session, UnitKerja) == before
    hr = app.test_client()
    login(hr, "hr.palu", PASSWORD)
    html = hr.get("/admin/akun/").get_data(as_text=True)
    index = next(i for i, f in enumerate(parse_forms(html)) if f["id"] == "accounts-create")
    with _the_database_refuses_a_value():
        page = hr.post("/admin/akun/create", data=form_data(html, {}, index))
    assert page.status_code == 422 and "Tidak ada yang disimpan" in _text(page)
    assert _count(session, User) == 3
