"""Feedback, keberatan and follow-ups: accept or object within the window; the atasan's atasan upholds or
changes (a re-decision, the earlier decision kept); actions become follow-ups; the last one resolved closes."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from rules.models import Decision
from workflows.deadlines import keberatan_deadline
from workflows.errors import WorkflowConflict, WorkflowInvalid, WorkflowNotAllowed
from workflows.feedback import acknowledge_evaluation, file_keberatan, resolve_keberatan
from workflows.followup import add_follow_up, resolve_follow_up
from workflows.models import EvaluationDecision, FollowUp, Keberatan
from workflows.review import override_predikat
from workflows.settings import set_workflow_settings
from workflows.transitions import close_evaluation
from tests.integration.workflows.wf_fixtures import ALL, drive, wf  # noqa: F401 (fixture)


def test_keberatan_window_is_the_daerahs_days_after_feedback_in_its_time_zone(session, wf):
    set_workflow_settings(session, wf.hr, wf.palu, keberatan_days=5)
    ev = drive(session, wf, wf.ev, "feedback")
    deadline = keberatan_deadline(session, ev)
    from workflows.deadlines import local_date
    assert deadline == local_date(wf.palu, ev.feedback_at) + dt.timedelta(days=5)
    with pytest.raises(WorkflowInvalid) as info:
        file_keberatan(session, wf.pegawai, ev, "Terlambat", today=deadline + dt.timedelta(days=1))
    assert deadline.isoformat() in info.value.message_id
    session.rollback()
    row = file_keberatan(session, wf.pegawai, ev, "Bukti triwulan IV belum dihitung.", today=deadline)
    assert ev.state == "keberatan" and row.deadline_on == deadline and row.predikat_before == ev.predikat


def test_a_keberatan_needs_its_reasons(session, wf):
    ev = drive(session, wf, wf.ev, "feedback")
    with pytest.raises(WorkflowInvalid) as info:
        file_keberatan(session, wf.pegawai, ev, " ")
    assert info.value.code == "reason_required"


def test_upheld_keberatan_keeps_the_decision_and_starts_the_follow_ups(session, wf):
    ev = drive(session, wf, wf.ev, "feedback", perilaku="di_atas", factor=1.5)
    decision_id = ev.decision_id
    file_keberatan(session, wf.pegawai, ev, "Predikat seharusnya memperhitungkan inovasi.")
    with pytest.raises(WorkflowInvalid) as info:
        resolve_keberatan(session, wf.atasan2, ev, uphold=True, reason="Sudah sesuai.", predikat="baik")
    assert {p.code for p in info.value.problems} == {"uphold_with_change"}
    row = resolve_keberatan(session, wf.atasan2, ev, uphold=True, reason="Penilaian sesuai bukti yang ada.")
    session.commit()
    assert row.status == "upheld" and row.decision_after_id == decision_id == ev.decision_id
    assert ev.state == "follow_up"
    assert {f.action_code for f in ev.follow_ups} == {"penghargaan", "tpp_tambahan"}


def test_changed_keberatan_is_a_re_decision_and_the_earlier_one_is_kept(session, wf):
    ev = drive(session, wf, wf.ev, "feedback", perilaku="sesuai")
    first = ev.decision_id
    assert ev.predikat == "baik"
    file_keberatan(session, wf.pegawai, ev, "Lima nilai perilaku saya di atas ekspektasi, ada buktinya.")
    session.commit()
    with pytest.raises(WorkflowInvalid) as info:
        resolve_keberatan(session, wf.atasan2, ev, uphold=False, reason="Diubah.")
    assert {p.code for p in info.value.problems} == {"reason_required", "change_required"}
    session.rollback()
    changed = {v: "di_atas" for v in ALL[:5]}
    row = resolve_keberatan(session, wf.atasan2, ev, uphold=False, perilaku=changed,
                            reason="Bukti kolaborasi lintas OPD diterima; perilaku dinilai ulang.")
    session.commit()
    new = session.get(Decision, ev.decision_id)
    assert row.status == "changed" and row.decision_before_id == first and row.decision_after_id == new.id
    assert new.supersedes_id == first and session.get(Decision, first).predikat == "baik"
    assert row.predikat_before == "baik" and row.predikat_after == new.predikat == ev.predikat
    links = session.scalars(select(EvaluationDecision).where(EvaluationDecision.evaluation_id == ev.id)
                            .order_by(EvaluationDecision.seq)).all()
    assert [(link.seq, link.reason) for link in links] == [(1, "review"), (2, "keberatan")]
    assert new.actor == "atasan2.palu" and ev.perilaku[0].rated_by == "atasan2.palu"


def test_the_atasan2_may_set_the_predikat_directly_with_the_reason(session, wf):
    ev = drive(session, wf, wf.ev, "feedback")
    file_keberatan(session, wf.pegawai, ev, "Saya mohon predikat ditinjau.")
    resolve_keberatan(session, wf.atasan2, ev, uphold=False, predikat="sangat_baik",
                      reason="Capaian proyek prioritas daerah tidak tercermin dalam IKI.")
    session.commit()
    assert (ev.predikat, ev.predikat_engine) == ("sangat_baik", "baik")
    assert ev.override_by == "atasan2.palu"
    assert session.scalar(select(Keberatan)).predikat_after == "sangat_baik"


def test_follow_ups_have_owner_and_due_date_and_the_last_resolved_closes(session, wf):
    ev = drive(session, wf, wf.ev, "decided", perilaku="di_bawah", factor=0.5)
    assert ev.predikat == "sangat_kurang"
    ev = drive(session, wf, ev, "follow_up")
    today = ev.follow_up_on
    rows = {f.action_code: f for f in ev.follow_ups}
    assert set(rows) >= {"konseling_kinerja", "periode_perbaikan"}
    assert rows["periode_perbaikan"].owner_role == "atasan" and rows["periode_perbaikan"].owner_pegawai_id == wf.kasi_p.id
    assert rows["periode_perbaikan"].due_on == today + dt.timedelta(days=180)
    follow = rows["konseling_kinerja"]
    with pytest.raises(WorkflowNotAllowed):
        resolve_follow_up(session, wf.pegawai, follow, "Sudah")
    with pytest.raises(WorkflowInvalid):
        resolve_follow_up(session, wf.atasan, follow, "  ")
    for f in ev.follow_ups[:-1]:
        owner = wf.hr if f.owner_role == "hr" else wf.atasan
        resolve_follow_up(session, owner, f, "Dilaksanakan 12 Februari, notulen terlampir.")
        assert ev.state == "follow_up"
    last = ev.follow_ups[-1]
    resolve_follow_up(session, wf.hr, last, "Ditutup oleh BKPSDM.", status="cancelled")
    session.commit()
    assert ev.state == "closed" and ev.history[-1].event == "complete"
    with pytest.raises(WorkflowConflict):
        resolve_follow_up(session, wf.hr, last, "lagi")


def test_hr_may_close_with_follow_ups_still_open_they_stay_tracked(session, wf):
    ev = drive(session, wf, wf.ev, "follow_up", perilaku="di_bawah", factor=0.5)
    close_evaluation(session, wf.hr, ev, "Pegawai diberhentikan; tindak lanjut dicatat terpisah.")
    session.commit()
    assert ev.state == "closed"
    assert any(f.status == "open" for f in session.scalars(select(FollowUp).where(FollowUp.evaluation_id == ev.id)))


def test_with_no_actions_accepting_closes_at_once(session, wf):
    ev = drive(session, wf, wf.ev, "feedback", perilaku="sesuai")
    assert ev.predikat == "baik"
    acknowledge_evaluation(session, wf.pegawai, ev)
    session.commit()
    assert ev.state == "closed" and [h.event for h in ev.history][-2:] == ["acknowledge", "complete"]


def test_overridden_predikat_drops_the_actions_that_read_the_engines_predikat(session, wf):
    ev = drive(session, wf, wf.ev, "decided", perilaku="di_atas", factor=1.5)
    assert ev.predikat == "sangat_baik"
    override_predikat(session, wf.atasan, ev, "baik", "Sebagian capaian berasal dari kerja tim lain.")
    ev = drive(session, wf, ev, "follow_up")
    assert ev.follow_ups == [] and ev.state == "closed"
    add_follow_up(session, wf.hr, ev, "prioritas_pengembangan_kompetensi", note="Tetap diusulkan pelatihan.")
    session.commit()
    assert [(f.action_code, f.owner_role, f.status) for f in ev.follow_ups] == [
        ("prioritas_pengembangan_kompetensi", "hr", "open")]
