"""Deadlines per daerah and state, stored as DeadlineRule rows, applied on the daerah's local date; what is
overdue, and who must act.

A rule says by when an evaluation must have left a state: day and month of the period's year plus an offset
(plan by 31 January of the year; review by 31 January of the next). A deadline passes at the end of that day in
the daerah's time zone (WIB, WITA, WIT). Follow-ups carry their own due date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session, aliased

from engine.audit import set_actor
from engine.db import utcnow
from engine.identity import Role, User
from engine.organisation import Daerah, Pegawai, PegawaiStatus, UnitKerja, unit_subtree_ids  # noqa: F401 (callers import it here)
from engine.permissions import scope_for
from workflows.errors import WorkflowNotAllowed, WorkflowNotFound, invalid, problem
from workflows.models import DeadlineRule, Evaluation, EvaluationState as S, FollowUp, FollowUpStatus, Period
from workflows.permissions import in_reach, require_hr
from workflows.settings import workflow_settings

#: state -> (year offset, month, day): by when an evaluation must have left the state.
DEFAULT_DEADLINES: dict[str, tuple[int, int, int]] = {
    S.plan_draft: (0, 1, 31),
    S.plan_submitted: (0, 2, 15),
    S.plan_approved: (0, 3, 31),
    S.realization: (1, 1, 15),
    S.review: (1, 1, 31),
    S.feedback: (1, 2, 28),
    S.keberatan: (1, 3, 15),
}
#: Who must act to move an evaluation out of each state.
STATE_OWNER: dict[str, str] = {
    S.plan_draft: "pegawai", S.plan_submitted: "atasan", S.plan_approved: "pegawai", S.realization: "pegawai",
    S.review: "atasan", S.feedback: "pegawai", S.keberatan: "atasan2",
}
#: Who can be named as the one who must act (HR when the atasan is not in the system).
RESPONSIBLE_ROLES: tuple[str, ...] = ("pegawai", "atasan", "atasan2", "hr")


def local_today(daerah: Daerah, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the daerah's time zone (`now` is naive UTC, default the clock)."""
    now = now or utcnow()
    return now.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(daerah.timezone or "Asia/Jakarta")).date()


def local_date(daerah: Daerah, at: dt.datetime) -> dt.date:
    """The daerah's local date of a stored (naive UTC) timestamp."""
    return local_today(daerah, at)


def keberatan_deadline(session: Session, evaluation: Evaluation) -> dt.date | None:
    """The last local day the pegawai may file a keberatan: feedback day plus the daerah's keberatan days."""
    if evaluation.feedback_at is None:
        return None
    days = workflow_settings(session, evaluation.daerah_id).keberatan_days
    return local_date(evaluation.daerah, evaluation.feedback_at) + dt.timedelta(days=days)


def deadline_rules(session: Session, daerah_id: int) -> dict[str, DeadlineRule]:
    """The daerah's deadline rules by state: stored rows over the defaults."""
    rules = {state: DeadlineRule(daerah_id=daerah_id, state=state, year_offset=o, month=m, day=d)
             for state, (o, m, d) in DEFAULT_DEADLINES.items()}
    for row in session.scalars(select(DeadlineRule).where(DeadlineRule.daerah_id == daerah_id)):
        rules[row.state] = row
    return rules


def ensure_deadlines(session: Session, daerah: Daerah) -> int:
    """Store the default rules the daerah does not have yet (so they are data HR can see and change)."""
    have = set(session.scalars(select(DeadlineRule.state).where(DeadlineRule.daerah_id == daerah.id)))
    added = 0
    for state, (o, m, d) in DEFAULT_DEADLINES.items():
        if state not in have:
            session.add(DeadlineRule(daerah_id=daerah.id, state=state, year_offset=o, month=m, day=d))
            added += 1
    session.flush()
    return added


def set_deadline(session: Session, actor: User, daerah: Daerah, state: str, *, month: int, day: int,
                 year_offset: int = 0) -> DeadlineRule:
    """HR sets by when evaluations of the daerah must leave `state`."""
    require_hr(actor, daerah)
    set_actor(session, actor)
    problems = []
    if state not in STATE_OWNER:
        problems.append(problem("enum", "state", f"status harus salah satu dari {', '.join(STATE_OWNER)}",
                                f"state must be one of {', '.join(STATE_OWNER)}"))
    try:
        dt.date(2001 + year_offset, month, day)  # a non-leap year: 29 February would pass only in some years
    except (ValueError, TypeError, OverflowError):
        problems.append(problem("date", "day", f"tanggal {day}/{month} tidak valid di setiap tahun",
                                f"{day}/{month} is not a valid date in every year"))
    if year_offset not in (0, 1):
        problems.append(problem("range", "year_offset", "offset tahun harus 0 (tahun periode) atau 1 (tahun "
                                "berikutnya)", "the year offset must be 0 (the period's year) or 1 (the next)"))
    if problems:
        raise invalid(problems, "Batas waktu tidak valid", "Invalid deadline")
    row = session.scalar(select(DeadlineRule).where(DeadlineRule.daerah_id == daerah.id, DeadlineRule.state == state))
    if row is None:
        row = DeadlineRule(daerah_id=daerah.id, state=state)
        session.add(row)
    row.year_offset, row.month, row.day = year_offset, month, day
    session.flush()
    return row


