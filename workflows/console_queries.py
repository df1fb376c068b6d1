"""Read-only queries behind the console's lifecycle pages: the board per unit and state, evaluation lists,
predikat distribution per unit against the kurva table, and what waits for a user as atasan or atasan's atasan.

Callers check who may see a daerah (HR, admins, auditors: `workflows.periods.list_evaluations` rule); these
functions only read.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from engine.db import contains_pattern
from engine.organisation import Daerah, Pegawai, UnitKerja
from engine.runtime import check_kurva
from rules.decisions import versions_for
from rules.models import RuleKind
from rules.versions import resolved_document
from workflows.models import Evaluation, EvaluationState, Keberatan, KeberatanStatus, Period

STATES: tuple[str, ...] = tuple(s.value for s in EvaluationState)
DEFAULT_ORG_PREDIKAT = "baik"


@dataclass(frozen=True)
class EvaluationRow:
    """One line of an evaluation list."""

    id: int
    nip: str
    name: str
    jabatan: str
    unit_id: int
    unit: str
    state: str
    predikat: str | None
    predikat_engine: str | None
    updated_at: dt.datetime


def tahunan_periods(session: Session, daerah_id: int) -> list[Period]:
    """The daerah's tahunan periods, newest first."""
    return list(session.scalars(select(Period).where(Period.daerah_id == daerah_id, Period.jenis == "tahunan")
                                .order_by(Period.tahun.desc())))


def find_tahunan(session: Session, daerah_id: int, tahun: int) -> Period | None:
    """The daerah's tahunan period of `tahun`, if opened."""
    return session.scalar(select(Period).where(Period.daerah_id == daerah_id, Period.tahun == tahun,
                                               Period.jenis == "tahunan"))


def board_counts(session: Session, period: Period) -> list[dict]:
    """Per unit kerja (its own pegawai, not the subtree): counts of evaluations by state, and the total."""
    rows: dict[int, dict] = {}
    query = (select(UnitKerja.id, UnitKerja.name, Evaluation.state, func.count())
             .join(UnitKerja, UnitKerja.id == Evaluation.unit_id).where(Evaluation.period_id == period.id)
             .group_by(UnitKerja.id, UnitKerja.name, Evaluation.state).order_by(UnitKerja.name))
    for unit_id, name, state, n in session.execute(query):
        row = rows.setdefault(unit_id, {"unit_id": unit_id, "unit": name, "counts": dict.fromkeys(STATES, 0),
                                        "total": 0})
        row["counts"][str(state)] = n
        row["total"] += n
    return sorted(rows.values(), key=lambda r: r["unit"])


def board_totals(rows: list[dict]) -> dict:
    """Column totals of a board."""
    totals = dict.fromkeys(STATES, 0)
    for row in rows:
        for state, n in row["counts"].items():
            totals[state] += n
    return {"counts": totals, "total": sum(totals.values())}


def _listed(query, period: Period, unit_id: int | None, state: str | None, search: str | None):
    query = (query.join(Pegawai, Pegawai.id == Evaluation.pegawai_id)
             .join(UnitKerja, UnitKerja.id == Evaluation.unit_id).where(Evaluation.period_id == period.id))
    if unit_id is not None:
        query = query.where(Evaluation.unit_id == unit_id)
    if state:
        query = query.where(Evaluation.state == state)
    words = (search or "").split()
    for word in words[:5]:  # every word in the name or the NIP ("budi 1985" finds Budi born in 1985)
        pattern = contains_pattern(word)
        query = query.where(Pegawai.name.ilike(pattern, escape="\\") | Pegawai.nip.like(pattern, escape="\\"))
    return query


