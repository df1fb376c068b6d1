"""Follow-ups (tindak lanjut): the decision's actions as rows with an owner, a due date and a status; the
evaluation closes when every follow-up is resolved.

When the atasan overrode the predikat, actions the rules emitted because of the engine's predikat (their trace
read the predikat or something derived from it) are not created: they described a predikat that no longer holds.
HR or the atasan add the follow-ups the final predikat calls for with `add_follow_up`.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.audit import record_event, set_actor
from engine.db import utcnow
from engine.identity import User
from engine.runtime import ACTIONS
from rules.models import Decision
from workflows.deadlines import local_today
from workflows.errors import WorkflowConflict, WorkflowNotAllowed, WorkflowNotFound, invalid, problem
from workflows.models import Evaluation, EvaluationState as S, FollowUp, FollowUpStatus
from workflows.permissions import Relation, require_access, require_relation
from workflows.transitions import apply_transition

PREDIKAT_FACTS = frozenset({"predikat", "tahun_berturut_sangat_baik", "tahun_berturut_di_bawah_baik", "skor",
                            "tpp_persen"})


def _predikat_bound_rules(decision: Decision) -> set[str]:
    return {t.get("rule") for t in decision.result.get("trace", [])
            if t.get("stage") == "triggers" and PREDIKAT_FACTS & set((t.get("seen") or {}))}


def _owner(evaluation: Evaluation, role: str) -> int | None:
    return evaluation.pegawai.atasan_id if role == "atasan" else None


def create_follow_ups(session: Session, evaluation: Evaluation, today: dt.date) -> list[FollowUp]:
    """Turn the actions of the decision in force into follow-ups (once per decision); cancel open ones of earlier
    decisions, which the new decision replaces."""
    decision = session.get(Decision, evaluation.decision_id) if evaluation.decision_id else None
    for old in session.scalars(select(FollowUp).where(FollowUp.evaluation_id == evaluation.id,
                                                      FollowUp.status == FollowUpStatus.open,
                                                      FollowUp.decision_id != (decision.id if decision else -1))):
        old.status, old.note = FollowUpStatus.cancelled, "digantikan keputusan baru / replaced by a newer decision"
        old.resolved_by, old.resolved_at = "system", utcnow()
    if decision is None:
        return []
    if session.scalar(select(func.count()).select_from(FollowUp).where(FollowUp.decision_id == decision.id)):
        return []  # already created (e.g. reopened into follow_up)
    overridden = evaluation.predikat != evaluation.predikat_engine
    skip = _predikat_bound_rules(decision) if overridden else set()
    rows, skipped = [], []
    for position, action in enumerate(decision.result.get("actions", [])):
        if action.get("rule") in skip:
            skipped.append(action["code"])
            continue
        role = action.get("owner", "hr")
        rows.append(FollowUp(evaluation_id=evaluation.id, decision_id=decision.id, daerah_id=evaluation.daerah_id,
                             position=position, action_code=action["code"], kind=action.get("kind", ""),
                             params=action.get("params") or {}, owner_role=role,
                             owner_pegawai_id=_owner(evaluation, role),
                             due_on=today + dt.timedelta(days=int(action.get("due_days", 30)))))
    session.add_all(rows)
    session.flush()
    if skipped:
        record_event(session, "follow_up_skipped", "evaluation", evaluation.id, daerah_id=evaluation.daerah_id,
                     after={"decision_id": decision.id, "skipped": skipped, "predikat": evaluation.predikat,
                            "predikat_engine": evaluation.predikat_engine})
    return rows


def enter_follow_up(session: Session, actor: User, evaluation: Evaluation, relations: frozenset[Relation],
                    today: dt.date | None = None) -> list[FollowUp]:
    """After acknowledge or keberatan: create the follow-ups, and close at once when none is open."""
    today = today or local_today(evaluation.daerah)
    evaluation.follow_up_on = today
    rows = create_follow_ups(session, evaluation, today)
    if not any(r.status == FollowUpStatus.open for r in rows) and not _open_count(session, evaluation):
        apply_transition(session, actor, evaluation, "complete", relations=relations, today=today,
                         reason="tidak ada tindak lanjut terbuka / no open follow-ups")
    return rows


def _open_count(session: Session, evaluation: Evaluation) -> int:
    return session.scalar(select(func.count()).select_from(FollowUp).where(
        FollowUp.evaluation_id == evaluation.id, FollowUp.status == FollowUpStatus.open)) or 0


def _may_resolve(actor: User, follow_up: FollowUp, rels: frozenset[Relation]) -> bool:
    if Relation.hr in rels:
        return True
    return follow_up.owner_role == "atasan" and actor.pegawai_id is not None and (
        actor.pegawai_id == follow_up.owner_pegawai_id or Relation.atasan in rels)


def get_follow_up(session: Session, actor: User, follow_up_id: int) -> FollowUp:
    """A follow-up the actor may see."""
    row = session.get(FollowUp, follow_up_id)
    if row is None:
        raise WorkflowNotFound("Tindak lanjut tidak ditemukan.", "Follow-up not found.", code="not_found")
    require_access(actor, row.evaluation.pegawai)
    return row


def resolve_follow_up(session: Session, actor: User, follow_up: FollowUp, note: str, *, status: str = "done",
                      today: dt.date | None = None) -> FollowUp:
    """The owner (the atasan for atasan actions, HR for HR actions; HR for any) marks a follow-up done or
    cancelled with a note; the last one resolved closes the evaluation."""
    evaluation = follow_up.evaluation
    rels = require_access(actor, evaluation.pegawai)
    if not _may_resolve(actor, follow_up, rels):
        owner_id, owner_en = (("atasan langsung", "the direct atasan") if follow_up.owner_role == "atasan"
                              else ("kepegawaian daerah ini", "HR of this daerah"))
        raise WorkflowNotAllowed(f"Hanya {owner_id} yang dapat menyelesaikan tindak lanjut ini.",
                                 f"Only {owner_en} may resolve this follow-up.", code="forbidden")
    set_actor(session, actor)
    if follow_up.status != FollowUpStatus.open:
        raise WorkflowConflict(f"Tindak lanjut ini sudah {follow_up.status}.", f"This follow-up is already "
                               f"{follow_up.status}.", code="already_resolved")
    problems = []
    if status not in (FollowUpStatus.done, FollowUpStatus.cancelled):
        problems.append(problem("enum", "status", "status harus done atau cancelled", "status must be done or cancelled"))
    if not isinstance(note, str) or not note.strip():
        problems.append(problem("required", "note", "catatan penyelesaian wajib diisi", "a completion note is required"))
    if problems:
        raise invalid(problems, "Tindak lanjut tidak dapat diselesaikan", "The follow-up cannot be resolved")
    follow_up.status, follow_up.note = FollowUpStatus(status), note.strip()
    follow_up.resolved_by, follow_up.resolved_at = actor.username, utcnow()
    session.flush()
    if evaluation.state == S.follow_up and not _open_count(session, evaluation):
        # the owner of an atasan follow-up acts as atasan even if the organisation chart moved since
        apply_transition(session, actor, evaluation, "complete", relations=rels | {Relation.atasan}, today=today,
                         reason="semua tindak lanjut selesai / every follow-up resolved")
    return follow_up


def add_follow_up(session: Session, actor: User, evaluation: Evaluation, code: str, *, note: str,
                  due_days: int | None = None, params: dict | None = None,
                  today: dt.date | None = None) -> FollowUp:
    """HR or the atasan adds a follow-up from the action catalogue (e.g. what an overridden predikat calls for)."""
    rels = require_access(actor, evaluation.pegawai)
    require_relation(rels, {Relation.hr, Relation.atasan}, "menambah tindak lanjut", "add a follow-up")
    set_actor(session, actor)
    if evaluation.state not in (S.follow_up, S.closed) or evaluation.decision_id is None:
        raise WorkflowConflict("Tindak lanjut hanya dapat ditambah setelah hasil evaluasi diterima.",
                               "Follow-ups can only be added once the result is accepted.", code="wrong_state")
    spec = ACTIONS.get(code)
    problems = []
    if spec is None:
        problems.append(problem("enum", "code", f"'{code}' tidak ada di katalog tindakan; pilih dari "
                                f"{', '.join(ACTIONS)}", f"'{code}' is not in the action catalogue; pick one of "
                                f"{', '.join(ACTIONS)}"))
    if not isinstance(note, str) or not note.strip():
        problems.append(problem("required", "note", "alasan penambahan wajib diisi", "a reason is required"))
    if due_days is not None and (not isinstance(due_days, int) or not 1 <= due_days <= 730):
        problems.append(problem("range", "due_days", "tenggat harus 1-730 hari", "due days must be 1-730"))
    if problems:
        raise invalid(problems, "Tindak lanjut tidak dapat ditambah", "The follow-up cannot be added")
    position = (session.scalar(select(func.max(FollowUp.position)).where(
        FollowUp.decision_id == evaluation.decision_id)) or 0) + 1000
    today = today or local_today(evaluation.daerah)
    row = FollowUp(evaluation_id=evaluation.id, decision_id=evaluation.decision_id, daerah_id=evaluation.daerah_id,
                   position=position, action_code=code, kind=spec.kind, params=params or {}, owner_role=spec.owner,
                   owner_pegawai_id=_owner(evaluation, spec.owner),
                   due_on=today + dt.timedelta(days=due_days or spec.due_days), note=note.strip())
    session.add(row)
    session.flush()
    return row
