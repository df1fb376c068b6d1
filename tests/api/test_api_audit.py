"""The audit chain check over the API: a few seconds a call, going on with the signed `next` until a verdict."""
from __future__ import annotations

import pytest

import admin.audit_chain
from engine.audit import verify_chain
from tests.api.conftest import error_of


@pytest.fixture
def short_segments(app, monkeypatch):
    """Segments that end after every batch of 4 rows (a provinsi's chain needs many; the test world has dozens)."""
    monkeypatch.setattr(admin.audit_chain, "SEGMENT_BATCH", 4)
    monkeypatch.setitem(app.config, "AUDIT_CHECK_SECONDS", 0)


def test_the_check_goes_on_with_next_until_the_whole_chain_is_checked(as_user, session, short_segments):
    rows = verify_chain(session).checked
    auditor = as_user("auditor.palu")
    answer = auditor.get("/audit/verify").get_json()
    answers = [answer]
    while not answer["complete"]:
        assert answer["ok"] is False and answer["broken_seq"] is None and answer["next"]
        answer = auditor.get("/audit/verify", query_string={"next": answer["next"]}).get_json()
        answers.append(answer)
    assert len(answers) > 2 and [a["checked"] for a in answers[:-1]] == list(range(4, rows + 1, 4))
    assert answer == {"ok": True, "complete": True, "checked": rows, "broken_seq": None, "reason": "",
                      "reason_en": "", "next": None}


def test_a_forged_or_stale_next_is_refused_naming_the_parameter(as_user, short_segments, monkeypatch):
    auditor = as_user("auditor.palu")
    first = auditor.get("/audit/verify").get_json()
    forged = auditor.get("/audit/verify", query_string={"next": first["next"][:-2] + "xx"})
    error = error_of(forged)
    assert forged.status_code == 422 and error["code"] == "invalid_cursor" and "next" in error["fields"]
    assert "tidak sah" in error["message"]["id"] and "not valid" in error["message"]["en"]
    monkeypatch.setattr(admin.audit_chain, "MAX_AGE", -1)  # every token is older than that
    stale = error_of(auditor.get("/audit/verify", query_string={"next": first["next"]}))
    assert "more than an hour ago" in stale["message"]["en"]


def test_only_auditors_and_admins_run_the_check(as_user):
    assert as_user("hr.palu").get("/audit/verify").status_code == 403
