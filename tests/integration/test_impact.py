"""Impact preview and the coba helper: a draft replayed over last period's stored decisions, nothing stored."""
from __future__ import annotations

import copy
import datetime as dt

import pytest
from sqlalchemy import func, select

from engine.runtime.errors import NotAllowed, NotFound, ValidationFailed
from rules.decisions import decide
from rules.impact import preview_impact, try_version, versions_with_draft
from rules.models import Decision, RuleKind
from rules.versions import create_draft, get_version, save_draft
from tests.integration.rules_fixtures import make_facts, ruled  # noqa: F401 (fixture)

STRONG = {v: "di_atas" for v in ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis")}


def _facts(pegawai, year: int, realisasi: float, perilaku: dict | None = None) -> dict:
    facts = make_facts(periode={"tahun": year, "jenis": "tahunan"},
                       pegawai={"nip": pegawai.nip, "jenis_jabatan": "pelaksana"})
    facts["iki"][0]["realisasi"] = realisasi
    facts["perilaku"] = {**facts["perilaku"], **(perilaku or {})}
    return facts


def _decide(session, w, pegawai, year, realisasi, perilaku=None):
    return decide(session, w["hr"], daerah=w["palu"], pegawai=pegawai, facts=_facts(pegawai, year, realisasi, perilaku),
                  on=dt.date(2025, 12, 31))  # the packs are in force from 2025-01-01


def _threshold_draft(session, w, value):
    current = get_version(session, w["admin"], "palu", "scoring")
    draft = create_draft(session, w["policy"], current.rule_set)
    doc = copy.deepcopy(draft.document)
    doc["stages"]["hasil_kerja"] = {"rules": [{
        "id": "hk_di_atas", "when": {"all": [{"fact": "capaian_tertimbang", "op": ">=", "value": value},
                                             {"fact": "jumlah_iki_utama_di_bawah", "op": "=", "value": 0}]},
        "set": {"rating_hasil_kerja": "di_atas"}}]}
    assert save_draft(session, w["policy"], draft, doc) == []
    return draft


@pytest.fixture
def population(session, ruled):
    """palu decisions: three pegawai in 2025 (one decided twice), one in 2024."""
    w = ruled
    outsider = w["outsider"].pegawai
    _decide(session, w, w["staff"], 2025, 6)                   # an earlier decision, superseded by the next one
    _decide(session, w, w["staff"], 2025, 13, STRONG)          # capaian 118,3 -> Sangat Baik (threshold 110)
    _decide(session, w, w["boss"], 2025, 16, STRONG)           # capaian 133,3 -> Sangat Baik
    _decide(session, w, outsider, 2025, 6)                     # capaian 75 -> Butuh Perbaikan
    _decide(session, w, outsider, 2024, 13, STRONG)            # another year: never counted for 2025
    session.commit()
    return w


def test_threshold_change_moves_one_pegawai(session, population):
    w = population
    draft = _threshold_draft(session, w, 120)
    before = session.scalar(select(func.count()).select_from(Decision))
    impact = preview_impact(session, w["policy"], draft, 2025)
    assert (impact.total, impact.changed_predikat, impact.changed_actions, impact.errors) == (3, 1, 1, 0)
    assert impact.unchanged == 2
    assert impact.matrix == {("sangat_baik", "baik"): 1, ("sangat_baik", "sangat_baik"): 1,
                             ("butuh_perbaikan", "butuh_perbaikan"): 1}
    assert impact.before == {"sangat_baik": 2, "butuh_perbaikan": 1}
    assert impact.after == {"sangat_baik": 1, "baik": 1, "butuh_perbaikan": 1}
    [row] = impact.rows
    assert row.nip == w["staff"].nip and (row.old_predikat, row.new_predikat) == ("sangat_baik", "baik")
    assert {a["code"] for a in row.removed} == {"penghargaan", "tpp_tambahan"} and row.added == []
    assert (row.old_skor, row.new_skor) == (5, 4)
    assert impact.transitions()[0] == ("sangat_baik", "baik", 1)
    assert [y for y, _ in impact.years] == [2025, 2024] and dict(impact.years)[2025] == 3
    assert session.scalar(select(func.count()).select_from(Decision)) == before  # nothing stored


def test_an_unchanged_draft_changes_nobody(session, population):
    w = population
    draft = _threshold_draft(session, w, 110)
    impact = preview_impact(session, w["policy"], draft, 2025)
    assert impact.total == 3 and impact.changed_any == 0 and impact.rows == []


def test_a_year_without_decisions_says_so(session, population):
    draft = _threshold_draft(session, population, 120)
    impact = preview_impact(session, population["policy"], draft, 2019)
    assert impact.total == 0 and impact.rows == [] and impact.year == 2019


def test_default_year_is_last_year(session, population):
    draft = _threshold_draft(session, population, 120)
    assert preview_impact(session, population["policy"], draft).year == dt.date.today().year - 1


def test_an_invalid_draft_is_not_replayed(session, population):
    w = population
    current = get_version(session, w["admin"], "palu", "scoring")
    draft = create_draft(session, w["policy"], current.rule_set)
    doc = copy.deepcopy(draft.document)
    doc["stages"]["hasil_kerja"] = {"rules": [{"id": "x", "when": {"fact": "capaian_tertimbang", "op": "=",
                                                                    "value": "satu"},
                                               "set": {"rating_hasil_kerja": "di_atas"}}]}
    save_draft(session, w["policy"], draft, doc)
    impact = preview_impact(session, w["policy"], draft, 2025)
    assert impact.problems and impact.total == 0


def test_other_kinds_keep_the_versions_each_decision_used(session, population):
    w = population
    coaching = get_version(session, w["admin"], "palu", "coaching")
    draft = create_draft(session, w["policy"], coaching.rule_set)   # unchanged copy of the coaching rules
    impact = preview_impact(session, w["policy"], draft, 2025)
    assert impact.total == 3 and impact.changed_any == 0


def test_scope(session, population):
    w = population
    draft = _threshold_draft(session, w, 120)
    bantul_reader = w["bantul"]
    from tests.factories import make_user
    outsider = make_user(session, username="kebijakan.bantul", roles=[("policy_maker", bantul_reader)])
    with pytest.raises(NotFound):
        preview_impact(session, outsider, draft, 2025)
    nasional = get_version(session, w["admin"], "nasional", "scoring")
    with pytest.raises(NotAllowed):
        preview_impact(session, w["policy"], nasional, 2025)


def test_try_version_runs_the_draft_beside_the_rules_in_force(session, population):
    w = population
    draft = _threshold_draft(session, w, 120)
    kinds = [str(v.rule_set.kind) for v in versions_with_draft(session, draft, dt.date.today())]
    assert kinds == [k.value for k in RuleKind]
    facts = _facts(w["staff"], 2026, 13, STRONG)
    out = try_version(session, w["policy"], draft, facts)
    assert out["result"]["outputs"]["predikat"] == "baik" and out["current"]["outputs"]["predikat"] == "sangat_baik"
    assert out["result"]["explanation"]["id"] and out["result"]["explanation"]["en"]
    with pytest.raises(ValidationFailed) as error:
        try_version(session, w["policy"], draft, {**facts, "iki": []})
    assert error.value.code == "invalid_facts"


def test_a_daerah_larger_than_the_limit_is_sampled_across_all_its_pegawai(session, population):
    w = population
    draft = _threshold_draft(session, w, 120)
    impact = preview_impact(session, w["policy"], draft, 2025, limit=2)
    assert (impact.total, impact.population, impact.truncated) == (2, 3, True)
    assert sum(impact.before.values()) == 2
    whole = preview_impact(session, w["policy"], draft, 2025)
    assert (whole.total, whole.population, whole.truncated) == (3, 3, False)


def test_the_sample_spreads_over_the_whole_nip_order():
    from rules.impact import _sample

    sample = _sample(list(range(50_000)), 5_000)
    assert sample.population == 50_000 and len(set(sample.ids)) == 5_000
    assert sample.ids[0] < 10 and sample.ids[-1] > 49_990  # from the first stretch to the last, not the first 5,000
    assert max(b - a for a, b in zip(sample.ids, sample.ids[1:])) == 10
    assert _sample([3, 1, 2], 5).ids == [3, 1, 2]
