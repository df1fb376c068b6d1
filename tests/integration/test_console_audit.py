"""The auditor's console: audit log limited to the daerah, chain check, decision -> versions -> diff, read only."""
from __future__ import annotations

import copy
import datetime as dt

from rules.decisions import decide
from rules.versions import create_draft, get_version, publish_version, save_draft
from tests.factories import PASSWORD
from tests.forms import login, parse_forms
from tests.integration.rules_fixtures import make_facts, ruled  # noqa: F401 (fixture)


def _decision(session, w):
    decision = decide(session, w["hr"], daerah=w["palu"], pegawai=w["staff"], facts=make_facts(), on=dt.date(2026, 12, 31))
    session.commit()
    return decision


def test_auditor_traces_a_decision_to_its_versions_and_their_diff(client, session, ruled):
    current = get_version(session, ruled["admin"], "palu", "scoring")
    draft = create_draft(session, ruled["policy"], current.rule_set, change_note="ambang 120")
    doc = copy.deepcopy(draft.document)
    doc["stages"]["iki_rating"] = {"rules": [{"id": "iki_di_atas", "when": {"fact": "iki.capaian", "op": ">=",
                                                                             "value": 120}, "set": {"rating_iki": "di_atas"}}]}
    save_draft(session, ruled["policy"], draft, doc)
    publish_version(session, ruled["policy"], draft, legal_basis="contoh: Perwal Palu 5/2026",
                    effective_from=dt.date(2026, 1, 1))
    session.commit()
    decision = _decision(session, ruled)
    login(client, "auditor.palu", PASSWORD)
    page = client.get(f"/admin/trail/decision/{decision.id}/").get_data(as_text=True)
    assert "palu/scoring v2" in page and decision.result["explanation"]["id"][:30] in page
    version_page = client.get(f"/admin/trail/version/{draft.id}/").get_data(as_text=True)
    assert "kebijakan.palu" in version_page and "contoh: Perwal Palu 5/2026" in version_page
    assert "palu/scoring v1" in version_page and "110" in version_page and "120" in version_page
    replayed = client.post(f"/admin/trail/decision/{decision.id}/",
                           data={"csrf_token": dict(parse_forms(page)[-1]["fields"])["csrf_token"]})
    assert "Putar ulang identik" in replayed.get_data(as_text=True)


def test_audit_log_is_limited_to_the_daerah_and_read_only(client, session, ruled):
    _decision(session, ruled)
    bantul = decide(session, ruled["admin"], daerah=ruled["bantul"], pegawai=None, facts=make_facts(daerah="bantul"),
                    on=dt.date(2026, 12, 31))
    session.commit()
    login(client, "auditor.palu", PASSWORD)
    html = client.get("/admin/audit/?search=decision").get_data(as_text=True)
    assert "hr.palu" in html and ">admin<" not in html  # bantul's decision (by admin) is not listed
    assert client.get(f"/admin/trail/decision/{bantul.id}/").status_code == 404
    assert client.get("/admin/audit/new/").status_code in (302, 403)
    assert client.get("/admin/decision/new/").status_code in (302, 403)


def test_chain_check_from_the_console(client, session, ruled):
    login(client, "auditor.palu", PASSWORD)
    page = client.get("/admin/audit/").get_data(as_text=True)
    token = dict(parse_forms(page)[-1]["fields"]).get("csrf_token") or dict(parse_forms(page)[0]["fields"])["csrf_token"]
    response = client.post("/admin/audit/verify/", data={"csrf_token": token}, follow_redirects=True)
    assert "Rantai audit utuh" in response.get_data(as_text=True)


def test_a_long_chain_is_checked_a_segment_a_request_and_a_forged_continuation_is_refused(app, client, session,
                                                                                            ruled, monkeypatch):
    import admin.audit_chain
    from engine.audit import verify_chain

    monkeypatch.setattr(admin.audit_chain, "SEGMENT_BATCH", 3)  # a segment ends after each batch of 3 rows
    monkeypatch.setitem(app.config, "AUDIT_CHECK_SECONDS", 0)
    rows = verify_chain(session).checked
    assert rows > 6, "enough rows for several segments"
    login(client, "auditor.palu", PASSWORD)
    token = dict(parse_forms(client.get("/admin/audit/").get_data(as_text=True))[0]["fields"])["csrf_token"]
    page, seen = client.post("/admin/audit/verify/", data={"csrf_token": token}).get_data(as_text=True), []
    while "bulk-continue" in page:
        fields = dict(next(f for f in parse_forms(page) if f["action"].endswith("/admin/audit/verify/"))["fields"])
        seen.append(int(page.split('data-checked="')[1].split('"')[0]))
        assert f"dari {rows} baris diperiksa" in page  # fewer than a thousand rows here: no separator
        page = client.post("/admin/audit/verify/", data=fields, follow_redirects=True).get_data(as_text=True)
    assert seen == list(range(3, rows + 1, 3)), "each request checks one more batch and says how far it got"
    assert f"Rantai audit utuh: {rows} baris diperiksa" in page

    forged = client.post("/admin/audit/verify/", data={"csrf_token": token, "resume": "eyJsYXN0X2lkIjo5OTl9.x.y"},
                         follow_redirects=True).get_data(as_text=True)
    assert "Penanda lanjutan tidak sah" in forged and "Rantai audit utuh" not in forged


def test_pegawai_cannot_open_the_audit_log(client, session, ruled):
    login(client, "lain.palu", PASSWORD)
    assert client.get("/admin/audit/").status_code == 403
