"""Bulk jobs: open a period for a whole daerah, decide every evaluation of a unit in review.

Both report progress through a callback, commit per chunk, and can be re-run after a crash: a chunk is committed
whole or not at all, and the next run skips what is done (unique constraints stop duplicates, should two runs
overlap). Deciding can spread over worker processes (the rule host is per process; durable_rules does not scale
with threads), each with its own database connection.

Decisions are stored chunk by chunk: the rule versions in force are resolved once per daerah and date, the engine
decides each evaluation, and the chunk's Decision rows, links and evaluation updates go in one flush; the audit
rows come from the link rows (`EvaluationDecision.__audit__`), appended in one batch with the chunk.
"""
from __future__ import annotations

import multiprocessing
import traceback
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import bindparam, create_engine, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from engine.audit import record_inserted, set_actor
from engine.db import ENGINE_OPTIONS, among, utcnow
from engine.identity import User
from engine.organisation import Daerah, Pegawai, UnitKerja
from engine.runtime import content_hash
from engine.runtime.errors import EngineError
from rules.decisions import may_decide, plan, run_plan, versions_for
from rules.models import Decision, DecisionVersion
from workflows.deadlines import unit_subtree_ids
from workflows.errors import WorkflowConflict
from workflows.facts import gather_facts_many
from workflows.models import Evaluation, EvaluationDecision, EvaluationState as S, Period
from workflows.periods import OpenReport, open_period
from workflows.permissions import require_hr
from workflows.review import decision_guard

Progress = Callable[[int, int], None]
DECIDE_CHUNK = 250


@dataclass
class DecideReport:
    """What a decide job did: how many evaluations it found, decided, skipped as already decided, and failures
    (evaluation id and message) it left for a person to fix."""

    total: int = 0
    decided: int = 0
    already_decided: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    remaining: int = 0            # candidates left for a next batch (`limit`), after `last_id`
    last_id: int | None = None    # the last evaluation id this run took: a next batch starts after it


def open_period_job(session: Session, actor: User, daerah: Daerah, tahun: int, unit: UnitKerja | None = None, *,
                    progress: Progress | None = None, chunk_size: int = 1000) -> OpenReport:
    """Open a period for every pegawai of a daerah (or unit subtree), committing per chunk; safe to re-run."""
    return open_period(session, actor, daerah, tahun, unit, progress=progress, commit_chunks=True,
                       chunk_size=chunk_size)


def review_candidates(session: Session, daerah: Daerah, unit: UnitKerja | None = None,
                      tahun: int | None = None) -> tuple[list[int], int]:
    """(ids of evaluations in review without a decision, count of those in review already decided)."""
    query = (select(Evaluation.id, Evaluation.decision_id).join(Period, Period.id == Evaluation.period_id)
             .where(Evaluation.daerah_id == daerah.id, Evaluation.state == S.review).order_by(Evaluation.id))
    if unit is not None:
        query = query.where(Evaluation.unit_id.in_(unit_subtree_ids(session, unit)))
    if tahun is not None:
        query = query.where(Period.tahun == tahun)
    rows = session.execute(query).all()
    return [i for i, d in rows if d is None], sum(1 for _, d in rows if d is not None)


def insert_with_ids(session: Session, model: type, rows: list[dict]) -> list[int]:
    """Insert `rows` into the model's table and return their ids in row order (each row gets its "id").

    On PostgreSQL the ids are drawn from the table's sequence first and the rows go in with the driver's
    executemany (pipelined, one prepared statement). A multi-row INSERT ... RETURNING instead carries thousands of
    parameters, which psycopg parses again on every call (it caches statements of at most 50): that parsing was
    8 % of a decide worker's time."""
    if not rows:
        return []
    table = model.__table__
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.nextval(func.pg_get_serial_sequence(table.name, "id"))
        ids = sorted(session.scalars(select(sequence).select_from(func.generate_series(1, len(rows)))))
        session.execute(insert(table), [{**row, "id": row_id} for row, row_id in zip(rows, ids)])
    else:
        ids = list(session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows))
    for row, row_id in zip(rows, ids):
        row["id"] = row_id
    return ids


