"""Every transition through the services, allowed and refused by role: the refused leave no trace; the allowed
one moves the state and writes a history row and an audit row in the same transaction."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.audit import AuditLog, verify_chain
from workflows.errors import WorkflowInvalid, WorkflowNotAllowed, WorkflowNotFound
from workflows.feedback import acknowledge_evaluation, file_keberatan, give_feedback, resolve_keberatan
from workflows.models import TransitionHistory
from workflows.plan import approve_plan, return_plan, revise_plan, submit_plan
from workflows.realization import start_realization, submit_realization
from workflows.transitions import close_evaluation, reopen_evaluation
from tests.integration.workflows.wf_fixtures import TODAY, drive, wf  # noqa: F401 (fixture)

EVERYONE = ("pegawai", "atasan", "atasan2", "kepala", "peer", "hr", "auditor", "policy", "hr_bantul",
            "bantul_pegawai")
OUTSIDE_DAERAH = {"hr_bantul", "bantul_pegawai"}

# event -> (state to bring the evaluation to, who may, the call)
CASES = {
    "submit_plan": ("plan_draft", {"pegawai"}, lambda s, a, ev: submit_plan(s, a, ev)),
    "approve_plan": ("plan_submitted", {"atasan"}, lambda s, a, ev: approve_plan(s, a, ev)),
    "return_plan": ("plan_submitted", {"atasan"}, lambda s, a, ev: return_plan(s, a, ev, "IKI belum terukur")),
    "revise_plan": ("plan_approved", {"atasan"}, lambda s, a, ev: revise_plan(s, a, ev, "Perubahan tugas")),
    "start_realization": ("plan_approved", {"pegawai", "atasan"}, lambda s, a, ev: start_realization(s, a, ev)),
    "submit_realization": ("realization", {"pegawai", "atasan"}, lambda s, a, ev: submit_realization(s, a, ev)),
    "give_feedback": ("decided", {"atasan"}, lambda s, a, ev: give_feedback(s, a, ev, "Tingkatkan dokumentasi.")),
    "acknowledge": ("feedback", {"pegawai"}, lambda s, a, ev: acknowledge_evaluation(s, a, ev)),
    "file_keberatan": ("feedback", {"pegawai"},
                       lambda s, a, ev: file_keberatan(s, a, ev, "Bukti triwulan IV belum dihitung.")),
    "close": ("realization", {"hr"}, lambda s, a, ev: close_evaluation(s, a, ev, "Pensiun per 1 Juli")),
}


def _audit_rows(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.entity == "evaluation",
                                                                           AuditLog.action == "transition"))


@pytest.mark.parametrize("event", list(CASES))
def test_only_the_right_people_may_trigger_each_transition(session, wf, event):
    state, allowed, call = CASES[event]
    ev = drive(session, wf, wf.ev, state) if state != "plan_draft" else wf.ev
    if event == "submit_plan":
        from workflows.plan import save_plan
        from tests.integration.workflows.wf_fixtures import plan_input
        save_plan(session, wf.pegawai, ev, plan_input())
        session.commit()
    before_state, before_version = ev.state, ev.version
    history, audit = len(ev.history), _audit_rows(session)
    for name in EVERYONE:
        if name in allowed:
            continue
        # the atasan and HR may accept too, but only once the keberatan window has passed (a guard, not a role)
        guarded = event == "acknowledge" and name in ("atasan", "hr")
        expected = WorkflowNotFound if name in OUTSIDE_DAERAH else WorkflowInvalid if guarded else WorkflowNotAllowed
        with pytest.raises(expected):
            call(session, getattr(wf, name), ev)
        session.rollback()
        assert (ev.state, ev.version) == (before_state, before_version), f"{name} changed the evaluation"
    assert _audit_rows(session) == audit
    actor = getattr(wf, sorted(allowed)[0])
    call(session, actor, ev)
    session.commit()
    session.expire_all()
    rows = session.scalars(select(TransitionHistory).where(TransitionHistory.evaluation_id == ev.id)
                           .order_by(TransitionHistory.id)).all()
    assert len(rows) > history
    moved = next(r for r in rows[history:] if r.event == event)
    assert moved.from_state == before_state and moved.actor == actor.username
    assert ev.version > before_version
    assert _audit_rows(session) >= audit + 1
    last = session.scalars(select(AuditLog).where(AuditLog.entity == "evaluation", AuditLog.action == "transition",
                                                  AuditLog.entity_id == str(ev.id)).order_by(AuditLog.seq)).all()
    assert any(r.after["event"] == event and r.before["state"] == before_state and r.actor == actor.username
               for r in last)
    assert verify_chain(session).ok


def test_keberatan_is_resolved_by_the_atasans_atasan_only(session, wf):
    ev = drive(session, wf, wf.ev, "feedback")
    file_keberatan(session, wf.pegawai, ev, "Bukti triwulan IV belum dihitung.")
    session.commit()
    for name in ("pegawai", "atasan", "peer", "hr", "auditor", "kepala"):
        with pytest.raises(WorkflowNotAllowed):
            resolve_keberatan(session, getattr(wf, name), ev, uphold=True, reason="Penilaian sudah sesuai bukti.")
        session.rollback()
    resolve_keberatan(session, wf.atasan2, ev, uphold=True, reason="Penilaian sudah sesuai bukti.")
    session.commit()
    assert ev.state in ("follow_up", "closed")


def test_hr_closes_early_and_reopens_only_with_a_reason(session, wf):
    ev = drive(session, wf, wf.ev, "realization")
    with pytest.raises(Exception) as info:
        close_evaluation(session, wf.hr, ev, "  ")
    assert getattr(info.value, "code", "") == "reason_required"
    session.rollback()
    close_evaluation(session, wf.hr, ev, "Pegawai pindah ke daerah lain per 1 Juli.")
    session.commit()
    assert ev.state == "closed" and ev.closed_at is not None
    with pytest.raises(WorkflowNotAllowed):
        reopen_evaluation(session, wf.atasan, ev, "Salah tutup", to="realization")
    session.rollback()
    reopen_evaluation(session, wf.hr, ev, "Mutasi dibatalkan.", to="realization")
    session.commit()
    assert ev.state == "realization" and ev.closed_at is None
    assert [h.event for h in ev.history][-2:] == ["close", "reopen"]
    assert ev.history[-1].reason == "Mutasi dibatalkan."
