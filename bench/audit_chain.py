"""Benchmark of the audit chain check at the size of a provinsi, on a real database:

1. grow the chain to N rows through the real writer (`engine.audit._append`: the head locked, the rows hashed and
   inserted, the head moved), with rows shaped like the lifecycle's transition events;
2. the whole check in one run (`verify_chain`, as `kinerja audit-verify` runs it);
3. one segment of the console's and the API's check (`verify_chain(..., seconds=5)`: how many rows one request
   checks before it answers how far it got);
4. the baseline, in the same process: reading the same rows with the same query, without hashing them.

    .venv/bin/python bench/audit_chain.py --rows 200000                                  # quick, SQLite
    .venv/bin/python bench/audit_chain.py --url postgresql+psycopg://postgres@127.0.0.1:5432/chain_bench --reset

`--reset` empties the target database first (all tables dropped): never point it at a database you need.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from lifecycle import migrate, rss_mb  # noqa: E402

GROW_CHUNK = 20_000


def grow(session: Session, rows: int) -> float:
    """Append `rows` transition-like entries in chunks of GROW_CHUNK (one commit each); return the seconds."""
    from engine.audit import _append

    began, done = time.perf_counter(), 0
    while done < rows:
        k = min(GROW_CHUNK, rows - done)
        _append(session, [{"actor": "atasan.bench", "action": "transition", "entity": "evaluation",
                           "entity_id": str(done + i), "daerah_id": 1, "before": {"state": "review", "version": 7},
                           "after": {"state": "feedback", "event": "give_feedback", "reason": "", "forced": False,
                                     "history_id": done + i, "version": 8}} for i in range(k)])
        session.commit()
        done += k
    return time.perf_counter() - began


def read_only(session: Session, batch: int) -> tuple[int, float]:
    """The baseline: every row read by the check's own query, nothing hashed."""
    from engine.audit import _CHAIN_BATCH

    began, last, n = time.perf_counter(), 0, 0
    conn = session.connection()
    while rows := conn.execute(_CHAIN_BATCH, {"after": last, "n": batch}).all():
        last, n = rows[-1][0], n + len(rows)
    return n, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="database URL (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--rows", type=int, default=1_500_000, help="rows in the chain (default 1,500,000)")
    parser.add_argument("--seconds", type=float, default=5.0, help="one segment's budget (default 5, as served)")
    parser.add_argument("--reset", action="store_true", help="drop everything in the target database first")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp(prefix='kinerja-chain-')}/chain.db"
    print(f"audit chain bench: {args.rows:,} rows; {url.split('@')[-1]}")

    from engine.audit import verify_chain
    from engine.db import ENGINE_OPTIONS

    migrate(url, args.reset)
    engine = create_engine(url, **ENGINE_OPTIONS)
    with Session(engine) as session:
        s_grow = grow(session, args.rows)
        print(f"1. grow the chain: {args.rows:,} rows in {s_grow:.1f} s = {args.rows / s_grow:,.0f} rows/s")
        t = time.perf_counter()
        whole = verify_chain(session)
        s_whole = time.perf_counter() - t
        assert whole.ok and whole.checked == args.rows, whole
        print(f"2. whole check: {whole.checked:,} rows in {s_whole:.1f} s ({s_whole / whole.checked * 1e6:.1f} µs "
              f"a row); peak RSS {rss_mb():.0f} MB")
        session.rollback()
        t = time.perf_counter()
        segment = verify_chain(session, seconds=args.seconds)
        s_segment = time.perf_counter() - t
        print(f"3. one segment ({args.seconds:g} s budget): {segment.checked:,} rows in {s_segment:.1f} s; "
              f"{'complete' if segment.complete else 'goes on from row ' + str(segment.resume.next_seq)}")
        session.rollback()
        n, s_read = read_only(session, 5000)
        print(f"4. baseline, the same rows read without hashing: {n:,} in {s_read:.1f} s; the check costs "
              f"{s_whole / s_read:.1f}x reading them")
    engine.dispose()


if __name__ == "__main__":
    main()