@dataclass(frozen=True)
class OverdueItem:
    """Something past its deadline: which evaluation (or follow-up), since when, and who must act."""

    kind: str                     # evaluation | follow_up
    evaluation_id: int
    follow_up_id: int | None
    state: str
    what: str                     # the state to leave, or the follow-up's action code
    due_on: dt.date
    days_late: int
    pegawai_id: int
    nip: str
    name: str
    responsible_role: str         # pegawai | atasan | atasan2 | hr
    responsible_pegawai_id: int | None
    responsible_name: str
    pegawai_status: str = "aktif"  # not aktif (retired, transferred...): HR closes what is left, whatever the state

    def as_dict(self) -> dict:
        """JSON-ready form."""
        return {**self.__dict__, "due_on": self.due_on.isoformat()}


def _last_overdue_year(rule: DeadlineRule, on: dt.date) -> int:
    """The latest period year whose deadline for the rule's state is before `on` (deadlines grow with the year)."""
    year = on.year - rule.year_offset
    return year if rule.due_on(year) < on else year - 1


def _require_overseer(actor: User, daerah: Daerah) -> None:
    if scope_for(actor, {Role.hr, Role.admin, Role.auditor}).allows(daerah.id):
        return
    if not in_reach(actor, daerah.id):
        raise WorkflowNotFound("Daerah tidak ditemukan.", "Daerah not found.", code="not_found")
    raise WorkflowNotAllowed("Hanya kepegawaian dan auditor daerah ini yang dapat melihat semua keterlambatan; "
                             "pegawai dan atasan melihat milik mereka sendiri.",
                             "Only HR and auditors of this daerah may see every overdue item; pegawai and atasan "
                             "see their own.", code="forbidden")


def overdue(session: Session, actor: User, daerah: Daerah, on: dt.date | None = None, *,
            unit_ids: list[int] | None = None) -> list[OverdueItem]:
    """Everything overdue in the daerah on local date `on` (default today there): HR, admins and auditors."""
    _require_overseer(actor, daerah)
    return _overdue(session, daerah, on or local_today(daerah), unit_ids=unit_ids)


def my_overdue(session: Session, actor: User, daerah: Daerah, on: dt.date | None = None) -> list[OverdueItem]:
    """What the actor must act on and is late with: as pegawai, atasan, atasan's atasan, or HR for HR's items."""
    items = _overdue(session, daerah, on or local_today(daerah))
    me = actor.pegawai_id
    hr = scope_for(actor, {Role.hr, Role.admin}).allows(daerah.id)
    return [i for i in items if (me is not None and i.responsible_pegawai_id == me)
            or (hr and i.responsible_role == "hr")]


def _overdue(session: Session, daerah: Daerah, on: dt.date, unit_ids: list[int] | None = None) -> list[OverdueItem]:
    rules = deadline_rules(session, daerah.id)
    p, a1, a2 = aliased(Pegawai), aliased(Pegawai), aliased(Pegawai)
    cond = or_(false(), *(and_(Evaluation.state == state, Period.tahun <= _last_overdue_year(rule, on))
                          for state, rule in rules.items() if state in STATE_OWNER))
    query = (select(Evaluation.id, Evaluation.state, Period.tahun, p.id, p.nip, p.name, a1.id, a1.name, a1.atasan_id,
                    a2.name, p.status)
             .join(Period, Period.id == Evaluation.period_id).join(p, p.id == Evaluation.pegawai_id)
             .outerjoin(a1, a1.id == p.atasan_id).outerjoin(a2, a2.id == a1.atasan_id)
             .where(Evaluation.daerah_id == daerah.id, cond).order_by(Period.tahun, Evaluation.id))
    if unit_ids is not None:
        query = query.where(Evaluation.unit_id.in_(unit_ids))
    items = []
    for ev_id, state, tahun, pid, nip, name, a1_id, a1_name, a2_id, a2_name, status in session.execute(query):
        due = rules[state].due_on(tahun)
        role = STATE_OWNER[state]
        if status != PegawaiStatus.aktif:
            resp = (None, "")  # the pegawai left: nobody but HR (closing it with a reason) can end it
        elif role == "pegawai":
            resp = (pid, name)
        elif role == "atasan":
            resp = (a1_id, a1_name) if a1_id else (None, "")
        else:
            resp = (a2_id, a2_name) if a2_id else (None, "")
        if resp[0] is None:
            role = "hr"  # no atasan in the system, or the pegawai left: HR acts (see workflows.permissions)
        items.append(OverdueItem("evaluation", ev_id, None, state, state, due, (on - due).days, pid, nip, name,
                                 role, resp[0], resp[1] or "kepegawaian / HR", status))
    fq = (select(FollowUp.id, FollowUp.evaluation_id, FollowUp.action_code, FollowUp.due_on, FollowUp.owner_role,
                 FollowUp.owner_pegawai_id, Evaluation.state, p.id, p.nip, p.name, a1.name, p.status)
          .join(Evaluation, Evaluation.id == FollowUp.evaluation_id).join(p, p.id == Evaluation.pegawai_id)
          .outerjoin(a1, a1.id == FollowUp.owner_pegawai_id)
          .where(FollowUp.daerah_id == daerah.id, FollowUp.status == FollowUpStatus.open, FollowUp.due_on < on)
          .order_by(FollowUp.due_on, FollowUp.id))
    if unit_ids is not None:
        fq = fq.where(Evaluation.unit_id.in_(unit_ids))
    for fid, ev_id, code, due, role, owner_id, state, pid, nip, name, owner_name, status in session.execute(fq):
        if (role == "atasan" and owner_id is None) or status != PegawaiStatus.aktif:
            role = "hr"
        items.append(OverdueItem("follow_up", ev_id, fid, state, code, due, (on - due).days, pid, nip, name, role,
                                 owner_id if role != "hr" else None,
                                 owner_name if role != "hr" else "kepegawaian / HR", status))
    return items
