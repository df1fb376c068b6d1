"""Numbers no column can hold, typed into the query or a form of the full demo's pages: not found (404), the
default or a bounded form, never a 500 (the same defect as test_out_of_range_numbers.py, on pages that need the
demo's data). They read the full demo, so xdist runs this file on the full demo's worker (tests/conftest.py)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from admin.converters import MAX_ID
from admin.console.rules_view import MAX_IKI_ROWS
from engine.organisation import Daerah
from rules.models import RuleSet, RuleVersion
from tests.forms import login, parse_forms

BIG = str(10**20)


def _palu_version(session) -> int:
    palu = session.scalar(select(Daerah).where(Daerah.code == "palu"))
    return session.scalar(select(RuleVersion.id).join(RuleSet).where(RuleSet.daerah_id == palu.id)
                          .order_by(RuleVersion.id))


@pytest.mark.parametrize("user,path", [
    ("hr.palu", "/admin/lifecycle/?tahun={n}"), ("hr.palu", "/admin/lifecycle/list/?unit={n}"),
    ("hr.palu", "/admin/lifecycle/kurva/?daerah={n}"),
    ("kebijakan.palu", "/admin/rules/v/{v}/impact?year={n}"), ("kebijakan.palu", "/admin/rules/diff?a={n}&b={v}"),
    ("kebijakan.palu", "/admin/rules/v/{v}/try?decision={n}"), ("auditor.palu", "/admin/decision/details/?id={n}"),
])
def test_a_query_number_no_column_can_hold_is_not_a_500(demo_app, demo_session, user, path):
    client = demo_app.test_client()
    login(client, user)
    for n in (MAX_ID + 1, BIG):
        url = path.format(n=n, v=_palu_version(demo_session))
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)


def test_a_form_id_no_row_can_have_is_not_found(demo_app):
    client = demo_app.test_client()
    login(client, "hr.palu")
    page = client.get("/admin/publik/survei/").get_data(as_text=True)
    csrf = dict(parse_forms(page)[0]["fields"])["csrf_token"]
    for path, field in (("open", "unit_id"), ("close", "form_id")):
        for n in (MAX_ID + 1, BIG):
            response = client.post(f"/admin/publik/survei/{path}/", data={field: str(n), "csrf_token": csrf})
            assert response.status_code == 404, (path, n, response.status_code)


@pytest.mark.parametrize("count,rows", [("x", 5), ("2000", MAX_IKI_ROWS), ("-4", 5)])
def test_the_coba_form_takes_any_iki_count_and_renders_a_bounded_number_of_rows(demo_app, demo_session, count, rows):
    client = demo_app.test_client()
    login(client, "kebijakan.palu")
    url = f"/admin/rules/v/{_palu_version(demo_session)}/try"
    data = dict(parse_forms(client.get(url).get_data(as_text=True))[-1]["fields"])
    data["iki_count"] = count
    response = client.post(url, data=data)
    assert response.status_code == 200
    assert len(set(re.findall(r'name="iki-(\d+)-target"', response.get_data(as_text=True)))) == rows
