"""Rule versions: drafts saved even when invalid, publishing frozen and hashed, effective dating, diff, approval."""
from __future__ import annotations

import copy
import datetime as dt
import hashlib

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from engine.audit import AuditLog
from engine.runtime import canonical_json
from engine.runtime.errors import Conflict, NotAllowed, ValidationFailed
from rules.decisions import versions_for
from rules.models import RuleKind, RuleVersion, VersionStatus
from rules.packs import ensure_rule_set
from rules.versions import (approve_version, create_draft, diff_versions, get_version, publish_version, save_draft,
                            version_problems)
from tests.integration.rules_fixtures import ruled  # noqa: F401 (fixture)


def _scoring(session, w, code="palu"):
    return get_version(session, w["admin"], code, "scoring")


def _set_threshold(doc: dict, value) -> dict:
    doc = copy.deepcopy(doc)
    rules = doc["stages"].setdefault("iki_rating", {}).setdefault("rules", [])
    rules.append({"id": "iki_di_atas", "when": {"fact": "iki.capaian", "op": ">=", "value": value},
                  "set": {"rating_iki": "di_atas"}, "note": "ambang daerah"})
    return doc


def _publish_threshold_120(session, w) -> tuple[RuleVersion, RuleVersion]:
    """The current palu scoring version and a new one (iki di_atas from 120) published from 2027-01-01."""
    current = _scoring(session, w)
    draft = create_draft(session, w["policy"], current.rule_set, change_note="ambang baru")
    save_draft(session, w["policy"], draft, _set_threshold(draft.document, 120))
    publish_version(session, w["policy"], draft, legal_basis="contoh: Perwal Palu 9/2026",
                    effective_from=dt.date(2027, 1, 1))
    session.commit()
    return current, draft


def test_shipped_packs_are_published_valid_and_hashed(session, ruled):
    versions = session.scalars(select(RuleVersion)).all()
    assert len(versions) == 18 and all(v.status == VersionStatus.published for v in versions)
    for v in versions:
        assert v.content_hash == hashlib.sha256(canonical_json(v.document).encode()).hexdigest()
        assert version_problems(v) == []
    palu = _scoring(session, ruled)
    assert palu.extends.rule_set.daerah.code == "nasional" and palu.contoh is True


def test_published_version_is_immutable_in_the_service(session, ruled):
    version = _scoring(session, ruled)
    with pytest.raises(Conflict) as error:
        save_draft(session, ruled["policy"], version, {"pack": "palu"})
    assert "tidak dapat diubah" in error.value.message_id and "cannot change" in error.value.message_en


def test_published_version_is_immutable_in_the_database(session, ruled):
    version = _scoring(session, ruled)
    with pytest.raises(DBAPIError):
        session.execute(text("UPDATE rule_version SET content_hash = 'x' WHERE id = :i"), {"i": version.id})
    session.rollback()
    with pytest.raises(DBAPIError):
        session.execute(text("DELETE FROM rule_version WHERE id = :i"), {"i": version.id})
    session.rollback()


@pytest.mark.parametrize("change", ["publisher = 'orang.lain'", "published_at = created_at", "author = 'x'",
                                    "change_note = 'lain'", "approved_by = 'x'", "contoh = NOT contoh"])
def test_who_published_a_version_and_when_is_final_in_the_database(session, ruled, change):
    version = _scoring(session, ruled)
    with pytest.raises(DBAPIError):
        session.execute(text(f"UPDATE rule_version SET {change} WHERE id = :i"), {"i": version.id})
    session.rollback()


def test_a_retired_version_stays_retired_in_the_database(session, ruled):
    from rules.versions import retire_version

    version = _scoring(session, ruled)
    # a published version's end date may still move: publishing a successor closes it
    session.execute(text("UPDATE rule_version SET effective_to = :d WHERE id = :i"),
                    {"d": dt.date(2030, 12, 31), "i": version.id})
    session.rollback()
    retire_version(session, ruled["policy"], version, "diganti")
    session.commit()
    for change in ("status = 'published'", "effective_to = '2030-01-01'", "retired_at = NULL"):
        with pytest.raises(DBAPIError):
            session.execute(text(f"UPDATE rule_version SET {change} WHERE id = :i"), {"i": version.id})
        session.rollback()
    assert session.get(RuleVersion, version.id).status == VersionStatus.retired


