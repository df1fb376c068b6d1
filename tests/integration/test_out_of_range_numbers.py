"""Numbers no id column can hold, typed into an address: not found (404) or an empty list page, never a 500.

Before: /admin/evaluation/99999999999999999999/ and every other console `<int:...>` route reached the query, and
SQLite (OverflowError) or PostgreSQL (integer out of range, already past 2**31 - 1) failed; so did a list page such
as ?page=99999999999999999999 (flask-admin turns it into the OFFSET)."""
from __future__ import annotations

import re

import pytest

from admin.converters import MAX_ID, DatabaseIdConverter
from engine.api_tokens import create_token
from tests.factories import PASSWORD, make_daerah, make_pegawai, make_unit, make_user
from tests.forms import login, parse_forms

TOO_BIG = (MAX_ID + 1, 2**63, 10**20)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def admin(session):
    """An administrator with a console login and an API token, and one pegawai to list."""
    palu = make_daerah(session, code="palu", name="Kota Palu")
    make_pegawai(session, make_unit(session, palu, name="Dinas Kesehatan"), name="Staf Palu")
    user = make_user(session, username="admin", roles=[("admin", None)])
    token = create_token(session, user, "uji")[1]
    session.commit()
    return token


def _int_routes(app) -> list[tuple[str, str]]:
    """(path with every integer part set to {n}, a method it answers) for every route with an integer part."""
    out = []
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if isinstance(conv, DatabaseIdConverter)]
        if not ints:
            continue
        path = re.sub(r"<(?:int(?:\([^)]*\))?:)?(\w+)>", lambda m: "{n}" if m.group(1) in ints else "x", rule.rule)
        out.append((path, next(m for m in METHODS if m in rule.methods)))
    return out


def test_every_integer_route_answers_404_for_an_id_no_row_can_have(app, client, admin):
    routes = _int_routes(app)
    assert len(routes) > 20 and any(p.startswith("/api/") for p, _ in routes) and any(
        p.startswith("/admin/") for p, _ in routes)
    login(client, "admin", PASSWORD)
    headers = {"Authorization": f"Bearer {admin}"}
    for path, method in routes:
        for n in TOO_BIG:
            url = path.format(n=n)
            response = client.open(url, method=method, headers=headers if url.startswith("/api/") else None)
            # 405 where a sibling rule of the same path answers other methods (werkzeug's answer, not ours)
            assert response.status_code in (404, 405), (method, url, response.status_code)
    # the largest id a row can have is still a number the route takes (and simply finds nothing)
    assert client.get(f"/admin/evaluation/{MAX_ID}/").status_code == 404
    assert client.get(f"/api/v1/evaluations/{MAX_ID}", headers=headers).status_code == 404


@pytest.mark.parametrize("page", ["99999999999999999999", str(2**62), "-3"])
def test_a_list_page_far_beyond_the_last_is_an_empty_page(client, admin, page):
    login(client, "admin", PASSWORD)
    response = client.get(f"/admin/pegawai/?page={page}&page_size=20")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert ("Staf Palu" in html) == (page == "-3")  # a negative page is the first one


def test_deleting_an_id_no_row_can_have_deletes_nothing_and_fails_nothing(client, session, admin):
    login(client, "admin", PASSWORD)
    csrf = dict(parse_forms(client.get("/admin/pegawai/").get_data(as_text=True))[0]["fields"])["csrf_token"]
    response = client.post("/admin/pegawai/action/", data={"action": "delete", "rowid": [str(10**20)],
                                                             "csrf_token": csrf}, follow_redirects=True)
    assert response.status_code == 200
    assert "Staf Palu" in client.get("/admin/pegawai/").get_data(as_text=True)


@pytest.mark.parametrize("view", ["details", "edit"])
def test_a_record_page_with_an_id_no_row_can_have_is_not_found(client, admin, view):
    login(client, "admin", PASSWORD)
    for n in (*TOO_BIG, "x", "-1", "1e3", ""):
        response = client.get(f"/admin/pegawai/{view}/?id={n}")
        assert response.status_code in (302, 404), (n, response.status_code)