def decide_chunk(session: Session, actor: User, evaluation_ids: list[int],
                 versions_cache: dict | None = None) -> tuple[int, list[tuple[int, str]]]:
    """Decide one chunk of evaluations in review and flush it (the caller commits); (decided, failures)."""
    versions_cache = {} if versions_cache is None else versions_cache
    # plain rows, not ORM objects: loading 250 evaluations with their pegawai, period and daerah cost more than
    # deciding them
    dialect = session.get_bind().dialect.name
    evaluations = session.execute(
        select(Evaluation.id, Evaluation.daerah_id, Evaluation.pegawai_id, Evaluation.version, Pegawai.nip,
               Period.ends_on)
        .join(Pegawai, Pegawai.id == Evaluation.pegawai_id).join(Period, Period.id == Evaluation.period_id)
        .where(among(Evaluation.id, evaluation_ids, dialect), Evaluation.state == S.review,
               Evaluation.decision_id.is_(None))
        .order_by(Evaluation.id)).all()
    facts_by_id = gather_facts_many(session, [e.id for e in evaluations])
    last: dict[int, tuple[int, int]] = {}
    for ev_id, seq, decision_id in session.execute(
            select(EvaluationDecision.evaluation_id, EvaluationDecision.seq, EvaluationDecision.decision_id)
            .where(among(EvaluationDecision.evaluation_id, [e.id for e in evaluations], dialect))).all():
        if seq > last.get(ev_id, (0, 0))[0]:
            last[ev_id] = (seq, decision_id)
    failures, pending = [], []
    # HR of the daerah may decide any evaluation (asked once per daerah); anyone else only as the pegawai's atasan
    as_hr = {d: may_decide(actor, d, None) for d in {e.daerah_id for e in evaluations}}
    for evaluation in evaluations:
        facts = facts_by_id[evaluation.id]
        try:
            if not (as_hr[evaluation.daerah_id]
                    or may_decide(actor, evaluation.daerah_id, session.get(Pegawai, evaluation.pegawai_id))):
                raise WorkflowConflict("Anda tidak berwenang memutuskan evaluasi ini.",
                                       "You are not allowed to decide this evaluation.", code="forbidden")
            decision_guard(facts, full=False)  # the engine validates the facts itself
            key = (evaluation.daerah_id, evaluation.ends_on)
            if key not in versions_cache:  # the versions in force, read once per daerah and date for the job
                versions_cache[key] = plan(versions_for(session, session.get(Daerah, evaluation.daerah_id),
                                                        evaluation.ends_on))
            prepared = versions_cache[key]
            result = run_plan(facts, prepared)
        except EngineError as error:
            failures.append((evaluation.id, f"{error.message_id} / {error.message_en}"))
            continue
        pending.append((evaluation, facts, result, prepared))
    now = utcnow()
    # the same record `rules.decisions.decide` writes, inserted for the whole chunk at once
    decision_rows = [{"daerah_id": e.daerah_id, "pegawai_id": e.pegawai_id, "subject": e.nip, "facts": facts,
                      "result": result, "result_hash": content_hash(result, finite=True),
                      "predikat": result["outputs"].get("predikat"),
                      "engine_version": result["engine"]["version"], "actor": actor.username, "decided_at": now,
                      "supersedes_id": last.get(e.id, (0, None))[1]} for e, facts, result, _ in pending]
    decision_ids = insert_with_ids(session, Decision, decision_rows)
    version_rows = [{"decision_id": d_id, "position": i, "rule_version_id": v_id, "content_hash": v_hash}
                    for d_id, (_, _, _, prepared) in zip(decision_ids, pending)
                    for i, (v_id, v_hash) in enumerate(prepared.links)]
    if version_rows:
        session.execute(insert(DecisionVersion), version_rows)
    decided = [(e, d_id, row) for (e, *_), d_id, row in zip(pending, decision_ids, decision_rows)]
    links = [{"evaluation_id": e.id, "decision_id": d_id, "daerah_id": e.daerah_id,
              "seq": last.get(e.id, (0, None))[0] + 1, "reason": "review", "predikat": row["predikat"],
              "result_hash": row["result_hash"], "actor": actor.username, "created_at": now}
             for e, d_id, row in decided]
    try:
        if links:  # the link rows in one insert, audited as the flush would audit them
            insert_with_ids(session, EvaluationDecision, links)
            record_inserted(session, EvaluationDecision, links)
    except IntegrityError:
        raise WorkflowConflict("Evaluasi yang sama sedang diputuskan oleh proses lain; jalankan ulang setelah selesai.",
                               "The same evaluations are being decided by another process; run again once it is "
                               "done.", code="concurrent_decide") from None
    if decided:
        # one executemany for the chunk, with the same version check the ORM would make row by row
        table = Evaluation.__table__
        stmt = (update(table).where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
                .values(decision_id=bindparam("b_decision"), predikat_engine=bindparam("b_predikat"),
                        predikat=bindparam("b_predikat"), version=table.c.version + 1, updated_at=now))
        done = session.execute(stmt, [{"b_id": e.id, "b_version": e.version, "b_decision": d_id,
                                       "b_predikat": row["predikat"]} for e, d_id, row in decided])
        if done.rowcount != len(decided):
            raise WorkflowConflict("Sebagian evaluasi diubah orang lain selama keputusan massal; potongan ini dibatalkan,"
                                   " jalankan ulang.", "Some evaluations were changed by someone else during the bulk "
                                   "decision; this chunk was rolled back, run again.", code="stale")
    return len(decided), failures


#: a bulk decision over more evaluations than this first refreshes PostgreSQL's statistics of what it reads
ANALYZE_ABOVE = 2000
#: the tables a decision reads (gathering facts) or looks up (earlier decisions)
DECIDE_READS = ("evaluation", "pegawai", "period", "rhk", "iki", "realisasi", "perilaku_rating", "activity_log",
                "predikat_history", "evaluation_decision")


