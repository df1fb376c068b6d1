"""Periods and evaluations: HR opens a daerah's tahunan period (with the triwulan or bulanan sub-periods the
daerah chose), which creates an evaluation for every pegawai of the daerah or of a unit subtree, idempotently."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

from sqlalchemy import Select, false, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.audit import record_event, set_actor
from engine.db import utcnow
from engine.identity import Role, User
from engine.organisation import Daerah, Pegawai, PegawaiStatus, UnitKerja
from engine.permissions import scope_for
from workflows.deadlines import ensure_deadlines, unit_subtree_ids
from workflows.errors import WorkflowConflict, WorkflowNotAllowed, WorkflowNotFound, invalid, problem
from workflows.models import Evaluation, EvaluationState, Period, SubPeriods
from workflows.permissions import in_reach, require_access, require_hr
from workflows.settings import workflow_settings

CHUNK = 1000


@dataclass
class OpenReport:
    """What opening a period did: the period, evaluations created now and those that already existed."""

    period_id: int
    created: int = 0
    existing: int = 0
    total: int = 0
    not_aktif: int = 0  #: pegawai in scope skipped because they left (pensiun, pindah, berhenti, meninggal)
    evaluation_ids: list[int] = field(default_factory=list)


def _sub_periods(kind: str, tahun: int) -> list[tuple[str, dt.date, dt.date]]:
    if kind == SubPeriods.triwulan:
        return [(f"triwulan_{q}", dt.date(tahun, 3 * q - 2, 1),
                 dt.date(tahun, 3 * q, calendar.monthrange(tahun, 3 * q)[1])) for q in range(1, 5)]
    if kind == SubPeriods.bulanan:
        return [(f"bulanan_{m:02d}", dt.date(tahun, m, 1), dt.date(tahun, m, calendar.monthrange(tahun, m)[1]))
                for m in range(1, 13)]
    return []


def ensure_period(session: Session, daerah: Daerah, tahun: int) -> Period:
    """The daerah's tahunan period of `tahun` with its sub-periods, created when missing (no permission check)."""
    period = session.scalar(select(Period).where(Period.daerah_id == daerah.id, Period.tahun == tahun,
                                                 Period.jenis == "tahunan"))
    if period is None:
        period = Period(daerah_id=daerah.id, tahun=tahun, jenis="tahunan", starts_on=dt.date(tahun, 1, 1),
                        ends_on=dt.date(tahun, 12, 31))
        session.add(period)
        session.flush()
        kind = workflow_settings(session, daerah.id).sub_periods
        for jenis, start, end in _sub_periods(kind, tahun):
            session.add(Period(daerah_id=daerah.id, tahun=tahun, jenis=jenis, starts_on=start, ends_on=end,
                               parent_id=period.id))
        ensure_deadlines(session, daerah)
        session.flush()
    return period


def _check_year(tahun) -> None:
    if not isinstance(tahun, int) or isinstance(tahun, bool) or not 2000 <= tahun <= 2100:
        raise invalid([problem("range", "tahun", f"tahun harus antara 2000 dan 2100, bukan {tahun!r}",
                               f"the year must be between 2000 and 2100, not {tahun!r}")],
                      "Tahun tidak valid", "Invalid year")


def pegawai_to_open(session: Session, daerah: Daerah,
                    unit: UnitKerja | None = None) -> tuple[list[tuple[int, int]], int]:
    """(pegawai id, unit id) of every `aktif` pegawai of the daerah, or of the unit and the units below it, and how
    many pegawai there were skipped for not being aktif (a retired or transferred pegawai gets no new evaluation)."""
    query = select(Pegawai.id, Pegawai.unit_id, Pegawai.status).where(Pegawai.daerah_id == daerah.id)
    if unit is not None:
        if unit.daerah_id != daerah.id:
            raise WorkflowNotFound(f"Unit kerja {unit.code} bukan bagian {daerah.name}.",
                                   f"Unit {unit.code} is not part of {daerah.name}.", code="not_found", field="unit")
        query = query.where(Pegawai.unit_id.in_(unit_subtree_ids(session, unit)))
    rows = session.execute(query.order_by(Pegawai.id)).all()
    people = [(pid, uid) for pid, uid, status in rows if status == PegawaiStatus.aktif]
    return people, len(rows) - len(people)


def open_chunk(session: Session, period: Period, people: Iterable[tuple[int, int]]) -> tuple[list[int], int]:
    """Create the missing evaluations for `people` (idempotent); return (new evaluation ids, already existing)."""
    people = list(people)
    ids = [p for p, _ in people]
    have = set(session.scalars(select(Evaluation.pegawai_id).where(Evaluation.period_id == period.id,
                                                                   Evaluation.pegawai_id.in_(ids))))
    now = utcnow()
    rows = [{"period_id": period.id, "daerah_id": period.daerah_id, "pegawai_id": pid, "unit_id": uid,
             "state": EvaluationState.plan_draft.value, "version": 1, "created_at": now, "updated_at": now}
            for pid, uid in people if pid not in have]
    if not rows:
        return [], len(have)
    try:
        new_ids = list(session.scalars(insert(Evaluation).returning(Evaluation.id), rows))
    except IntegrityError:
        raise WorkflowConflict("Periode ini sedang dibuka oleh proses lain; jalankan ulang setelah selesai.",
                               "This period is being opened by another process; run again once it is done.",
                               code="concurrent_open") from None
    record_event(session, "open_period", "period", period.id, daerah_id=period.daerah_id,
                 after={"tahun": period.tahun, "created": len(new_ids), "evaluation_ids": new_ids})
    return new_ids, len(have)