def evaluation_rows(session: Session, period: Period, *, unit_id: int | None = None, state: str | None = None,
                    search: str | None = None, offset: int = 0, limit: int | None = None) -> list[EvaluationRow]:
    """The period's evaluations (of one unit kerja, one state and/or matching `search` in the name or NIP), by
    unit and name; `limit` rows from `offset` (every row when `limit` is None: exports are complete)."""
    query = _listed(select(Evaluation.id, Pegawai.nip, Pegawai.name, Pegawai.jabatan, UnitKerja.id, UnitKerja.name,
                           Evaluation.state, Evaluation.predikat, Evaluation.predikat_engine, Evaluation.updated_at),
                    period, unit_id, state, search).order_by(UnitKerja.name, Pegawai.name, Evaluation.id)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [EvaluationRow(*(str(v) if i == 6 else v for i, v in enumerate(row))) for row in session.execute(query)]


def evaluation_count(session: Session, period: Period, *, unit_id: int | None = None, state: str | None = None,
                     search: str | None = None) -> int:
    """How many evaluations `evaluation_rows` lists with the same filters."""
    return session.scalar(_listed(select(func.count(Evaluation.id)), period, unit_id, state, search))


def kurva_table(session: Session, daerah: Daerah, period: Period) -> dict:
    """The kurva table of the scoring rules in force at the period's end (daerah override over nasional)."""
    for version in versions_for(session, daerah, period.ends_on):
        if version.rule_set.kind == RuleKind.scoring:
            return resolved_document(version).get("kurva") or {}
    return {}


def predikat_distribution(session: Session, daerah: Daerah, period: Period,
                          org_predikat: dict[int, str] | None = None) -> list[dict]:
    """Per unit kerja: the predikat in force of its decided evaluations, checked against the kurva for the unit's
    organisation predikat (`org_predikat` by unit id; `baik` when not given)."""
    table = kurva_table(session, daerah, period)
    counts: dict[int, dict[str, int]] = {}
    names: dict[int, str] = {}
    query = (select(UnitKerja.id, UnitKerja.name, Evaluation.predikat, func.count())
             .join(UnitKerja, UnitKerja.id == Evaluation.unit_id)
             .where(Evaluation.period_id == period.id, Evaluation.predikat.is_not(None))
             .group_by(UnitKerja.id, UnitKerja.name, Evaluation.predikat))
    for unit_id, name, predikat, n in session.execute(query):
        names[unit_id] = name
        counts.setdefault(unit_id, {})[predikat] = n
    out = []
    for unit_id in sorted(counts, key=lambda u: names[u]):
        org = (org_predikat or {}).get(unit_id, DEFAULT_ORG_PREDIKAT)
        out.append({"unit_id": unit_id, "unit": names[unit_id], "org_predikat": org,
                    "check": check_kurva(counts[unit_id], org, table)})
    return out


def waiting_as_atasan2(session: Session, pegawai_id: int) -> list[Evaluation]:
    """Evaluations with a pending keberatan whose pegawai's atasan reports to `pegawai_id`."""
    staff, atasan = aliased(Pegawai), aliased(Pegawai)
    return list(session.scalars(
        select(Evaluation).join(staff, staff.id == Evaluation.pegawai_id).join(atasan, atasan.id == staff.atasan_id)
        .join(Keberatan, Keberatan.evaluation_id == Evaluation.id)
        .where(atasan.atasan_id == pegawai_id, Keberatan.status == KeberatanStatus.pending)
        .order_by(Evaluation.id)))


def report_evaluations(session: Session, pegawai_id: int) -> list[Evaluation]:
    """Evaluations of the direct reports of `pegawai_id`, newest period first."""
    return list(session.scalars(
        select(Evaluation).join(Pegawai, Pegawai.id == Evaluation.pegawai_id)
        .join(Period, Period.id == Evaluation.period_id).where(Pegawai.atasan_id == pegawai_id)
        .order_by(Period.tahun.desc(), Pegawai.name)))


def own_evaluations(session: Session, pegawai_id: int) -> list[Evaluation]:
    """The pegawai's own evaluations, newest period first."""
    return list(session.scalars(select(Evaluation).join(Period, Period.id == Evaluation.period_id)
                                .where(Evaluation.pegawai_id == pegawai_id).order_by(Period.tahun.desc())))
