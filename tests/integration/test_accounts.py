"""Pegawai accounts: HR creates logins for every pegawai without one (a CSV of one-time activation codes), the
pegawai activates with NIP and code and chooses a password, HR reissues a code for a forgotten password, every
user changes their own password; wrong input names the field and changes nothing."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from sqlalchemy import func, select

from engine.audit import AuditLog
from engine.identity import User
from tests.factories import PASSWORD, make_daerah, make_pegawai, make_unit, make_user
from tests.forms import form_data, login, parse_forms

NEW = "Rahasia-Baru-2026"


@pytest.fixture
def world(session):
    """Palu: a dinas with a head (who already has a login) and a sub-unit with two staff; Bantul with one pegawai."""
    palu = make_daerah(session, code="palu", name="Kota Palu")
    bantul = make_daerah(session, code="bantul", name="Kabupaten Bantul", level="kabupaten")
    dinas = make_unit(session, palu, code="dinkes", name="Dinas Kesehatan")
    puskesmas = make_unit(session, palu, code="pkm", name="Puskesmas Talise", parent=dinas)
    head = make_pegawai(session, dinas, name="Kepala Dinas", jenis_jabatan="jpt", golongan="IV/c")
    nurse = make_pegawai(session, puskesmas, name="Perawat Satu", atasan=head)
    midwife = make_pegawai(session, puskesmas, name="Bidan Dua", atasan=head)
    other = make_pegawai(session, make_unit(session, bantul, code="dpmptsp", name="DPMPTSP"), name="Staf Bantul")
    make_user(session, username="kepala", pegawai=head)
    make_user(session, username="hr.palu", roles=[("hr", palu)])
    make_user(session, username="auditor.palu", roles=[("auditor", palu)])
    make_user(session, username="admin", roles=[("admin", None)])
    session.commit()
    return {"palu": palu, "dinas": dinas, "puskesmas": puskesmas, "head": head, "nurse": nurse,
            "midwife": midwife, "other": other}


def _post(client, url: str, form_id: str, fields: dict, page: str | None = None, follow: bool = True):
    html = client.get(page or url).get_data(as_text=True)
    index = next(i for i, f in enumerate(parse_forms(html)) if f["id"] == form_id)
    return client.post(url, data=form_data(html, fields, index), follow_redirects=follow)


def _codes(response) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    return {row[0]: row[4] for row in rows[1:]}


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _accounts(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(User))


def test_hr_creates_accounts_for_pegawai_without_one_and_gets_the_codes_once(app, client, world, session):
    login(client, "hr.palu", PASSWORD)
    assert 'id="without-account" data-count="2"' in _text(client.get("/admin/")), "HR's home says who has none"
    page = client.get("/admin/akun/")
    assert page.status_code == 200 and 'data-count="2"' in _text(page), "the head already has a login"
    before = _accounts(session)
    response = _post(client, "/admin/akun/create", "accounts-create", {}, page="/admin/akun/", follow=False)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert "kode-aktivasi-palu.csv" in response.headers["Content-Disposition"]
    header = response.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert header == "NIP;Nama;Unit kerja;Nama pengguna;Kode aktivasi;Berlaku sampai (UTC);Halaman aktivasi"
    codes = _codes(response)
    assert set(codes) == {world["nurse"].nip, world["midwife"].nip}
    assert all(re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", c) for c in codes.values())
    assert _accounts(session) == before + 2
    nurse = session.scalar(select(User).where(User.username == world["nurse"].nip))
    assert nurse.pegawai_id == world["nurse"].id and nurse.password_hash == "" and nurse.full_name == "Perawat Satu"
    assert nurse.activation_expires_at > dt.datetime.now() + dt.timedelta(days=29)
    audit = session.scalar(select(AuditLog).where(AuditLog.entity == "users", AuditLog.entity_id == str(nurse.id)))
    assert audit.actor == "hr.palu" and audit.action == "create"
    assert "activation_hash" not in audit.after and "password_hash" not in audit.after
    assert not any(code in str(audit.after) for code in codes.values())
    admin = app.test_client()
    login(admin, "admin", PASSWORD)
    details = admin.get(f"/admin/users/details/?id={nurse.id}").get_data(as_text=True)
    assert nurse.username in details and nurse.activation_hash not in details
    assert 'data-count="0"' in _text(client.get("/admin/akun/"))
    users = _text(client.get("/admin/users/"))
    assert "Kode aktivasi berlaku sampai (UTC)" in users
    assert nurse.activation_expires_at.strftime("%Y-%m-%d %H:%M:%S") in users, "who has not activated yet shows"
    again = _post(client, "/admin/akun/create", "accounts-create", {}, page="/admin/akun/")
    assert "Semua pegawai yang dipilih sudah punya akun." in _text(again) and _accounts(session) == before + 2


def test_accounts_for_one_unit_take_its_sub_units_only(client, world, session):
    world["puskesmas"].code = 'pkm "talise";1'  # a unit code is free text: the file name must stay one header value
    session.commit()
    login(client, "hr.palu", PASSWORD)
    response = _post(client, "/admin/akun/create", "accounts-create", {"unit": str(world["puskesmas"].id)},
                     page="/admin/akun/", follow=False)
    assert set(_codes(response)) == {world["nurse"].nip, world["midwife"].nip}
    assert response.headers["Content-Disposition"] == "attachment; filename=kode-aktivasi-palu-pkm__talise__1.csv"
    for forged_unit in ("999999", "99999999999999999999", "x", str(world["other"].unit_id)):
        forged = _post(client, "/admin/akun/create", "accounts-create", {"unit": forged_unit}, page="/admin/akun/")
        assert forged.status_code == 422 and "Unit kerja itu tidak ada di daerah ini." in _text(forged)


def test_the_pegawai_activates_with_nip_and_code_and_then_signs_in_with_their_password(app, client, world, session):
    login(client, "hr.palu", PASSWORD)
    codes = _codes(_post(client, "/admin/akun/create", "accounts-create", {}, page="/admin/akun/", follow=False))
    nip, code = world["nurse"].nip, codes[world["nurse"].nip]
    pegawai = app.test_client()
    assert 'href="/aktivasi"' in pegawai.get("/login").get_data(as_text=True)
    assert pegawai.post("/login", data=_login_form(pegawai, nip, "")).status_code in (400, 401)
    weak = _post(pegawai, "/aktivasi", "activation-form", {"username": nip, "code": code.upper(),
                                                           "new_password": nip + "x", "confirm_password": nip + "x"})
    assert weak.status_code == 422 and 'data-error-for="new_password"' in _text(weak)
    assert "jangan memuat nama pengguna atau NIP" in _text(weak)
    mismatch = _post(pegawai, "/aktivasi", "activation-form", {"username": nip, "code": code,
                                                               "new_password": NEW, "confirm_password": NEW + "!"})
    assert mismatch.status_code == 422 and "Ulangan kata sandi tidak sama." in _text(mismatch)
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    done = _post(pegawai, "/aktivasi", "activation-form", {"username": grouped, "code": code.upper().replace("-", " "),
                                                           "new_password": NEW, "confirm_password": NEW})
    assert done.status_code == 200 and done.request.path == "/admin/"
    assert "Akun aktif." in _text(done)
    user = session.scalar(select(User).where(User.username == nip))
    session.refresh(user)
    assert user.check_password(NEW) and user.activation_hash is None
    reused = app.test_client()
    used = _post(reused, "/aktivasi", "activation-form", {"username": nip, "code": code, "new_password": NEW + "2",
                                                          "confirm_password": NEW + "2"})
    assert used.status_code == 401 and "kode sudah tidak berlaku" in _text(used), "a code works once"
    assert login(app.test_client(), nip, NEW).request.path == "/admin/"


def _login_form(client, username: str, password: str):
    return form_data(client.get("/login").get_data(as_text=True), {"username": username, "password": password})


def test_a_wrong_nip_or_code_gets_one_answer_and_is_throttled(app, world, session):
    hr = app.test_client()
    login(hr, "hr.palu", PASSWORD)
    codes = _codes(_post(hr, "/admin/akun/create", "accounts-create", {}, page="/admin/akun/", follow=False))
    nip, code = world["nurse"].nip, codes[world["nurse"].nip]
    guesser = app.test_client()
    answers = set()
    guesses = ((nip, "aaaa-bbbb-cccc-dddd"), (world["midwife"].nip, code), ("x", code), (nip, ""), (nip, code[:-1]))
    for username, guess in guesses:  # five failures: the login's limit
        response = _post(guesser, "/aktivasi", "activation-form", {"username": username, "code": guess,
                                                                    "new_password": NEW, "confirm_password": NEW})
        answers.add((response.status_code, "NIP atau kode aktivasi salah" in _text(response)))
    assert answers == {(401, True)}
    blocked = _post(guesser, "/aktivasi", "activation-form", {"username": nip, "code": code, "new_password": NEW,
                                                               "confirm_password": NEW})
    assert blocked.status_code == 429 and "Coba lagi dalam" in _text(blocked)
    session.expire_all()
    assert session.scalar(select(User).where(User.username == nip)).password_hash == ""


def test_an_expired_code_is_refused(app, client, world, session):
    login(client, "hr.palu", PASSWORD)
    codes = _codes(_post(client, "/admin/akun/create", "accounts-create", {}, page="/admin/akun/", follow=False))
    user = session.scalar(select(User).where(User.username == world["nurse"].nip))
    user.activation_expires_at = dt.datetime(2020, 1, 1)
    session.commit()
    response = _post(app.test_client(), "/aktivasi", "activation-form", {
        "username": world["nurse"].nip, "code": codes[world["nurse"].nip], "new_password": NEW,
        "confirm_password": NEW})
    assert response.status_code == 401


def test_hr_reissues_a_code_and_the_old_password_stops_working(app, client, world, session):
    head = session.get(User, session.scalar(select(User.id).where(User.username == "kepala")))
    login(client, "hr.palu", PASSWORD)
    response = _post(client, "/admin/akun/reissue", "accounts-reissue", {"nip": world["head"].nip},
                     page="/admin/akun/")
    assert response.status_code == 200
    code = re.search(r'id="reissued-code"[^>]*>([a-z2-9-]+)<', _text(response)).group(1)
    assert "Kode aktivasi baru untuk Kepala Dinas" in _text(response)
    assert login(app.test_client(), "kepala", PASSWORD).request.path == "/login", "the old password is gone"
    session.refresh(head)
    assert head.password_hash == ""
    done = _post(app.test_client(), "/aktivasi", "activation-form", {"username": "kepala", "code": code,
                                                                      "new_password": NEW, "confirm_password": NEW})
    assert done.request.path == "/admin/"
    row = session.scalars(select(AuditLog).where(AuditLog.entity == "users", AuditLog.entity_id == str(head.id))
                          .order_by(AuditLog.seq)).all()[-2]
    assert row.actor == "hr.palu" and row.after == {"password_hash": "*** (diubah / changed)",
                                                    "activation_hash": "*** (diubah / changed)",
                                                    "activation_expires_at": row.after["activation_expires_at"]}


def test_reissue_is_refused_for_role_holders_other_daerah_and_unknown_nips(client, world, session):
    login(client, "hr.palu", PASSWORD)
    for nip, status, text in ((world["other"].nip, 404, "Tidak ada akun pegawai dengan NIP itu di daerah Anda."),
                              ("123", 404, "Tidak ada akun pegawai dengan NIP itu"), ("", 404, "Tidak ada akun")):
        response = _post(client, "/admin/akun/reissue", "accounts-reissue", {"nip": nip}, page="/admin/akun/")
        assert response.status_code == status and text in _text(response)
    hr = session.scalar(select(User).where(User.username == "hr.palu"))
    hr.pegawai = world["midwife"]
    session.commit()
    response = _post(client, "/admin/akun/reissue", "accounts-reissue", {"nip": world["midwife"].nip},
                     page="/admin/akun/")
    assert response.status_code == 403 and "Hanya administrator" in _text(response)
    retired = session.scalar(select(User).where(User.username == "kepala")).pegawai
    retired.status = "pensiun"
    for report in (world["nurse"], world["midwife"]):
        report.status = "pindah"
    session.commit()
    response = _post(client, "/admin/akun/reissue", "accounts-reissue", {"nip": retired.nip}, page="/admin/akun/")
    assert response.status_code == 422 and "Kepala Dinas berstatus pensiun" in _text(response)


def test_only_hr_and_admin_reach_the_accounts_page(app, world):
    reader = app.test_client()
    login(reader, "auditor.palu", PASSWORD)
    assert reader.get("/admin/akun/").status_code == 403
    assert 'href="/admin/akun/"' not in reader.get("/admin/").get_data(as_text=True)
    admin = app.test_client()
    login(admin, "admin", PASSWORD)
    page = _text(admin.get("/admin/akun/"))
    assert 'id="accounts-daerah"' in page and 'id="accounts-without"' not in page, "an admin picks the daerah first"
    assert 'data-count="1"' in _text(admin.get("/admin/akun/?daerah=bantul"))


def test_every_user_changes_their_own_password(app, client, world, session):
    login(client, "auditor.palu", PASSWORD)
    assert 'href="/admin/kata-sandi/"' in client.get("/admin/").get_data(as_text=True)
    wrong = _post(client, "/admin/kata-sandi/", "password-form", {"current_password": "salah", "new_password": NEW,
                                                                  "confirm_password": NEW})
    assert wrong.status_code == 422 and 'data-error-for="current_password"' in _text(wrong)
    short = _post(client, "/admin/kata-sandi/", "password-form", {"current_password": PASSWORD,
                                                                  "new_password": "pendek", "confirm_password": "pendek"})
    assert short.status_code == 422 and "Kata sandi baru harus 10-128 karakter." in _text(short)
    english = _post(client, "/admin/kata-sandi/?lang=en", "password-form", {
        "current_password": PASSWORD, "new_password": "aaaaaaaaaaaa", "confirm_password": "aaaaaaaaaaaa"})
    assert "The new password is too easy to guess" in _text(english)
    client.get("/admin/?lang=id")
    done = _post(client, "/admin/kata-sandi/", "password-form", {"current_password": PASSWORD, "new_password": NEW,
                                                                 "confirm_password": NEW})
    assert done.request.path == "/admin/" and "Kata sandi Anda telah diganti." in _text(done)
    assert login(app.test_client(), "auditor.palu", PASSWORD).request.path == "/login"
    assert login(app.test_client(), "auditor.palu", NEW).request.path == "/admin/"


def test_an_admin_setting_a_password_follows_the_same_rules_and_ends_a_pending_code(app, client, world, session):
    login(client, "hr.palu", PASSWORD)
    codes = _codes(_post(client, "/admin/akun/create", "accounts-create", {}, page="/admin/akun/", follow=False))
    nurse = session.scalar(select(User).where(User.username == world["nurse"].nip))
    admin = app.test_client()
    login(admin, "admin", PASSWORD)
    url = f"/admin/users/edit/?id={nurse.id}"
    html = admin.get(url).get_data(as_text=True)
    index = next(i for i, f in enumerate(parse_forms(html)) if "new_password" in dict(f["fields"]))
    short = admin.post(url, data=form_data(html, {"new_password": "pendek"}, index), follow_redirects=True)
    assert "Kata sandi baru harus 10-128 karakter." in _text(short)
    session.refresh(nurse)
    assert nurse.password_hash == ""
    admin.post(url, data=form_data(html, {"new_password": NEW}, index), follow_redirects=True)
    session.refresh(nurse)
    assert nurse.check_password(NEW) and nurse.activation_hash is None
    late = _post(app.test_client(), "/aktivasi", "activation-form", {
        "username": nurse.username, "code": codes[nurse.username], "new_password": NEW + "x",
        "confirm_password": NEW + "x"})
    assert late.status_code == 401, "the code given out before no longer works"


def test_a_new_password_ends_every_other_session_of_the_user(app, client, world, session):
    elsewhere = app.test_client()  # the same user, signed in on another computer
    login(elsewhere, "auditor.palu", PASSWORD)
    login(client, "auditor.palu", PASSWORD)
    assert elsewhere.get("/admin/").status_code == 200
    done = _post(client, "/admin/kata-sandi/", "password-form", {"current_password": PASSWORD, "new_password": NEW,
                                                                 "confirm_password": NEW})
    assert done.request.path == "/admin/", "the session that changed the password goes on"
    assert client.get("/admin/").status_code == 200
    gone = elsewhere.get("/admin/", follow_redirects=True)
    assert gone.request.path == "/login", "the other session ended"
    # HR's new activation code (a forgotten or leaked password) ends the pegawai's own open session too
    kepala = app.test_client()
    login(kepala, "kepala", PASSWORD)
    assert kepala.get("/admin/").status_code == 200
    hr = app.test_client()
    login(hr, "hr.palu", PASSWORD)
    _post(hr, "/admin/akun/reissue", "accounts-reissue", {"nip": world["head"].nip}, page="/admin/akun/")
    session.expire_all()
    assert session.scalar(select(User.password_hash).where(User.username == "kepala")) == ""
    assert kepala.get("/admin/", follow_redirects=True).request.path == "/login"
