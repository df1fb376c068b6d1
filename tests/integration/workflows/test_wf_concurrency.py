"""Concurrency: a version column on evaluations; a stale transition gets 409 and writes nothing."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from engine.audit import AuditLog, set_actor, verify_chain
from engine.identity import User
from workflows.errors import WorkflowConflict
from workflows.models import Evaluation, TransitionHistory
from workflows.plan import approve_plan, return_plan
from tests.integration.workflows.wf_fixtures import drive, wf  # noqa: F401 (fixture)


def _transitions(session, evaluation_id: int) -> int:
    return session.scalar(select(func.count()).select_from(TransitionHistory)
                          .where(TransitionHistory.evaluation_id == evaluation_id))


def test_a_client_holding_an_old_version_gets_a_conflict(session, wf):
    ev = drive(session, wf, wf.ev, "plan_submitted")
    seen = ev.version
    approve_plan(session, wf.atasan, ev, version=seen)
    session.commit()
    with pytest.raises(WorkflowConflict) as info:
        return_plan(session, wf.atasan, ev, "Terlambat", version=seen)
    assert info.value.code == "stale" and f"version {seen}" in info.value.message_en


def test_a_stale_row_in_another_session_is_refused_and_nothing_is_half_written(session, wf, database_url):
    ev = drive(session, wf, wf.ev, "plan_submitted")
    engine = create_engine(database_url)
    with Session(engine) as other:
        mine = other.get(Evaluation, ev.id)
        actor = other.get(User, wf.atasan.id)
        assert mine.state == "plan_submitted"
        approve_plan(session, wf.atasan, ev)      # someone else commits first
        session.commit()
        before = (_transitions(session, ev.id), session.scalar(select(func.count()).select_from(AuditLog)))
        with pytest.raises(WorkflowConflict) as info:
            return_plan(other, actor, mine, "Tidak lengkap.")
        other.rollback()
        assert info.value.code in ("stale", "wrong_state")
    engine.dispose()
    session.expire_all()
    assert (_transitions(session, ev.id), session.scalar(select(func.count()).select_from(AuditLog))) == before
    assert session.get(Evaluation, ev.id).state == "plan_approved"


@pytest.mark.postgres_only
def test_two_atasan_sessions_at_once_one_wins_the_other_gets_409(session, wf, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL row locks for truly concurrent writers; SQLite serialises them "
                    "(CI runs this on PostgreSQL)")
    ev = drive(session, wf, wf.ev, "plan_submitted")
    evaluation_id, atasan_id = ev.id, wf.atasan.id
    engine = create_engine(database_url, pool_size=4)
    barrier = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []

    def attempt(kind: str) -> None:
        with Session(engine) as s:
            actor = s.get(User, atasan_id)
            set_actor(s, actor)
            mine = s.get(Evaluation, evaluation_id)
            _ = (mine.pegawai.atasan, mine.rhk, [r.iki for r in mine.rhk], mine.daerah)  # load before racing
            barrier.wait()
            try:
                if kind == "approve":
                    approve_plan(s, actor, mine)
                else:
                    return_plan(s, actor, mine, "Target belum terukur.")
                s.commit()
                outcomes.append(kind)
            except WorkflowConflict as error:
                s.rollback()
                outcomes.append(f"409:{error.code}")

    threads = [threading.Thread(target=attempt, args=(k,)) for k in ("approve", "return")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    engine.dispose()
    assert len(outcomes) == 2 and sum(o.startswith("409:stale") for o in outcomes) == 1, outcomes
    winner = next(o for o in outcomes if not o.startswith("409"))
    session.expire_all()
    row = session.get(Evaluation, evaluation_id)
    assert row.state == {"approve": "plan_approved", "return": "plan_draft"}[winner]
    history = session.scalars(select(TransitionHistory).where(TransitionHistory.evaluation_id == evaluation_id)
                              .order_by(TransitionHistory.id)).all()
    assert [h.event for h in history] == ["submit_plan", f"{winner}_plan"]
    audit = session.scalars(select(AuditLog).where(AuditLog.entity == "evaluation", AuditLog.action == "transition",
                                                   AuditLog.entity_id == str(evaluation_id))).all()
    assert len(audit) == 2 and verify_chain(session).ok
