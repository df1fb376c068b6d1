"""The demo lifecycle: last year closed for every demo daerah, this year in every state, the demo logins with
something to do, history triggers firing, and a second run changing nothing."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from engine.audit import AuditLog, verify_chain
from engine.identity import User
from engine.organisation import Daerah
from rules.models import Decision
from workflows.demo import load_demo
from workflows.demo_lifecycle import load_demo_lifecycle
from workflows.models import Evaluation, EvaluationState, Keberatan, Period

TODAY = dt.date(2026, 11, 23)
TAHUN_LAST = TODAY.year - 1
DAERAH = ("palangkaraya", "kemuning", "palu", "pontianak", "bantul")


def _states(session, daerah_id: int, tahun: int) -> dict[str, int]:
    rows = session.execute(select(Evaluation.state, func.count()).join(Period, Period.id == Evaluation.period_id)
                           .where(Evaluation.daerah_id == daerah_id, Period.tahun == tahun)
                           .group_by(Evaluation.state)).all()
    return {str(state): n for state, n in rows}


def test_demo_lifecycle_covers_every_state_and_loads_once(session):
    load_demo(session)
    session.commit()
    report = load_demo_lifecycle(session, TODAY)
    session.commit()
    assert report.evaluations_driven > 600 and report.decisions > 400
    for code in DAERAH:
        daerah = session.scalar(select(Daerah).where(Daerah.code == code))
        last_year = _states(session, daerah.id, TAHUN_LAST)
        assert set(last_year) == {"closed"}, (code, last_year)
        this_year = _states(session, daerah.id, TODAY.year)
        assert set(this_year) == {s.value for s in EvaluationState}, (code, this_year)
        pegawai = session.scalar(select(User).where(User.username == f"pegawai.{code}"))
        mine = session.scalar(select(Evaluation).join(Period, Period.id == Evaluation.period_id).where(
            Evaluation.pegawai_id == pegawai.pegawai_id, Period.tahun == TODAY.year))
        assert mine.state == "feedback", code
        atasan2 = session.scalar(select(User).where(User.username == f"atasan2.{code}"))
        pending = session.scalars(select(Evaluation).where(Evaluation.daerah_id == daerah.id,
                                                           Evaluation.state == "keberatan")).all()
        assert any(ev.pegawai.atasan and ev.pegawai.atasan.atasan_id == atasan2.pegawai_id for ev in pending), code
    closed_predikat = session.scalars(select(Evaluation.predikat).join(Period, Period.id == Evaluation.period_id)
                                      .where(Period.tahun == TAHUN_LAST)).all()
    assert None not in closed_predikat and len(set(closed_predikat)) >= 3
    talent = [d for d in session.scalars(select(Decision))
              if "talent_pool" in [a["code"] for a in d.result["actions"]]]
    assert {d.facts["periode"]["tahun"] for d in talent} == {TAHUN_LAST, TODAY.year}
    assert session.scalar(select(func.count()).select_from(Keberatan)) >= 5

    audit = session.scalar(select(func.count()).select_from(AuditLog))
    again = load_demo_lifecycle(session, TODAY)
    session.commit()
    assert (again.evaluations_driven, again.decisions) == (0, 0)
    assert session.scalar(select(func.count()).select_from(AuditLog)) == audit
    assert verify_chain(session).ok

