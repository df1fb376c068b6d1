"""Realisation and review: realisasi with evidence, facts from the database, the decision, the override."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from engine.audit import AuditLog
from rules.models import Decision
from workflows.errors import WorkflowConflict, WorkflowInvalid, WorkflowNotAllowed, WorkflowNotFound
from workflows.facts import gather_facts
from workflows.feedback import give_feedback
from workflows.models import EvaluationDecision, ServiceMeasure
from workflows.realization import (import_predikat_history, log_activity, record_disiplin, record_realisasi,
                                   submit_realization)
from workflows.review import decide_evaluation, override_predikat, rate_perilaku
from tests.integration.workflows.wf_fixtures import ALL, TODAY, drive, wf  # noqa: F401 (fixture)


def test_the_first_realisasi_starts_the_realisation_and_the_latest_one_counts(session, wf):
    ev = drive(session, wf, wf.ev, "plan_approved")
    iki = ev.iki[0]
    record_realisasi(session, wf.pegawai, ev, iki.id, 5, dt.date(2026, 6, 30), note="semester 1",
                     evidence_url="https://drive.example.go.id/s1", today=TODAY)
    assert ev.state == "realization" and ev.history[-1].event == "start_realization"
    record_realisasi(session, wf.pegawai, ev, iki.id, 13, dt.date(2026, 11, 30), today=TODAY)
    record_realisasi(session, wf.pegawai, ev, iki.id, 9, dt.date(2026, 9, 30), today=TODAY)  # entered late
    facts = gather_facts(session, ev)
    assert facts["iki"][0]["realisasi"] == 13
    assert "realisasi" not in facts["iki"][1]


@pytest.mark.parametrize("value,day,url,path", [
    (-1, dt.date(2026, 6, 1), "", "value"),
    (5, dt.date(2025, 12, 31), "", "realized_on"),
    (5, dt.date(2026, 12, 16), "", "realized_on"),          # after "today"
    (5, dt.date(2026, 6, 1), "javascript:alert(1)", "evidence_url"),
    (1e20, dt.date(2026, 6, 1), "", "value"),              # beyond what the engine reads
    (12 * 1e13, dt.date(2026, 6, 1), "", "value"),          # target 12: a capaian of 1e15 %
])
def test_bad_realisasi_is_refused_with_its_field(session, wf, value, day, url, path):
    ev = drive(session, wf, wf.ev, "plan_approved")
    with pytest.raises(WorkflowInvalid) as info:
        record_realisasi(session, wf.pegawai, ev, ev.iki[0].id, value, day, evidence_url=url, today=TODAY)
    assert info.value.problems[0].path == path
    assert ev.state == "plan_approved"


def test_only_the_pegawai_records_realisasi_and_only_for_their_own_iki(session, wf):
    ev = drive(session, wf, wf.ev, "plan_approved")
    with pytest.raises(WorkflowNotAllowed):
        record_realisasi(session, wf.atasan, ev, ev.iki[0].id, 1, dt.date(2026, 6, 1), today=TODAY)
    session.rollback()
    with pytest.raises(WorkflowNotFound):
        record_realisasi(session, wf.pegawai, ev, 987654, 1, dt.date(2026, 6, 1), today=TODAY)


def test_review_needs_a_realisasi_for_every_iki(session, wf):
    ev = drive(session, wf, wf.ev, "plan_approved")
    record_realisasi(session, wf.pegawai, ev, ev.iki[0].id, 12, dt.date(2026, 11, 1), today=TODAY)
    with pytest.raises(WorkflowInvalid) as info:
        submit_realization(session, wf.pegawai, ev)
    assert [p.code for p in info.value.problems] == ["realisasi_missing", "realisasi_missing"]
    assert "Waktu penanganan gangguan" in info.value.message_id


def test_facts_come_from_the_database(session, wf):
    ev = drive(session, wf, wf.ev, "review")
    record_disiplin(session, wf.hr, ev, hari_tidak_masuk=4, menit_terlambat=95)
    session.add(ServiceMeasure(period_id=wf.period.id, unit_id=wf.dinas.id, daerah_id=wf.palu.id,
                               jenis_layanan="umum", kepuasan_masyarakat=84.5, kepuasan_masyarakat_responden=120))
    import_predikat_history(session, wf.hr, wf.staff_p, 2025, "sangat_baik", "e-Kinerja lama")
    rate_perilaku(session, wf.atasan, ev, {v: "sesuai" for v in ALL}, kontribusi_tim="di_atas", inovasi=True)
    facts = gather_facts(session, ev)
    assert facts["daerah"] == "palu" and facts["periode"] == {"tahun": 2026, "jenis": "tahunan"}
    assert facts["pegawai"]["nip"] == wf.staff_p.nip and facts["pegawai"]["jenis_layanan"] == "umum"
    assert [i["bobot"] for i in facts["iki"]] == [40, 30, 30]
    assert [i["jenis_rhk"] for i in facts["iki"]] == ["utama", "utama", "tambahan"]
    assert facts["disiplin"] == {"hari_tidak_masuk": 4, "menit_terlambat": 95}
    assert facts["kepuasan_masyarakat"] == 84.5 and facts["kepuasan_masyarakat_responden"] == 120
    assert facts["riwayat"] == [{"tahun": 2025, "predikat": "sangat_baik"}]
    assert facts["perilaku"] == {v: "sesuai" for v in ALL}
    assert facts["kontribusi_tim"] == "di_atas" and facts["inovasi"] is True and facts["skp_disepakati"] is True
    assert facts["hari_kerja"] == 261


def test_facts_of_a_chunk_are_each_evaluations_own_and_see_changes_not_yet_flushed(session, wf):
    """Bulk jobs gather a chunk's facts at once (plain rows on the session's connection, the ids as one array
    parameter on PostgreSQL): each document is the one gathered alone, and a rating set in the same transaction
    but not flushed yet is in it."""
    from tests.integration.workflows.wf_fixtures import staff_in_review
    from workflows.facts import gather_facts_many
    evs = staff_in_review(session, wf, 3)
    alone = {ev.id: gather_facts(session, ev) for ev in evs}
    assert gather_facts_many(session, [ev.id for ev in evs]) == alone
    assert len({f["pegawai"]["nip"] for f in alone.values()}) == 3
    rating = next(r for r in evs[1].perilaku if r.nilai == "loyal")
    rating.rating = "di_atas"  # pending in the session, not flushed
    assert gather_facts_many(session, [evs[1].id])[evs[1].id]["perilaku"]["loyal"] == "di_atas"


def test_activity_days_count_distinct_days(session, wf):
    ev = drive(session, wf, wf.ev, "realization")
    for day in (dt.date(2026, 3, 2), dt.date(2026, 3, 2), dt.date(2026, 3, 3)):
        log_activity(session, wf.pegawai, ev, day, "Rapat koordinasi layanan", today=TODAY)
    assert gather_facts(session, ev)["aktivitas_harian"] == 2
    with pytest.raises(WorkflowInvalid):
        log_activity(session, wf.pegawai, ev, dt.date(2026, 3, 4), "  ", today=TODAY)


def test_disiplin_is_recorded_by_hr_only(session, wf):
    ev = drive(session, wf, wf.ev, "review")
    with pytest.raises(WorkflowNotAllowed):
        record_disiplin(session, wf.atasan, ev, hari_tidak_masuk=0, menit_terlambat=0)
    with pytest.raises(WorkflowInvalid) as info:
        record_disiplin(session, wf.hr, ev, hari_tidak_masuk=400, menit_terlambat=-5)
    assert {p.path for p in info.value.problems} == {"hari_tidak_masuk", "menit_terlambat"}


def test_deciding_needs_all_seven_values_and_stores_the_decision_link(session, wf):
    ev = drive(session, wf, wf.ev, "review")
    rate_perilaku(session, wf.atasan, ev, {"akuntabel": "sesuai", "loyal": "sesuai"})
    with pytest.raises(WorkflowInvalid) as info:
        decide_evaluation(session, wf.atasan, ev)
    assert "berorientasi_pelayanan" in info.value.message_id and info.value.code == "not_decidable"
    rate_perilaku(session, wf.atasan, ev, {v: "di_atas" for v in ALL})
    decision = decide_evaluation(session, wf.atasan, ev)
    session.commit()
    assert ev.decision_id == decision.id and ev.predikat == ev.predikat_engine == decision.predikat
    assert decision.facts == gather_facts(session, ev)
    assert [link.rule_version.label for link in decision.versions][0] == "palu/scoring v1"
    link = session.scalar(select(EvaluationDecision).where(EvaluationDecision.evaluation_id == ev.id))
    assert (link.seq, link.reason, link.decision_id) == (1, "review", decision.id)
    event = session.scalar(select(AuditLog).where(AuditLog.entity == "decision", AuditLog.action == "decide",
                                                  AuditLog.entity_id == str(decision.id)))
    assert event.actor == "atasan.palu"
    assert event.after["versions"] == [f"{link.rule_version.label}#{link.content_hash[:12]}"
                                       for link in decision.versions], "the audit names each exact version"


def test_changing_a_rating_after_the_decision_withdraws_it_and_the_next_one_supersedes_it(session, wf):
    ev = drive(session, wf, wf.ev, "decided")
    first = ev.decision_id
    rate_perilaku(session, wf.atasan, ev, {"loyal": "di_bawah"})
    session.commit()
    assert ev.decision_id is None and ev.predikat is None
    with pytest.raises(WorkflowInvalid) as info:
        give_feedback(session, wf.atasan, ev, "Catatan")
    assert info.value.problems[0].code == "no_decision"
    session.rollback()
    decision = decide_evaluation(session, wf.atasan, ev)
    assert decision.supersedes_id == first and decision.predikat == "kurang_misconduct"
    seqs = session.scalars(select(EvaluationDecision.seq).where(EvaluationDecision.evaluation_id == ev.id)).all()
    assert sorted(seqs) == [1, 2] and session.get(Decision, first) is not None


def test_the_atasan_overrides_the_predikat_only_with_a_written_reason_and_both_are_kept(session, wf):
    ev = drive(session, wf, wf.ev, "decided")
    engine_value = ev.predikat
    with pytest.raises(WorkflowInvalid) as info:
        override_predikat(session, wf.atasan, ev, "sangat_baik", "ok")
    assert info.value.problems[0].code == "reason_required"
    with pytest.raises(WorkflowNotAllowed):
        override_predikat(session, wf.atasan2, ev, "sangat_baik", "Kinerja luar biasa pada proyek SPBE.")
    override_predikat(session, wf.atasan, ev, "sangat_baik", "Kinerja luar biasa pada proyek SPBE.")
    session.commit()
    assert (ev.predikat, ev.predikat_engine) == ("sangat_baik", engine_value)
    assert ev.override_reason == "Kinerja luar biasa pada proyek SPBE." and ev.override_by == "atasan.palu"
    row = session.scalar(select(AuditLog).where(AuditLog.action == "override_predikat"))
    assert row.before["predikat"] == engine_value and row.after["predikat"] == "sangat_baik"


def test_override_before_a_decision_is_a_conflict(session, wf):
    ev = drive(session, wf, wf.ev, "review")
    with pytest.raises(WorkflowConflict):
        override_predikat(session, wf.atasan, ev, "baik", "Alasan yang cukup panjang.")
