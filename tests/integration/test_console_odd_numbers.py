"""Numbers typed as other digits: a superscript '²' passes str.isdigit() but int() refuses it. Every id, page and
count the console reads from a query or a form treats one as what it is, not a number (a 404, the first page, a
field message), never a 500."""
from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.forms import form_data, login, parse_forms
from tests.integration.test_console import world  # noqa: F401 (fixture)

ODD = ("²", "²⁰²⁵", "٣")


@pytest.mark.parametrize("view", ["daerah", "unit_kerja", "pegawai", "users", "audit"])
def test_an_odd_id_in_a_record_address_is_not_found(client, world, view):
    login(client, "admin", PASSWORD)
    for odd in ODD:
        for page in ("details", "edit"):
            if view == "audit" and page == "edit":
                continue
            response = client.get(f"/admin/{view}/{page}/?id={odd}")
            assert response.status_code in (302, 404), (view, page, odd, response.status_code)


def test_odd_page_numbers_show_the_first_page(client, world):
    login(client, "hr.palu", PASSWORD)
    for url in ("/admin/lifecycle/list/", "/admin/lifecycle/overdue/"):
        for odd in ODD:
            assert client.get(f"{url}?page={odd}").status_code == 200, (url, odd)


def _post_form(client, page: str, form_id: str, fields: dict):
    html = client.get(page).get_data(as_text=True)
    index = next(i for i, f in enumerate(parse_forms(html)) if f["id"] == form_id)
    action = parse_forms(html)[index]["action"] or page
    return client.post(action, data=form_data(html, fields, index))


def test_odd_numbers_in_console_forms_get_a_message(client, world, session):
    login(client, "hr.palu", PASSWORD)
    days = _post_form(client, "/admin/tokens/", "token-form", {"name": "uji", "expires_in_days": "²"})
    assert days.status_code == 422 and 'id="token-error"' in days.get_data(as_text=True)
    accounts = _post_form(client, "/admin/akun/", "accounts-create", {"unit": "²"})
    assert accounts.status_code == 422
    html = client.get("/admin/pegawai/").get_data(as_text=True)
    token = form_data(html, {}, 0).get("csrf_token")
    deleted = client.post("/admin/pegawai/action/", data={"action": "delete", "rowid": "²", "csrf_token": token})
    assert deleted.status_code in (200, 302)


@pytest.mark.parametrize("view", ["audit", "pegawai", "unit_kerja", "users", "daerah"])
def test_filter_values_no_column_can_hold_match_nothing(client, world, view):
    login(client, "admin", PASSWORD)
    for index in range(45):  # every filter of the view, whatever its position
        for value in ("99999999999999999999", "3000000000", "-99999999999999999999"):
            response = client.get(f"/admin/{view}/?flt0_{index}={value}")
            assert response.status_code == 200, (view, index, value, response.status_code)
