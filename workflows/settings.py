"""Per-daerah workflow settings: sub-periods (triwulan or bulanan) and the keberatan window in days."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit import set_actor
from engine.identity import User
from engine.organisation import Daerah
from workflows.errors import invalid, problem
from workflows.models import SubPeriods, WorkflowSetting
from workflows.permissions import require_hr

DEFAULT_KEBERATAN_DAYS = 14


def workflow_settings(session: Session, daerah_id: int) -> WorkflowSetting:
    """The daerah's settings, or the defaults (triwulan, 14 days) when none are stored."""
    row = session.scalar(select(WorkflowSetting).where(WorkflowSetting.daerah_id == daerah_id))
    return row or WorkflowSetting(daerah_id=daerah_id, sub_periods=SubPeriods.triwulan,
                                  keberatan_days=DEFAULT_KEBERATAN_DAYS)


def set_workflow_settings(session: Session, actor: User, daerah: Daerah, *, sub_periods: str | None = None,
                          keberatan_days: int | None = None) -> WorkflowSetting:
    """HR sets the daerah's sub-periods and keberatan window (applies to periods opened afterwards)."""
    require_hr(actor, daerah)
    set_actor(session, actor)
    problems = []
    if sub_periods is not None and sub_periods not in {s.value for s in SubPeriods}:
        problems.append(problem("enum", "sub_periods", f"sub-periode harus salah satu dari none, triwulan, bulanan, "
                                f"bukan {sub_periods!r}", f"sub-periods must be none, triwulan or bulanan, "
                                f"not {sub_periods!r}"))
    if keberatan_days is not None and (not isinstance(keberatan_days, int) or not 1 <= keberatan_days <= 90):
        problems.append(problem("range", "keberatan_days", "batas keberatan harus 1 sampai 90 hari",
                                "the keberatan window must be 1 to 90 days"))
    if problems:
        raise invalid(problems, "Pengaturan tidak valid", "Invalid settings")
    row = session.scalar(select(WorkflowSetting).where(WorkflowSetting.daerah_id == daerah.id))
    if row is None:
        row = WorkflowSetting(daerah_id=daerah.id, sub_periods=SubPeriods.triwulan,
                              keberatan_days=DEFAULT_KEBERATAN_DAYS)
        session.add(row)
    if sub_periods is not None:
        row.sub_periods = SubPeriods(sub_periods)
    if keberatan_days is not None:
        row.keberatan_days = keberatan_days
    session.flush()
    return row