def refresh_statistics(session: Session) -> None:
    """ANALYZE the tables a bulk decision reads, on PostgreSQL. Right after a big import or a period opened for
    thousands, autovacuum has not analysed them yet and the planner, believing them nearly empty, scans each
    table in full for every chunk (measured: 50,000 decisions took 96 s instead of about 70). A user who may not
    analyse (not the tables' owner) gets the job anyway, on the statistics there are."""
    if session.get_bind().dialect.name != "postgresql":
        return
    try:
        with session.begin_nested():
            session.execute(text("ANALYZE " + ", ".join(DECIDE_READS)))
    except DBAPIError:
        pass


def decide_unit_job(session: Session, actor: User, daerah: Daerah, unit: UnitKerja | None = None, *,
                    tahun: int | None = None, progress: Progress | None = None, chunk_size: int = DECIDE_CHUNK,
                    workers: int = 1, after_id: int | None = None, limit: int | None = None) -> DecideReport:
    """HR decides every evaluation in review (of a unit subtree, of a year) that has no decision yet, committing
    per chunk; `workers` > 1 spreads the chunks over processes (PostgreSQL only). Safe to re-run.

    In batches (the console, whose requests must stay short): only the candidates after evaluation `after_id`, at
    most `limit` of them; the report says how many are left and the last id taken, so a failed evaluation is not
    taken again by the next batch (it waits for a person, then for a run from the start)."""
    require_hr(actor, daerah)
    set_actor(session, actor)
    ids, already = review_candidates(session, daerah, unit, tahun)
    report = DecideReport(total=len(ids) + already, already_decided=already)
    if after_id is None and len(ids) > ANALYZE_ABOVE:  # once a job: the whole of it, or its first batch
        refresh_statistics(session)
    if after_id is not None:
        ids = [i for i in ids if i > after_id]
    if limit is not None:
        ids, report.remaining = ids[:limit], max(0, len(ids) - limit)
    report.last_id = ids[-1] if ids else after_id
    session.commit()
    if workers > 1 and session.get_bind().dialect.name != "sqlite" and len(ids) > chunk_size:
        return _decide_in_processes(session, actor, ids, report, progress, chunk_size, workers)
    cache: dict = {}
    for start in range(0, len(ids), chunk_size):
        decided, failures = decide_chunk(session, actor, ids[start:start + chunk_size], cache)
        session.commit()
        report.decided += decided
        report.failed.extend(failures)
        if progress:
            progress(min(start + chunk_size, len(ids)), len(ids))
    return report


def _worker(url: str, username: str, ids: list[int], chunk_size: int, queue) -> None:
    """One worker process: decide its share chunk by chunk, reporting each chunk on the queue."""
    engine = create_engine(url, **ENGINE_OPTIONS)
    try:
        with Session(engine) as session:
            actor = session.scalar(select(User).where(User.username == username))
            set_actor(session, actor)
            cache: dict = {}
            for start in range(0, len(ids), chunk_size):
                chunk = ids[start:start + chunk_size]
                decided, failures = decide_chunk(session, actor, chunk, cache)
                session.commit()
                queue.put(("chunk", len(chunk), decided, failures))
    except BaseException:  # report, so the parent knows which share stopped; committed chunks stay
        queue.put(("error", traceback.format_exc(limit=5)))
    finally:
        queue.put(("exit",))
        engine.dispose()


def _decide_in_processes(session: Session, actor: User, ids: list[int], report: DecideReport,
                         progress: Progress | None, chunk_size: int, workers: int) -> DecideReport:
    url = session.get_bind().url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    # interleaved chunks, so each worker gets a fair share of every unit and year
    chunks = [ids[i:i + chunk_size] for i in range(0, len(ids), chunk_size)]
    shares = [[i for chunk in chunks[w::workers] for i in chunk] for w in range(workers)]
    procs = [ctx.Process(target=_worker, args=(url, actor.username, share, chunk_size, queue), daemon=True)
             for share in shares if share]
    for proc in procs:
        proc.start()
    done, running, errors = 0, len(procs), []
    try:
        while running:
            message = queue.get()
            if message[0] == "chunk":
                done += message[1]
                report.decided += message[2]
                report.failed.extend(message[3])
                if progress:
                    progress(done, len(ids))
            elif message[0] == "error":
                errors.append(message[1])
            else:
                running -= 1
    finally:
        for proc in procs:
            if proc.is_alive() and errors:
                proc.terminate()
            proc.join()
    if errors:
        raise WorkflowConflict(
            f"Sebagian pekerjaan berhenti karena galat; {report.decided} evaluasi sudah diputuskan dan tersimpan. "
            f"Jalankan ulang untuk melanjutkan. {errors[0].splitlines()[-1]}",
            f"Part of the job stopped on an error; {report.decided} evaluations were decided and saved. Run again "
            f"to continue. {errors[0].splitlines()[-1]}", code="job_interrupted")
    return report

