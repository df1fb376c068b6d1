"""Feedback and keberatan: the atasan writes umpan balik; the pegawai accepts the result or objects within the
daerah's window; the atasan's own atasan upholds or changes the decision (a change is a new decision that
supersedes the earlier one, which is kept)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.audit import set_actor
from engine.db import utcnow
from engine.identity import User
from workflows.deadlines import keberatan_deadline, local_today
from workflows.errors import WorkflowConflict, invalid, problem
from workflows.followup import enter_follow_up
from workflows.models import Evaluation, EvaluationState as S, Keberatan, KeberatanStatus, TransitionHistory
from workflows.permissions import Relation, require_access, require_relation
from workflows.plan import require_state
from workflows.review import _rating_problems, apply_override, apply_ratings, run_decision
from workflows.transitions import apply_transition, check_version


def give_feedback(session: Session, actor: User, evaluation: Evaluation, umpan_balik: str, *,
                  version: int | None = None) -> TransitionHistory:
    """The atasan writes umpan balik and hands the decided evaluation to the pegawai (guards: all seven values
    rated, a decision in force, umpan balik written)."""
    rels = require_access(actor, evaluation.pegawai)
    require_relation(rels, {Relation.atasan}, "memberi umpan balik", "give feedback")
    set_actor(session, actor)
    check_version(evaluation, version)
    if evaluation.state == S.review:
        evaluation.umpan_balik = (umpan_balik or "").strip()
    return apply_transition(session, actor, evaluation, "give_feedback", relations=rels)


def acknowledge_evaluation(session: Session, actor: User, evaluation: Evaluation, *, version: int | None = None,
                           today: dt.date | None = None) -> TransitionHistory:
    """The pegawai accepts the result (the atasan or HR may, once the keberatan window has passed); the decision's
    actions become follow-ups, and the evaluation closes at once when there are none."""
    rels = require_access(actor, evaluation.pegawai)
    today = today or local_today(evaluation.daerah)
    history = apply_transition(session, actor, evaluation, "acknowledge", version=version, today=today,
                               relations=rels)
    enter_follow_up(session, actor, evaluation, rels, today)
    return history


def file_keberatan(session: Session, actor: User, evaluation: Evaluation, alasan: str, *,
                   version: int | None = None, today: dt.date | None = None) -> Keberatan:
    """The pegawai objects to the result, with the reasons, until the daerah's keberatan deadline."""
    rels = require_access(actor, evaluation.pegawai)
    today = today or local_today(evaluation.daerah)
    deadline = keberatan_deadline(session, evaluation)
    apply_transition(session, actor, evaluation, "file_keberatan", reason=alasan, version=version, today=today,
                     relations=rels)
    n = session.scalar(select(func.count()).select_from(Keberatan).where(Keberatan.evaluation_id == evaluation.id))
    row = Keberatan(evaluation_id=evaluation.id, daerah_id=evaluation.daerah_id, round=(n or 0) + 1,
                    alasan=alasan.strip(), filed_by=actor.username, deadline_on=deadline or today,
                    decision_before_id=evaluation.decision_id, predikat_before=evaluation.predikat)
    session.add(row)
    session.flush()
    return row


def pending_keberatan(session: Session, evaluation: Evaluation) -> Keberatan | None:
    """The keberatan waiting for the atasan's atasan, if any."""
    return session.scalar(select(Keberatan).where(Keberatan.evaluation_id == evaluation.id,
                                                  Keberatan.status == KeberatanStatus.pending))


def resolve_keberatan(session: Session, actor: User, evaluation: Evaluation, *, uphold: bool, reason: str,
                      perilaku: dict[str, str] | None = None, predikat: str | None = None,
                      version: int | None = None, today: dt.date | None = None) -> Keberatan:
    """The atasan's atasan upholds the decision, or changes it: new perilaku ratings (decided again, the new
    decision superseding the earlier one) and/or a predikat with the reason. Then the follow-ups start."""
    rels = require_access(actor, evaluation.pegawai)
    require_relation(rels, {Relation.atasan2}, "memutus keberatan", "resolve the objection")
    set_actor(session, actor)
    check_version(evaluation, version)
    require_state(evaluation, (S.keberatan,), "memutus keberatan", "resolve the objection")
    row = pending_keberatan(session, evaluation)
    if row is None:
        raise WorkflowConflict("Tidak ada keberatan yang menunggu keputusan.", "No objection is waiting.",
                               code="no_keberatan")
    problems = []
    if not isinstance(reason, str) or len(reason.strip()) < 10:
        problems.append(problem("reason_required", "reason", "alasan keputusan keberatan wajib ditulis (paling "
                                "sedikit 10 huruf)", "the reason for the ruling is required (at least 10 characters)"))
    if uphold and (perilaku or predikat):
        problems.append(problem("uphold_with_change", "uphold", "keputusan dikuatkan tidak boleh disertai perubahan "
                                "perilaku atau predikat; pilih ubah", "upholding cannot come with new ratings or a "
                                "predikat; choose change instead"))
    if not uphold and not (perilaku or predikat):
        problems.append(problem("change_required", "perilaku", "perubahan memerlukan penilaian perilaku baru atau "
                                "predikat baru", "a change needs new behaviour ratings or a new predikat"))
    if perilaku:
        problems += _rating_problems(perilaku, None, None)
    if problems:
        raise invalid(problems, "Keberatan tidak dapat diputus", "The objection cannot be resolved")
    if not uphold:
        changed = apply_ratings(session, actor, evaluation, perilaku or {})
        if changed:
            run_decision(session, actor, evaluation, "keberatan")
        if predikat:
            apply_override(session, actor, evaluation, predikat, reason)
        if not changed and not predikat:
            raise invalid([problem("nothing_changed", "perilaku", "penilaian baru sama dengan yang lama; kuatkan "
                                   "keputusan bila tidak ada yang berubah", "the new ratings equal the old ones; "
                                   "uphold the decision when nothing changes")],
                          "Keberatan tidak dapat diputus", "The objection cannot be resolved")
    row.status = KeberatanStatus.upheld if uphold else KeberatanStatus.changed
    row.resolution, row.resolved_by, row.resolved_at = reason.strip(), actor.username, utcnow()
    row.decision_after_id, row.predikat_after = evaluation.decision_id, evaluation.predikat
    apply_transition(session, actor, evaluation, "resolve_keberatan", reason=reason, relations=rels, today=today)
    enter_follow_up(session, actor, evaluation, rels, today)
    return row
