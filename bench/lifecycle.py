"""Benchmark of the evaluation lifecycle's bulk jobs, end to end on a real database:

1. open a period for N pegawai (`open_period_job`: evaluations, chunked commits, audit rows);
2. seed what users would have entered by review time (plan with 6 IKI, realisasi, 7 perilaku ratings), in bulk
   (timed separately: it stands in for a year of user input);
3. decide all N evaluations (`decide_unit_job`: facts gathered from the database, durable_rules through the rules
   service's versions and runner, Decision + DecisionVersion + link rows, evaluation updates, audit rows);
4. the impact preview of a scoring draft over those decisions (`preview_impact`: at most 5,000, an even sample),
   beside the engine alone deciding the same facts on the same compiled documents.

    .venv/bin/python bench/lifecycle.py --n 2000                                   # quick, SQLite
    .venv/bin/python bench/lifecycle.py --url postgresql+psycopg://postgres@127.0.0.1:5432/wf_bench --reset

Prints seconds, rows/second, peak RSS (this process and the worker processes) and the row counts it checked.
`--reset` empties the target database first (all tables dropped): never point it at a database you need.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, inspect, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

BERAKHLAK = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")
TAHUN = 2026


def rss_mb(who=resource.RUSAGE_SELF) -> float:
    """Peak RSS in MB (of this process, or the largest finished child with RUSAGE_CHILDREN)."""
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (the decide workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def postgres_cpu_seconds() -> float | None:
    """CPU seconds of the local PostgreSQL processes, finished backends included (the postmaster's children
    times), or None when /proc does not show them (another machine, no permission)."""
    total, found = 0, False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        if name == "postgres":
            found = True
            total += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK") if found else None


def migrate(url: str, reset: bool) -> None:
    """Bring the database to the head migration (dropping everything first with --reset)."""
    os.environ.setdefault("KINERJA_COOKIE_SECURE", "0")
    from flask_migrate import upgrade

    from admin.app import create_app
    from admin.extensions import db

    engine = create_engine(url)
    tables = inspect(engine).get_table_names()
    if tables and not reset:
        sys.exit(f"{url} is not empty ({len(tables)} tables); pass --reset to wipe it first")
    if tables and reset:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            else:
                for name in tables:
                    conn.execute(text(f'DROP TABLE IF EXISTS "{name}"'))
    engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.engine.dispose()


def build_org(session: Session, n: int, units: int = 100):
    """A daerah with `units` units; each unit a head (atasan) and staff; N pegawai in all; HR and admin logins."""
    from engine.identity import Role, RoleGrant, User
    from engine.organisation import Daerah, Pegawai, UnitKerja
    from rules.packs import install_packs

    nasional = Daerah(code="nasional", name="Nasional", level="nasional")
    daerah = Daerah(code="benchkota", name="Kota Bench", level="kota", timezone="Asia/Jakarta")
    session.add_all([nasional, daerah])
    session.flush()
    admin = User(username="admin", full_name="Admin", active=True)
    admin.grants = [RoleGrant(role=Role.admin, daerah=None)]
    hr = User(username="hr.bench", full_name="HR", active=True)
    hr.grants = [RoleGrant(role=Role.hr, daerah=daerah)]
    session.add_all([admin, hr])
    session.flush()
    install_packs(session, admin, names=())
    unit_ids = list(session.scalars(insert(UnitKerja).returning(UnitKerja.id),
                                    [{"daerah_id": daerah.id, "code": f"u{i}", "name": f"Unit {i}"}
                                     for i in range(units)]))
    heads = list(session.scalars(insert(Pegawai).returning(Pegawai.id), [
        {"daerah_id": daerah.id, "nip": f"198001012005{i:06d}", "name": f"Kepala {i}", "jabatan": "Kepala",
         "jenis_jabatan": "administrator", "golongan": "IV/a", "unit_id": uid} for i, uid in enumerate(unit_ids)]))
    rows = [{"daerah_id": daerah.id, "nip": f"199001012015{k:06d}", "name": f"Staf {k}", "jabatan": "Analis",
             "jenis_jabatan": "pelaksana", "golongan": "III/a", "unit_id": unit_ids[k % units],
             "atasan_id": heads[k % units]} for k in range(n - len(heads))]
    for start in range(0, len(rows), 5000):
        session.execute(insert(Pegawai), rows[start:start + 5000])
    session.commit()
    return daerah.id, hr.id


def seed_review(session: Session, daerah_id: int, rnd: random.Random) -> int:
    """Plan (3 RHK, 6 IKI), realisasi and perilaku for every evaluation, and move them all to review."""
    from workflows.models import Evaluation, Iki, PerilakuRating, Realisasi, Rhk

    ids = list(session.scalars(select(Evaluation.id).where(Evaluation.daerah_id == daerah_id).order_by(Evaluation.id)))
    weights = (20, 20, 15, 15, 15, 15)
    for start in range(0, len(ids), 2000):
        chunk = ids[start:start + 2000]
        rhk_rows = [{"evaluation_id": e, "position": p, "jenis": "utama" if p < 2 else "tambahan",
                     "uraian": f"RHK {p + 1}"} for e in chunk for p in range(3)]
        rhk_ids = list(session.scalars(insert(Rhk).returning(Rhk.id), rhk_rows))
        iki_rows = []
        for idx, rhk_id in enumerate(rhk_ids):
            e = rhk_rows[idx]["evaluation_id"]
            p = rhk_rows[idx]["position"]
            for k in range(2):
                target = rnd.choice([3, 10, 12, 100])
                iki_rows.append({"evaluation_id": e, "rhk_id": rhk_id, "position": k, "uraian": f"IKI {p}.{k}",
                                 "aspek": rnd.choice(["kuantitas", "kualitas", "waktu"]),
                                 "arah": rnd.choice(["naik", "naik", "turun"]), "target": target,
                                 "satuan": "dokumen", "bobot": weights[p * 2 + k]})
        iki_ids = list(session.scalars(insert(Iki).returning(Iki.id), iki_rows))
        session.execute(insert(Realisasi), [
            {"evaluation_id": row["evaluation_id"], "iki_id": iki_id, "realized_on": dt.date(TAHUN, 12, 20),
             "value": round(row["target"] * rnd.uniform(0.5, 1.3), 2), "note": "", "evidence_url": "",
             "created_by": "bench"} for iki_id, row in zip(iki_ids, iki_rows)])
        session.execute(insert(PerilakuRating), [
            {"evaluation_id": e, "nilai": v, "rating": rnd.choice(["di_atas", "sesuai", "sesuai", "di_bawah"]),
             "note": "", "rated_by": "bench"} for e in chunk for v in BERAKHLAK])
        session.execute(Evaluation.__table__.update().where(Evaluation.id.in_(chunk)).values(
            state="review", hari_tidak_masuk=0, menit_terlambat=rnd.randint(0, 300)))
        session.commit()
    return len(ids)


def impact_preview(session: Session, daerah) -> None:
    """4. The policy maker's impact preview of a scoring draft over the period's decisions, beside the engine alone
    deciding the same sampled facts on the same compiled documents (the floor: what replaying costs at least)."""
    from engine.identity import User
    from engine.runtime import evaluate
    from rules.decisions import plan
    from rules.impact import IMPACT_LIMIT, _latest_per_pegawai, _sample, _versions_for_replay, preview_impact
    from rules.models import Decision, RuleKind, RuleSet, RuleVersion
    from rules.packs import ensure_rule_set
    from rules.versions import create_draft

    admin = session.scalar(select(User).where(User.username == "admin"))
    nasional = session.scalar(select(RuleVersion).join(RuleSet).where(RuleSet.daerah_id != daerah.id,
                                                                      RuleSet.kind == RuleKind.scoring))
    draft = create_draft(session, admin, ensure_rule_set(session, daerah, RuleKind.scoring), extends=nasional,
                         document={"pack": daerah.code, "version": "bench", "extends": "nasional", "stages": {}})
    session.commit()
    rss0 = rss_mb()
    t = time.perf_counter()
    impact = preview_impact(session, admin, draft, TAHUN)
    s_impact, rss1 = time.perf_counter() - t, rss_mb()
    ids = _sample(_latest_per_pegawai(session, daerah.id, TAHUN), IMPACT_LIMIT).ids
    sample = session.scalars(select(Decision).where(Decision.id.in_(ids))).all()
    compiled = plan(_versions_for_replay(sample[0], draft)).compiled
    facts = [d.facts for d in sample]
    t = time.perf_counter()
    for doc in facts:
        evaluate(doc, compiled)
    s_engine = time.perf_counter() - t
    print(f"4. impact preview: {impact.total:,} of {impact.population:,} pegawai replayed in {s_impact:.2f} s "
          f"({s_impact / max(1, impact.total) * 1e3:.2f} ms each; changed {impact.changed_any}, errors "
          f"{impact.errors}); the engine alone on the same facts: {s_engine:.2f} s, ratio {s_impact / s_engine:.2f}; "
          f"peak RSS before and after the preview {rss0:.0f} -> {rss1:.0f} MB")
    assert impact.total == min(impact.population, IMPACT_LIMIT) and impact.errors == 0 and impact.changed_any == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="database URL (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--n", type=int, default=50_000, help="pegawai (default 50,000)")
    parser.add_argument("--workers", type=int, default=None, help="decide processes (default 2 on PostgreSQL, "
                        "1 on SQLite)")
    parser.add_argument("--chunk", type=int, default=250, help="evaluations per decide chunk (commit)")
    parser.add_argument("--reset", action="store_true", help="drop everything in the target database first")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp(prefix='kinerja-bench-')}/bench.db"
    is_pg = url.startswith("postgresql")
    workers = args.workers or (2 if is_pg else 1)
    print(f"lifecycle bench: N = {args.n:,}; {url.split('@')[-1]}; decide workers = {workers}; "
          f"chunk = {args.chunk}; cores = {os.cpu_count()}")

    from engine.audit import AuditLog, set_actor
    from engine.db import ENGINE_OPTIONS
    from engine.identity import User
    from engine.organisation import Daerah
    from rules.models import Decision
    from workflows.bulk import decide_unit_job, open_period_job
    from workflows.models import Evaluation, EvaluationDecision

    t = time.perf_counter()
    migrate(url, args.reset)
    engine = create_engine(url, **ENGINE_OPTIONS)  # the options the service's engines use
    rnd = random.Random(11)
    with Session(engine) as session:
        set_actor(session, "bench")
        daerah_id, hr_id = build_org(session, args.n)
        print(f"set-up (migrate, organisation, packs): {time.perf_counter() - t:.1f} s")

        daerah, hr = session.get(Daerah, daerah_id), session.get(User, hr_id)
        set_actor(session, hr)
        audit0 = session.scalar(select(func.count()).select_from(AuditLog))
        t = time.perf_counter()
        report = open_period_job(session, hr, daerah, TAHUN, chunk_size=1000)
        s_open = time.perf_counter() - t
        print(f"1. open period: {report.created:,} evaluations in {s_open:.2f} s = {report.created / s_open:,.0f}/s; "
              f"peak RSS {rss_mb():.0f} MB")
        again = open_period_job(session, hr, daerah, TAHUN)
        assert again.created == 0 and again.existing == args.n, "re-opening must create nothing"

        t = time.perf_counter()
        seeded = seed_review(session, daerah_id, rnd)
        print(f"2. seed plan/realisasi/perilaku for {seeded:,} (bulk insert, not a service): "
              f"{time.perf_counter() - t:.1f} s")

        audit1 = session.scalar(select(func.count()).select_from(AuditLog))
        marks = []

        def progress(done: int, total: int) -> None:
            if not marks or done - marks[-1][0] >= total // 10 or done == total:
                marks.append((done, time.perf_counter()))

        cpu0, pg0 = cpu_seconds(), postgres_cpu_seconds() if is_pg else None
        t = time.perf_counter()
        result = decide_unit_job(session, hr, daerah, None, tahun=TAHUN, progress=progress, chunk_size=args.chunk,
                                 workers=workers)
        s_decide = time.perf_counter() - t
        cpu, pg1 = cpu_seconds() - cpu0, postgres_cpu_seconds() if is_pg else None
        print(f"3. decide: {result.decided:,} evaluations in {s_decide:.2f} s = {result.decided / s_decide:,.0f}/s "
              f"({s_decide / max(1, result.decided) * 1e3:.2f} ms each, {workers} worker(s)); failures "
              f"{len(result.failed)}; peak RSS parent {rss_mb():.0f} MB, workers {rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")
        per = 1e3 / max(1, result.decided)
        server = f", PostgreSQL {(pg1 - pg0) * per:.2f} ms" if pg0 is not None and pg1 is not None else ""
        print(f"   CPU per decision: Kinerja processes {cpu * per:.2f} ms{server} (less swayed by a noisy machine "
              f"than the wall time)")
        if len(marks) > 2:
            steps = ", ".join(f"{d:,}@{m - t:.1f}s" for d, m in marks[1::max(1, len(marks) // 5)])
            print(f"   progress: {steps}")

        session.expire_all()
        decisions = session.scalar(select(func.count()).select_from(Decision))
        links = session.scalar(select(func.count()).select_from(EvaluationDecision))
        decided = session.scalar(select(func.count()).select_from(Evaluation).where(Evaluation.decision_id.is_not(None)))
        audit2 = session.scalar(select(func.count()).select_from(AuditLog))
        by_predikat = dict(session.execute(select(Decision.predikat, func.count()).group_by(Decision.predikat)).all())
        print(f"rows: decisions {decisions:,}, links {links:,}, evaluations decided {decided:,}; audit rows: "
              f"open {audit1 - audit0:,}, decide {audit2 - audit1:,}")
        print(f"predikat: {by_predikat}")
        assert decisions == links == decided == args.n, "one decision per evaluation, no duplicate"
        again = decide_unit_job(session, hr, daerah, None, tahun=TAHUN)
        assert again.decided == 0 and again.already_decided == args.n, "re-running must decide nothing"
        impact_preview(session, daerah)
    engine.dispose()


if __name__ == "__main__":
    main()
