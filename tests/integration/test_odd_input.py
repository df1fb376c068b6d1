"""Odd values typed or forged into the login, activation, account, password and import pages: a clear answer,
never a 500 (PostgreSQL refuses NUL characters in text, and integers past 32 bits)."""
from __future__ import annotations

import io
import re

from tests.factories import PASSWORD
from tests.forms import form_data, login, parse_forms
from tests.integration.test_accounts import _post, world  # noqa: F401 (the fixture)

ODD = ["x", "-1", "2147483648", "99999999999999999999", "1e400", "", "2026-02-30", "a" * 5000, "' OR 1=1", "a\x00b"]


def _import(client, value: str):
    html = client.get("/admin/pegawai/import/").get_data(as_text=True)
    index = next(i for i, f in enumerate(parse_forms(html)) if f["id"] == "import-form")
    fields = {"daerah": value, "mode": value, "file": (io.BytesIO(value.encode()), value[:50] or "f.csv")}
    return client.post("/admin/pegawai/import/", data=form_data(html, fields, index))


def test_odd_values_on_the_new_pages_get_an_answer_not_a_500(app, world):
    hr, admin, anonymous = app.test_client(), app.test_client(), app.test_client()
    login(hr, "hr.palu", PASSWORD)
    login(admin, "admin", PASSWORD)
    statuses = set()
    for value in ODD:
        for client in (hr, admin):
            statuses.add(client.get("/admin/akun/", query_string={"daerah": value}).status_code)
            statuses.add(_post(client, "/admin/akun/create", "accounts-create", {"unit": value, "daerah": value},
                               page="/admin/akun/?daerah=palu").status_code)
            statuses.add(_post(client, "/admin/akun/reissue", "accounts-reissue", {"nip": value},
                               page="/admin/akun/?daerah=palu").status_code)
            statuses.add(_post(client, "/admin/kata-sandi/", "password-form", {
                "current_password": value, "new_password": value, "confirm_password": value}).status_code)
            statuses.add(_import(client, value).status_code)
        statuses.add(_post(anonymous, "/aktivasi", "activation-form", {
            "username": value, "code": value, "new_password": value, "confirm_password": value}).status_code)
    assert max(statuses) < 500, statuses


def test_a_nul_character_is_refused_by_name_in_the_users_language(app, world):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data=form_data(html, {"username": "hr.palu\x00", "password": PASSWORD}))
    text = re.sub(r"\s+", " ", response.get_data(as_text=True))
    assert response.status_code == 400 and "Kolom &#39;username&#39; berisi karakter NUL" in text
    login(client, "hr.palu", PASSWORD)
    search = client.get("/admin/pegawai/?search=a%00b", headers={"Accept-Language": "en"})
    assert search.status_code == 400 and "The field &#39;search&#39; holds a NUL character" in search.get_data(
        as_text=True)
