"""Running a transition on an Evaluation row: permission, guards, history row and audit event, one transaction.

Every service that changes an evaluation goes through `apply_transition` (state changes) or `save_evaluation`
(other changes); both turn a stale version into a 409 `WorkflowConflict`, so nothing is half-written.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.audit import record_event, set_actor
from engine.db import utcnow
from engine.identity import User
from workflows.deadlines import keberatan_deadline, local_today
from workflows.errors import WorkflowConflict
from workflows.machine import RULES, GuardInputs, TransitionContext, fire
from workflows.models import BERAKHLAK, Evaluation, FollowUp, FollowUpStatus, Iki, PerilakuRating, Realisasi
from workflows.models import TransitionHistory
from workflows.permissions import Relation, require_access
from workflows.skp import plan_problems


def check_version(evaluation: Evaluation, version: int | None) -> None:
    """Raise 409 when the caller saw an older version of the evaluation than the one stored."""
    if version is not None and version != evaluation.version:
        raise stale(evaluation.id, version, evaluation.version)


def stale(evaluation_id: int, seen: int | None = None, now: int | None = None) -> WorkflowConflict:
    """The conflict raised when someone else changed the evaluation meanwhile."""
    seen_id = f" (versi {seen}, sekarang {now})" if seen is not None else ""
    seen_en = f" (version {seen}, now {now})" if seen is not None else ""
    return WorkflowConflict(
        f"Evaluasi #{evaluation_id} telah diubah orang lain sejak Anda membukanya{seen_id}; muat ulang lalu ulangi.",
        f"Evaluation #{evaluation_id} was changed by someone else since you opened it{seen_en}; reload and retry.",
        code="stale")


def flush(session: Session, evaluation: Evaluation) -> None:
    """Flush, turning a stale version (someone committed first) into a 409 WorkflowConflict; the session must
    then be rolled back, as after any error (nothing of the attempt is written)."""
    evaluation_id = evaluation.id
    try:
        session.flush()
    except StaleDataError:
        raise stale(evaluation_id) from None


def touch(evaluation: Evaluation) -> None:
    """Mark the evaluation changed so its version moves (child rows then conflict like the row itself)."""
    evaluation.updated_at = utcnow()


def save_evaluation(session: Session, evaluation: Evaluation, action: str, before: dict, after: dict) -> None:
    """Flush a non-transition change of the evaluation and write its audit event."""
    touch(evaluation)
    flush(session, evaluation)
    record_event(session, action, "evaluation", evaluation.id, daerah_id=evaluation.daerah_id,
                 before=before, after={**after, "version": evaluation.version})


def guard_inputs(session: Session, evaluation: Evaluation, event: str, today: dt.date | None = None) -> GuardInputs:
    """Gather from the database only what the event's guard looks at."""
    today = today or local_today(evaluation.daerah)
    if event in ("submit_plan", "approve_plan"):
        return GuardInputs(plan_problems=tuple(plan_problems(evaluation.rhk)))
    if event == "submit_realization":
        done = set(session.scalars(select(Realisasi.iki_id).where(Realisasi.evaluation_id == evaluation.id)))
        ikis = session.execute(select(Iki.id, Iki.uraian).where(Iki.evaluation_id == evaluation.id)
                               .order_by(Iki.id)).all()
        return GuardInputs(iki_without_realisasi=tuple(u for i, u in ikis if i not in done))
    if event == "give_feedback":
        rated = set(session.scalars(select(PerilakuRating.nilai).where(PerilakuRating.evaluation_id == evaluation.id)))
        return GuardInputs(has_decision=evaluation.decision_id is not None,
                           unrated=tuple(v for v in BERAKHLAK if v not in rated),
                           umpan_balik=evaluation.umpan_balik or "")
    if event in ("acknowledge", "file_keberatan"):
        return GuardInputs(today=today, keberatan_deadline=keberatan_deadline(session, evaluation))
    if event == "complete":
        n = session.scalar(select(func.count()).select_from(FollowUp).where(
            FollowUp.evaluation_id == evaluation.id, FollowUp.status == FollowUpStatus.open))
        return GuardInputs(open_follow_ups=n or 0)
    return GuardInputs()


def apply_transition(session: Session, actor: User, evaluation: Evaluation, event: str, *, reason: str = "",
                     version: int | None = None, forced: bool = False, reopen_to: str | None = None,
                     today: dt.date | None = None, relations: frozenset[Relation] | None = None) -> TransitionHistory:
    """Fire `event` on the evaluation as `actor`; write the history row and its audit event; flush."""
    set_actor(session, actor)
    rels = relations if relations is not None else require_access(actor, evaluation.pegawai)
    check_version(evaluation, version)
    guards = GuardInputs() if forced else guard_inputs(session, evaluation, event, today)
    ctx = TransitionContext(relations=rels, reason=reason or "", forced=forced, guards=guards, reopen_to=reopen_to)
    source, target = fire(evaluation, event, ctx)
    now = utcnow()
    stamp = {"submit_plan": "plan_submitted_at", "approve_plan": "plan_approved_at", "give_feedback": "feedback_at",
             "acknowledge": "acknowledged_at", "complete": "closed_at", "close": "closed_at"}.get(event)
    if stamp:
        setattr(evaluation, stamp, now)
    if event == "reopen":
        evaluation.closed_at = None
    touch(evaluation)
    history = TransitionHistory(evaluation_id=evaluation.id, event=event, from_state=source, to_state=target,
                                actor=actor.username, actor_user_id=actor.id, reason=reason or "", forced=forced, at=now)
    session.add(history)
    flush(session, evaluation)
    record_event(session, "transition", "evaluation", evaluation.id, daerah_id=evaluation.daerah_id,
                 before={"state": source, "version": evaluation.version - 1},
                 after={"state": target, "event": event, "reason": reason or "", "forced": forced,
                        "history_id": history.id, "version": evaluation.version})
    return history


def force_transition(session: Session, actor: User, evaluation: Evaluation, event: str, reason: str, *,
                     version: int | None = None, reopen_to: str | None = None) -> TransitionHistory:
    """HR triggers any transition possible from the current state, past roles and guards, with a reason."""
    if event not in RULES:
        raise WorkflowConflict(f"Transisi tidak dikenal: {event}.", f"Unknown transition: {event}.",
                               code="unknown_transition")
    return apply_transition(session, actor, evaluation, event, reason=reason, version=version, forced=True,
                            reopen_to=reopen_to)


def close_evaluation(session: Session, actor: User, evaluation: Evaluation, reason: str, *,
                     version: int | None = None) -> TransitionHistory:
    """HR closes an evaluation before its follow-ups are resolved (open follow-ups stay tracked)."""
    return apply_transition(session, actor, evaluation, "close", reason=reason, version=version)


def reopen_evaluation(session: Session, actor: User, evaluation: Evaluation, reason: str, *, to: str = "review",
                      version: int | None = None) -> TransitionHistory:
    """HR reopens a closed evaluation into realization, review or follow_up, with a reason."""
    return apply_transition(session, actor, evaluation, "reopen", reason=reason, version=version, reopen_to=to)


def evaluation_history(session: Session, actor: User, evaluation: Evaluation) -> list[TransitionHistory]:
    """Every transition of the evaluation, oldest first."""
    require_access(actor, evaluation.pegawai)
    return list(session.scalars(select(TransitionHistory).where(TransitionHistory.evaluation_id == evaluation.id)
                                .order_by(TransitionHistory.id)))
