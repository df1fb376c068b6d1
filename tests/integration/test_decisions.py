"""Decisions: taken by durable_rules on the versions in force, recorded with their versions, replayed byte for byte."""
from __future__ import annotations

import copy
import datetime as dt

import pytest
from sqlalchemy import select

from engine.runtime.errors import NotAllowed
from rules.decisions import decide, get_decision, replay
from rules.models import Decision
from rules.versions import create_draft, get_version, publish_version, save_draft
from tests.integration.rules_fixtures import make_facts, ruled  # noqa: F401 (fixture)

ON = dt.date(2026, 12, 31)


def test_decision_records_facts_result_and_exact_versions(session, ruled):
    decision = decide(session, ruled["hr"], daerah=ruled["palu"], pegawai=ruled["staff"], facts=make_facts(), on=ON)
    session.commit()
    stored = session.get(Decision, decision.id)
    assert stored.predikat in {"sangat_baik", "baik", "butuh_perbaikan", "kurang_misconduct", "sangat_kurang"}
    labels = [link.rule_version.label for link in stored.versions]
    assert labels == ["palu/scoring v1", "palu/reward_punishment v1", "palu/coaching v1"]
    assert all(link.content_hash == link.rule_version.content_hash for link in stored.versions)
    assert stored.result["trace"] and stored.result["explanation"]["id"].startswith("Predikat")
    assert stored.facts == make_facts() and stored.actor == "hr.palu"


def test_replay_is_byte_identical_even_after_a_new_version(session, ruled):
    decision = decide(session, ruled["hr"], daerah=ruled["palu"], pegawai=ruled["staff"], facts=make_facts(), on=ON)
    current = get_version(session, ruled["admin"], "palu", "scoring")
    draft = create_draft(session, ruled["policy"], current.rule_set)
    doc = copy.deepcopy(draft.document)
    doc["stages"]["iki_rating"] = {"rules": [{"id": "iki_di_atas", "when": {"fact": "iki.capaian", "op": ">=",
                                                                             "value": 200}, "set": {"rating_iki": "di_atas"}}]}
    save_draft(session, ruled["policy"], draft, doc)
    publish_version(session, ruled["policy"], draft, legal_basis="contoh", effective_from=dt.date(2026, 6, 1))
    session.commit()
    again = replay(session, decision)
    assert again["identical"] and again["replay_hash"] == decision.result_hash
    newer = decide(session, ruled["hr"], daerah=ruled["palu"], pegawai=ruled["staff"], facts=make_facts(), on=ON)
    assert newer.versions[0].rule_version_id == draft.id


@pytest.mark.parametrize("code", ["palangkaraya", "kemuning", "palu", "pontianak", "bantul", "nasional"])
def test_every_installed_pack_replays_identically(session, ruled, code):
    from engine.runtime import canonical_json, get_host

    facts = make_facts(daerah=code)
    decision_id = decide(session, ruled["admin"], daerah=ruled[code], pegawai=None, facts=facts, on=ON).id
    session.commit()
    session.expunge_all()  # replay what the database holds, not the objects decide built
    get_host().retire_except(set())  # and with durable's rulesets registered afresh
    stored = session.get(Decision, decision_id)
    again = replay(session, stored)
    assert again["identical"] and again["replay_hash"] == stored.result_hash
    assert canonical_json(again["result"], finite=True) == canonical_json(stored.result, finite=True)
    assert [link.content_hash for link in stored.versions] == [v["hash"] for v in again["result"]["rule_versions"]]


def test_the_atasan_may_decide_others_may_not(session, ruled):
    decide(session, ruled["atasan"], daerah=ruled["palu"], pegawai=ruled["staff"], facts=make_facts(), on=ON)
    with pytest.raises(NotAllowed):
        decide(session, ruled["outsider"], daerah=ruled["palu"], pegawai=ruled["staff"], facts=make_facts(), on=ON)
    with pytest.raises(NotAllowed):
        decide(session, ruled["policy"], daerah=ruled["palu"], pegawai=ruled["staff"], facts=make_facts(), on=ON)


def test_decision_of_another_daerah_is_not_found(session, ruled):
    from engine.runtime.errors import NotFound
    from tests.factories import make_user

    decision = decide(session, ruled["admin"], daerah=ruled["bantul"], pegawai=None, facts=make_facts(daerah="bantul"),
                      on=ON)
    other = make_user(session, username="auditor.other", roles=[("auditor", ruled["palu"])])
    with pytest.raises(NotFound):
        get_decision(session, other, decision.id)
    assert session.scalar(select(Decision.id).where(Decision.id == decision.id)) == decision.id
