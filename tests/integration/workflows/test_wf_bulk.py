"""Bulk jobs and the CLI: chunked commits, progress, and a re-run after a crash that finishes the job with no
duplicates; clear errors for unknown daerah and units."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.audit import AuditLog
from rules.models import Decision
from workflows.bulk import decide_unit_job, open_period_job
from workflows.errors import WorkflowNotAllowed
from workflows.models import Evaluation, EvaluationDecision, Period
from tests.factories import make_pegawai
from tests.integration.workflows.wf_fixtures import TAHUN, staff_in_review, wf  # noqa: F401 (fixture)



class Crash(Exception):
    """A process dying between chunks."""


def _crash_after(calls: int):
    seen = []

    def progress(done, total):
        seen.append((done, total))
        if len(seen) == calls:
            raise Crash
    return progress, seen


def _count(session, model, *where) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_opening_resumes_after_a_crash_without_duplicates(session, wf):
    for k in range(7):
        make_pegawai(session, wf.bidang, name=f"Baru {k}", atasan=wf.kasi_p)
    session.commit()
    progress, seen = _crash_after(2)
    with pytest.raises(Crash):
        open_period_job(session, wf.hr, wf.palu, TAHUN + 1, progress=progress, chunk_size=3)
    session.rollback()
    period = session.scalar(select(Period).where(Period.tahun == TAHUN + 1, Period.jenis == "tahunan"))
    assert _count(session, Evaluation, Evaluation.period_id == period.id) == 6  # two chunks committed
    assert seen == [(3, 12), (6, 12)]
    report = open_period_job(session, wf.hr, wf.palu, TAHUN + 1, chunk_size=3)
    assert (report.created, report.existing) == (6, 6)
    assert _count(session, Evaluation, Evaluation.period_id == period.id) == 12
    events = session.scalars(select(AuditLog).where(AuditLog.action == "open_period",
                                                    AuditLog.entity_id == str(period.id))).all()
    assert sum(e.after["created"] for e in events) == 12


def test_deciding_resumes_after_a_crash_and_reports_what_it_could_not_decide(session, wf):
    ready = staff_in_review(session, wf, 5)
    unrated = staff_in_review(session, wf, 1, rate=False)[0]
    progress, seen = _crash_after(1)
    with pytest.raises(Crash):
        decide_unit_job(session, wf.hr, wf.palu, wf.bidang, tahun=TAHUN, progress=progress, chunk_size=2)
    session.rollback()
    assert _count(session, Decision) == 2
    report = decide_unit_job(session, wf.hr, wf.palu, wf.bidang, tahun=TAHUN, chunk_size=2)
    assert (report.decided, report.already_decided, report.total) == (3, 2, 6)
    assert [evaluation_id for evaluation_id, _ in report.failed] == [unrated.id]
    assert "perilaku" in report.failed[0][1]
    assert _count(session, Decision) == 5
    assert _count(session, EvaluationDecision) == 5
    for ev in ready:
        session.refresh(ev)
        assert ev.decision_id is not None and ev.predikat == "baik" and ev.state == "review" and ev.version > 1
    assert _count(session, AuditLog, AuditLog.entity == "evaluation_decision") == 5
    again = decide_unit_job(session, wf.hr, wf.palu, wf.bidang, tahun=TAHUN)
    assert (again.decided, again.already_decided) == (0, 5)


def test_bulk_deciding_is_for_hr(session, wf):
    with pytest.raises(WorkflowNotAllowed):
        decide_unit_job(session, wf.atasan, wf.palu, wf.bidang)


def test_decisions_in_parallel_processes_on_postgresql(session, wf, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("worker processes need a server database; SQLite runs the job in one process")
    staff_in_review(session, wf, 6)
    report = decide_unit_job(session, wf.hr, wf.palu, wf.bidang, tahun=TAHUN, chunk_size=2, workers=2)
    assert report.decided == 6 and not report.failed
    assert _count(session, Decision) == 6 == _count(session, EvaluationDecision)


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["kinerja", *args])


def test_cli_opens_a_period_and_says_what_it_did(app, session, wf):
    result = _cli(app, "period", "open", "--daerah", "palu", "--tahun", "2027", "--user", "hr.palu")
    assert result.exit_code == 0, result.output
    assert "+5 evaluasi baru" in result.output and "5/5" in result.output
    again = _cli(app, "period", "open", "--daerah", "palu", "--tahun", "2027", "--user", "hr.palu")
    assert "+0 evaluasi baru" in again.output and "5 sudah ada" in again.output
    assert "0 pegawai tidak aktif dilewati" in again.output
    wf.staff_p.status = "meninggal"
    session.commit()
    later = _cli(app, "period", "open", "--daerah", "palu", "--tahun", "2028", "--user", "hr.palu")
    assert "+4 evaluasi baru" in later.output and "1 pegawai tidak aktif dilewati / not aktif, skipped" in later.output


@pytest.mark.parametrize("args,message", [
    (("period", "open", "--daerah", "atlantis", "--tahun", "2027"), "unknown daerah: atlantis"),
    (("period", "open", "--daerah", "palu", "--tahun", "2027", "--unit", "dinas-x"), "unknown unit in palu: dinas-x"),
    (("decide", "--daerah", "palu", "--unit", "nope"), "unknown unit in palu: nope"),
    (("overdue", "--daerah", "palu", "--on", "kemarin"), "YYYY-MM-DD"),
    (("period", "open", "--daerah", "palu", "--tahun", "2030", "--chunk", "0"), "--chunk"),  # wrote half a period
    (("period", "open", "--daerah", "palu", "--tahun", "2030", "--chunk", "-5"), "--chunk"),
    (("decide", "--daerah", "palu", "--unit", "diskominfo", "--chunk", "-1"), "--chunk"),
    (("decide", "--daerah", "palu", "--unit", "diskominfo", "--workers", "0"), "--workers"),
])
def test_cli_errors_are_clear_and_without_a_traceback(app, session, wf, args, message):
    periods = _count(session, Period)
    result = _cli(app, *args, "--user", "hr.palu")
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert _count(session, Period) == periods, "nothing written"


def test_cli_refuses_a_user_who_is_not_hr_of_the_daerah(app, session, wf):
    result = _cli(app, "period", "open", "--daerah", "palu", "--tahun", "2027", "--user", "hr.bantul")
    assert result.exit_code == 1 and "not found" in result.output.lower()


def test_cli_decides_a_unit_and_lists_overdue(app, session, wf):
    staff_in_review(session, wf, 2)
    result = _cli(app, "decide", "--daerah", "palu", "--unit", "diskominfo", "--tahun", "2026", "--user", "hr.palu")
    assert result.exit_code == 0, result.output
    assert "decided: 2" in result.output
    late = _cli(app, "overdue", "--daerah", "palu", "--on", "2026-02-01", "--user", "hr.palu")
    assert late.exit_code == 0, late.output
    assert "plan_draft" in late.output and "Rekan Kerja" in late.output and "pegawai: Rekan Kerja" in late.output


def test_every_command_has_help(app):
    for args in (("period", "open"), ("decide",), ("overdue",)):
        result = _cli(app, *args, "--help")
        assert result.exit_code == 0 and "--daerah" in result.output


def test_bulk_link_rows_are_audited_as_a_single_decision_audits_them(session, wf):
    """The bulk job inserts link rows without the ORM; their audit rows carry what the flush hook writes."""
    from workflows.review import decide_evaluation
    one, many = staff_in_review(session, wf, 1)[0], staff_in_review(session, wf, 2)
    decide_evaluation(session, wf.hr, one)
    session.commit()
    decide_unit_job(session, wf.hr, wf.palu, wf.bidang, tahun=TAHUN)
    rows = {r.after["evaluation_id"]: r for r in session.scalars(
        select(AuditLog).where(AuditLog.entity == "evaluation_decision", AuditLog.action == "create"))}
    single, bulk = rows[one.id], [rows[ev.id] for ev in many]
    for row in bulk:
        link = session.scalar(select(EvaluationDecision)
                              .where(EvaluationDecision.evaluation_id == row.after["evaluation_id"]))
        assert row.entity_id == str(link.id) and row.daerah_id == wf.palu.id and row.actor == wf.hr.username
        assert set(row.after) == set(single.after)
        assert row.after["decision_id"] == link.decision_id and row.after["result_hash"] == link.result_hash
        assert row.after["id"] == link.id and row.after["seq"] == 1


def test_a_big_decide_job_refreshes_the_planner_statistics_first(session, wf, database_url):
    """On PostgreSQL the tables a bulk decision reads are analysed first (stale statistics after a big import made
    the planner scan whole tables for every chunk); on SQLite nothing happens."""
    from sqlalchemy import text
    from workflows.bulk import DECIDE_READS, refresh_statistics
    refresh_statistics(session)
    session.commit()
    if not database_url.startswith("postgresql"):
        return
    analysed = dict(session.execute(text("SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables")).all())
    assert all(analysed[name] for name in DECIDE_READS)


def test_each_evaluation_is_linked_to_its_own_decision_and_later_decisions_get_fresh_ids(session, wf):
    """The bulk job assigns the ids of decision and link rows itself (from the sequences on PostgreSQL): every
    evaluation must point at the decision made from its own facts, with the versions in force, and a decision
    made one by one afterwards must not collide with those ids."""
    from rules.models import DecisionVersion
    from workflows.review import decide_evaluation
    many = staff_in_review(session, wf, 4)
    decide_unit_job(session, wf.hr, wf.palu, wf.bidang, tahun=TAHUN, chunk_size=3)
    for ev in many:
        session.refresh(ev)
        decision = session.get(Decision, ev.decision_id)
        assert decision.pegawai_id == ev.pegawai_id and decision.subject == ev.pegawai.nip
        assert decision.facts["pegawai"]["nip"] == ev.pegawai.nip
        link = session.scalar(select(EvaluationDecision).where(EvaluationDecision.evaluation_id == ev.id))
        assert link.decision_id == decision.id and link.result_hash == decision.result_hash
        versions = session.scalars(select(DecisionVersion).where(DecisionVersion.decision_id == decision.id)
                                   .order_by(DecisionVersion.position)).all()
        assert [v.rule_version_id for v in versions] == [r["id"] for r in decision.result["rule_versions"]]
    later = staff_in_review(session, wf, 1)[0]
    single = decide_evaluation(session, wf.hr, later)
    session.commit()
    assert single.id not in {ev.decision_id for ev in many}
    assert _count(session, Decision) == 5 == _count(session, EvaluationDecision)


@pytest.mark.postgres_only
def test_two_jobs_deciding_the_same_evaluation_at_once_one_stores_it_the_other_gets_a_conflict(
        session, wf, database_url):
    """The link rows go in with the driver's executemany on PostgreSQL: a second job that read the evaluation
    before the first committed must still be stopped by the unique (evaluation, seq) and store nothing."""
    import threading
    import time

    from sqlalchemy import create_engine, text
    from sqlalchemy.orm import Session

    from engine.audit import set_actor, verify_chain
    from engine.identity import User
    from workflows.bulk import decide_chunk
    from workflows.errors import WorkflowConflict
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: SQLite lets only one writer in, so the second job never reads first")
    ev_id = staff_in_review(session, wf, 1)[0].id
    engine = create_engine(database_url, pool_size=4)
    first, second = Session(engine), Session(engine)
    outcome: list[str] = []
    try:
        for s in (first, second):
            set_actor(s, s.get(User, wf.hr.id))
        assert decide_chunk(first, first.get(User, wf.hr.id), [ev_id]) == (1, [])  # flushed, not committed

        def racing() -> None:
            try:
                decide_chunk(second, second.get(User, wf.hr.id), [ev_id])
                second.commit()
                outcome.append("stored")
            except WorkflowConflict as error:
                second.rollback()
                outcome.append(error.code)
        thread = threading.Thread(target=racing)
        thread.start()
        with engine.connect() as watch:  # until the second job waits on the first one's uncommitted link row
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not watch.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()")):
                time.sleep(0.05)
        first.commit()
        thread.join(30)
    finally:
        first.close()
        second.close()
        engine.dispose()
    assert outcome == ["concurrent_decide"]
    assert _count(session, Decision) == 1 == _count(session, EvaluationDecision)
    assert verify_chain(session).ok


def test_batches_take_the_candidates_after_the_last_one_and_never_the_same_failure_twice(session, wf):
    """The console decides a daerah in batches: each one starts after the last evaluation the previous one took,
    so an evaluation that cannot be decided (not rated) is reported once and the batches still reach the end."""
    rated = staff_in_review(session, wf, 2)
    unrated = staff_in_review(session, wf, 1, rate=False)
    rated += staff_in_review(session, wf, 2)
    order = sorted(e.id for e in rated + unrated)
    reports, after = [], None
    while True:
        report = decide_unit_job(session, wf.hr, wf.palu, tahun=TAHUN, after_id=after, limit=2)
        reports.append(report)
        after = report.last_id
        if not report.remaining:
            break
    assert [r.remaining for r in reports] == [3, 1, 0]
    assert [r.last_id for r in reports] == [order[1], order[3], order[4]]
    assert sum(r.decided for r in reports) == 4
    assert [eid for r in reports for eid, _ in r.failed] == [unrated[0].id]
    assert reports[-1].already_decided == 3  # the earlier batches' decisions count as already decided
    again = decide_unit_job(session, wf.hr, wf.palu, tahun=TAHUN, after_id=after, limit=2)
    assert (again.decided, again.remaining, again.failed, again.last_id) == (0, 0, [], after)
    session.expire_all()
    assert {e.id for e in session.scalars(select(Evaluation).where(Evaluation.decision_id.is_not(None)))} == \
        {e.id for e in rated}
    restart = decide_unit_job(session, wf.hr, wf.palu, tahun=TAHUN, limit=2)  # from the start: the failure again
    assert [eid for eid, _ in restart.failed] == [unrated[0].id] and restart.remaining == 0