def test_invalid_draft_is_saved_but_never_published(session, ruled):
    current = _scoring(session, ruled)
    draft = create_draft(session, ruled["policy"], current.rule_set)
    doc = copy.deepcopy(draft.document)
    doc["stages"]["hasil_kerja"] = {"rules": [{"id": "hk_x", "when": {"fact": "capaian_tertimbang", "op": ">=",
                                                                       "value": "seratus"},
                                               "set": {"rating_hasil_kerja": "di_atas"}}]}
    problems = save_draft(session, ruled["policy"], draft, doc)
    session.commit()
    assert problems, "a value of the wrong type must be reported"
    first = problems[0]
    assert first.path == "stages.hasil_kerja.rules[hk_x].when.value" and first.code == "type"
    assert session.get(RuleVersion, draft.id).document["stages"]["hasil_kerja"]["rules"][0]["id"] == "hk_x"
    with pytest.raises(ValidationFailed) as error:
        publish_version(session, ruled["policy"], draft, legal_basis="contoh: Perwal 1/2026",
                        effective_from=dt.date(2027, 1, 1))
    assert error.value.problems and session.get(RuleVersion, draft.id).status == VersionStatus.draft


def test_a_document_of_the_wrong_shape_or_with_an_unknown_fact_is_not_stored_even_as_a_draft(session, ruled):
    current = _scoring(session, ruled)
    draft = create_draft(session, ruled["policy"], current.rule_set)
    session.commit()
    before = copy.deepcopy(draft.document)
    typo = copy.deepcopy(before)
    typo["stages"]["hasil_kerja"] = {"rules": [{"id": "hk_x", "when": {"fact": "capaian_tertimbng", "op": ">=",
                                                                        "value": 100},
                                                "set": {"rating_hasil_kerja": "di_atas"}}]}
    shape = copy.deepcopy(before)
    shape["stages"]["skor"] = {"rules": [{"id": "x", "whne": {"fact": "capaian_tertimbang", "op": ">=", "value": 1}}]}
    for doc, code, path in ((typo, "unknown_fact", "stages.hasil_kerja.rules[hk_x].when.fact"),
                            (shape, "unknown_key", "stages.skor.rules[x].whne")):
        with pytest.raises(ValidationFailed) as error:
            save_draft(session, ruled["policy"], draft, doc)
        assert (error.value.code, [(p.code, p.path) for p in error.value.problems][:1]) == ("invalid_rules",
                                                                                             [(code, path)])
        assert "tidak disimpan" in error.value.message_id and "not stored" in error.value.message_en
        assert path in error.value.message_en
        session.rollback()
        assert session.get(RuleVersion, draft.id).document == before, "the draft keeps what it held"
    count = session.scalar(select(func.count()).select_from(RuleVersion))
    with pytest.raises(ValidationFailed) as error:
        create_draft(session, ruled["policy"], current.rule_set, document=typo)
    assert "maksud Anda 'capaian_tertimbang'" in error.value.problems[0].message_id
    session.rollback()
    assert session.scalar(select(func.count()).select_from(RuleVersion)) == count, "no new draft either"


def test_publish_needs_a_legal_basis(session, ruled):
    draft = create_draft(session, ruled["policy"], _scoring(session, ruled).rule_set)
    with pytest.raises(ValidationFailed) as error:
        publish_version(session, ruled["policy"], draft, legal_basis=" ", effective_from=dt.date(2027, 1, 1))
    assert error.value.field == "legal_basis"


def test_a_legal_basis_longer_than_its_column_is_refused_at_the_field(session, ruled):
    draft = create_draft(session, ruled["policy"], _scoring(session, ruled).rule_set)
    with pytest.raises(ValidationFailed) as error:
        publish_version(session, ruled["policy"], draft, legal_basis="Perwal " + "9" * 300,
                        effective_from=dt.date(2027, 1, 1))
    assert error.value.field == "legal_basis" and "300" in error.value.message_en