def open_period(session: Session, actor: User, daerah: Daerah, tahun: int, unit: UnitKerja | None = None, *,
                progress: Callable[[int, int], None] | None = None, commit_chunks: bool = False,
                chunk_size: int = CHUNK) -> OpenReport:
    """HR opens the tahunan period: an evaluation in plan_draft for every pegawai of the daerah (or of a unit
    subtree) who has none yet. Flushes; with `commit_chunks` (bulk jobs) commits after each chunk."""
    require_hr(actor, daerah)
    set_actor(session, actor)
    _check_year(tahun)
    people, not_aktif = pegawai_to_open(session, daerah, unit)
    period = ensure_period(session, daerah, tahun)
    if commit_chunks:
        session.commit()
    report = OpenReport(period_id=period.id, total=len(people), not_aktif=not_aktif)
    for start in range(0, len(people), chunk_size):
        new_ids, existing = open_chunk(session, period, people[start:start + chunk_size])
        report.created += len(new_ids)
        report.existing += existing
        if len(report.evaluation_ids) < 10_000:
            report.evaluation_ids.extend(new_ids)
        if commit_chunks:
            session.commit()
        else:
            session.flush()
        if progress:
            progress(min(start + chunk_size, len(people)), len(people))
    return report


def find_period(session: Session, daerah: Daerah, tahun: int) -> Period:
    """The daerah's tahunan period of `tahun`, or 404."""
    period = session.scalar(select(Period).where(Period.daerah_id == daerah.id, Period.tahun == tahun,
                                                 Period.jenis == "tahunan"))
    if period is None:
        raise WorkflowNotFound(f"Periode {tahun} {daerah.name} belum dibuka.", f"Period {tahun} of {daerah.name} "
                               "has not been opened.", code="not_found", field="tahun")
    return period


def get_evaluation(session: Session, actor: User, evaluation_id: int, *, options: tuple = ()) -> Evaluation:
    """An evaluation the actor may see (404 outside their daerah, 403 inside it without a relation); `options` are
    loader options for what the caller will read (e.g. the whole plan in a few queries instead of one per RHK)."""
    evaluation = session.get(Evaluation, evaluation_id, options=options)
    if evaluation is None:
        raise WorkflowNotFound("Evaluasi tidak ditemukan.", "Evaluation not found.", code="not_found")
    require_access(actor, evaluation.pegawai)
    return evaluation


def evaluation_of(session: Session, actor: User, pegawai: Pegawai, tahun: int) -> Evaluation:
    """The evaluation of a pegawai for a year, if the actor may see it."""
    evaluation = session.scalar(select(Evaluation).join(Period, Period.id == Evaluation.period_id).where(
        Evaluation.pegawai_id == pegawai.id, Period.tahun == tahun, Period.jenis == "tahunan"))
    if evaluation is None:
        raise WorkflowNotFound("Evaluasi tidak ditemukan.", "Evaluation not found.", code="not_found")
    require_access(actor, evaluation.pegawai)
    return evaluation


def list_evaluations(session: Session, actor: User, daerah: Daerah, tahun: int, *, state: str | None = None,
                     unit: UnitKerja | None = None) -> Select:
    """HR, admins and auditors list a daerah's evaluations of a year, by state and unit subtree: the SELECT, in id
    order, for the caller to page through (a daerah has tens of thousands)."""
    if not scope_for(actor, {Role.hr, Role.admin, Role.auditor}).allows(daerah.id):
        if not in_reach(actor, daerah.id):
            raise WorkflowNotFound("Daerah tidak ditemukan.", "Daerah not found.", code="not_found")
        raise WorkflowNotAllowed("Hanya kepegawaian dan auditor yang dapat melihat semua evaluasi daerah.",
                                 "Only HR and auditors may list every evaluation of the daerah.", code="forbidden")
    query = (select(Evaluation).join(Period, Period.id == Evaluation.period_id)
             .where(Evaluation.daerah_id == daerah.id, Period.tahun == tahun).order_by(Evaluation.id))
    if state:
        query = query.where(Evaluation.state == state)
    if unit is not None:
        query = query.where(Evaluation.unit_id.in_(unit_subtree_ids(session, unit)))
    return query


def my_evaluations(session: Session, actor: User, tahun: int | None = None, state: str | None = None) -> Select:
    """The actor's own evaluations and those of their direct reports: the SELECT, newest year first."""
    if actor.pegawai_id is None:
        return select(Evaluation).where(false())
    query = (select(Evaluation).join(Pegawai, Pegawai.id == Evaluation.pegawai_id)
             .join(Period, Period.id == Evaluation.period_id)
             .where((Evaluation.pegawai_id == actor.pegawai_id) | (Pegawai.atasan_id == actor.pegawai_id))
             .order_by(Period.tahun.desc(), Evaluation.id))
    if tahun is not None:
        query = query.where(Period.tahun == tahun)
    if state:
        query = query.where(Evaluation.state == state)
    return query