def test_new_version_takes_over_from_its_date_and_diff_names_the_change(session, ruled):
    current, draft = _publish_threshold_120(session, ruled)
    assert current.effective_to == dt.date(2026, 12, 31)
    palu = ruled["palu"]
    assert [v.number for v in versions_for(session, palu, dt.date(2026, 6, 1)) if v.rule_set.kind == "scoring"] == [1]
    assert [v.number for v in versions_for(session, palu, dt.date(2027, 2, 1)) if v.rule_set.kind == "scoring"] == [2]
    lines = diff_versions(current, draft)
    assert any("iki_di_atas" in line["path"] or "iki_di_atas" in line["id"] for line in lines)
    assert any("110" in line["id"] and "120" in line["id"] for line in lines), lines
    event = session.scalars(select(AuditLog).where(AuditLog.action == "publish").order_by(AuditLog.seq.desc())).first()
    assert event.actor == "kebijakan.palu" and event.after["hash"] == draft.content_hash


def test_overlapping_effective_periods_are_refused(session, ruled):
    current = _scoring(session, ruled)
    first = create_draft(session, ruled["policy"], current.rule_set)
    publish_version(session, ruled["policy"], first, legal_basis="contoh: Perwal 2/2026",
                    effective_from=dt.date(2027, 1, 1), effective_to=dt.date(2027, 12, 31))
    second = create_draft(session, ruled["policy"], current.rule_set)
    with pytest.raises(Conflict) as error:
        publish_version(session, ruled["policy"], second, legal_basis="contoh: Perwal 3/2026",
                        effective_from=dt.date(2027, 6, 1))
    assert "bertumpang tindih" in error.value.message_id


def test_policy_maker_cannot_touch_another_daerah_or_nasional(session, ruled):
    for code in ("bantul", "nasional"):
        rule_set = _scoring(session, ruled, code).rule_set
        with pytest.raises(NotAllowed):
            create_draft(session, ruled["policy"], rule_set)
    with pytest.raises(NotAllowed):
        create_draft(session, ruled["hr"], _scoring(session, ruled).rule_set)


def test_second_person_approval_when_the_daerah_requires_it(session, ruled):
    rule_set = _scoring(session, ruled).rule_set
    rule_set.requires_second_approval = True
    draft = create_draft(session, ruled["policy"], rule_set)
    with pytest.raises(Conflict):
        publish_version(session, ruled["policy"], draft, legal_basis="contoh", effective_from=dt.date(2027, 1, 1))
    with pytest.raises(Conflict):
        approve_version(session, ruled["policy"], draft)
    approve_version(session, ruled["policy2"], draft)
    publish_version(session, ruled["policy"], draft, legal_basis="contoh", effective_from=dt.date(2027, 1, 1))
    assert draft.status == VersionStatus.published and draft.approved_by == "kebijakan2.palu"


def test_stage_of_another_kind_is_a_problem(session, ruled):
    rule_set = ensure_rule_set(session, ruled["palu"], RuleKind.coaching)
    draft = create_draft(session, ruled["policy"], rule_set)
    problems = save_draft(session, ruled["policy"], draft, _set_threshold(draft.document, 110))
    assert any(p.code == "stage_kind" and p.path == "stages.iki_rating" for p in problems)


def test_retiring_a_version_unregisters_its_rulesets_and_a_replay_registers_them_again(session, ruled):
    from engine.runtime import get_host
    from rules.decisions import _compiled, run
    from rules.versions import retire_version
    from tests.integration.rules_fixtures import make_facts

    _, draft = _publish_threshold_120(session, ruled)
    versions = versions_for(session, ruled["palu"], dt.date(2027, 2, 1))
    assert draft in versions
    first = run(make_facts(), versions)
    host = get_host()
    ours = {s.ruleset for s in _compiled(draft).stages.values()}
    assert ours and ours <= set(host.loaded()), "deciding registered the new version's rulesets"
    retire_version(session, ruled["policy"], draft, "salah ambang")
    session.commit()
    assert not ours & set(host.loaded()), "the retired version's rulesets left durable"
    assert all(s not in host._host._ruleset_directory for s in ours)
    assert canonical_json(run(make_facts(), versions)) == canonical_json(first), "a replay decides the same"
    assert ours <= set(host.loaded())
