"""Benchmark of the rules kernel: the full staged pipeline through durable_rules for the nasional pack
(pegawai with 6 IKI), beside (a) the raw durable_rules cost of the same compiled rulesets (assert_facts and
delete_state called directly with pre-built messages) and (b) the Python oracle, in one run. The modes run in
interleaved rounds (raw, host, pipeline, oracle, then again), so drift of a shared machine hits each alike.

    .venv/bin/python bench/engine.py --n 10000        # quick
    .venv/bin/python bench/engine.py                  # N = 100000

Prints decisions/s and µs/decision per mode, our overhead over raw durable (target <= 25%) for the whole
pipeline (validation, derivation, trace, explanation included) and for the host wrapper alone (the defences:
lock, fresh sid, dedupe, error checks), and peak RSS at checkpoints of the pipeline run.
"""
from __future__ import annotations

import argparse
import copy
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import durable.engine as dengine  # noqa: E402  (bench only: measures raw durable)

from engine.runtime import compile_document, evaluate, evaluate_oracle, load_pack, resolve  # noqa: E402
from engine.runtime.catalogue import CATALOGUE  # noqa: E402
from engine.runtime.compiler import MARKER, SUBJECT  # noqa: E402
from engine.runtime.evaluate import durable_matcher, run_pipeline  # noqa: E402
from engine.runtime.host import RuleHost  # noqa: E402

PERILAKU = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")


def make_pool(size: int, seed: int = 7) -> list[dict]:
    """Random but valid facts documents, each with 6 IKI."""
    rnd = random.Random(seed)
    pool = []
    for i in range(size):
        weights = [20, 20, 15, 15, 15, 15]
        iki = []
        for k, bobot in enumerate(weights):
            target = rnd.choice([3, 10, 12, 100])
            item = {"id": f"iki-{k}", "aspek": rnd.choice(["kuantitas", "kualitas", "waktu"]),
                    "arah": rnd.choice(["naik", "naik", "turun"]), "target": target,
                    "realisasi": round(target * rnd.uniform(0.5, 1.3), 2), "bobot": bobot,
                    "jenis_rhk": "utama" if k < 4 else "tambahan"}
            iki.append(item)
        pool.append({
            "daerah": "bench", "periode": {"tahun": 2026, "jenis": "tahunan"},
            "pegawai": {"nip": f"{i:018d}", "jenis_jabatan": "pelaksana", "golongan": "III/a", "unit": "Umum"},
            "iki": iki,
            "perilaku": {v: rnd.choice(["di_atas", "sesuai", "sesuai", "di_bawah"]) for v in PERILAKU},
            "disiplin": {"hari_tidak_masuk": rnd.choice([0, 0, 0, 2, 3, 5, 12, 30]), "menit_terlambat": rnd.randint(0, 600)},
            "kepuasan_masyarakat": round(rnd.uniform(60, 95), 2), "inovasi": rnd.random() < 0.2,
            "riwayat": [{"tahun": 2025, "predikat": rnd.choice(["sangat_baik", "baik", "butuh_perbaikan"])}],
        })
    return pool


def rss_mb() -> float:
    """Peak RSS of this process in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _RawHost(dengine.Host):
    def _run(self):
        pass


def record_messages(pool: list[dict], compiled) -> list[list[tuple]]:
    """The exact (stage, messages) our pipeline sends to durable for each facts document."""
    inner = durable_matcher(RuleHost())
    out = []
    for facts in pool:
        recorded: list[tuple] = []

        def capture(stage, subjects, recorded=recorded):
            msgs = [{**{CATALOGUE[f].field: sub[f] for f in stage.facts if sub.get(f) is not None},
                     SUBJECT: key, MARKER: 1} for key, sub in subjects]
            recorded.append((stage, msgs))
            return inner(stage, subjects)
        run_pipeline(facts, compiled, capture, {})
        out.append(recorded)
    return out


def raw_runner(recorded):
    """A function(i0, i1) that runs decisions i0..i1 as raw assert_facts + delete_state on the same rulesets."""
    host = _RawHost()
    sink: list = []

    def action(c):
        sink.append(1)
    registered = set()
    for stages in recorded[:1]:
        for stage, _ in stages:
            if stage.ruleset not in registered:
                definition = copy.deepcopy(stage.definition)
                for rule in definition.values():
                    rule["run"] = action
                host.register_rulesets({stage.ruleset: definition})
                registered.add(stage.ruleset)

    def run(i0: int, i1: int) -> None:
        for i in range(i0, i1):
            for stage, msgs in recorded[i % len(recorded)]:
                sid = f"r{i}"
                batch = [dict(m, sid=sid) for m in msgs]
                host.assert_facts(stage.ruleset, batch)
                host.delete_state(stage.ruleset, sid)
            sink.clear()
    return run


def host_runner(recorded):
    """A function(i0, i1) that runs decisions i0..i1 through RuleHost.run (our defensive wrapper), same messages."""
    host = RuleHost()
    plain = [[(stage, [{k: v for k, v in m.items() if k != MARKER} for m in msgs]) for stage, msgs in stages]
             for stages in recorded]

    def run(i0: int, i1: int) -> None:
        for i in range(i0, i1):
            for stage, msgs in plain[i % len(plain)]:
                host.run(stage, msgs)
    return run


def timed_rounds(runners: dict, n: int, rounds: int, after_round=None) -> dict[str, float]:
    """Seconds per runner for n decisions, run in `rounds` interleaved slices (so machine drift hits all alike)."""
    total = dict.fromkeys(runners, 0.0)
    for r in range(rounds):
        i0, i1 = n * r // rounds, n * (r + 1) // rounds
        for name, run in runners.items():
            start = time.perf_counter()
            run(i0, i1)
            total[name] += time.perf_counter() - start
        if after_round:
            after_round(i1)
    return total


def main(argv: list[str] | None = None) -> None:
    """Run the three modes and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="decisions per mode (default 100000)")
    parser.add_argument("--pool", type=int, default=500, help="distinct facts documents cycled through")
    parser.add_argument("--rounds", type=int, default=50,
                        help="interleaved slices per mode (default 50), so a noisy machine slows every mode alike")
    args = parser.parse_args(argv)
    n = args.n
    doc = resolve(load_pack("nasional", ROOT / "rules" / "packs"), None)
    compiled = compile_document(doc)
    pool = make_pool(args.pool)
    rules = sum(len(s.rules) for s in compiled.stages.values())
    print(f"nasional {compiled.version} ({compiled.hash[:12]}): {len(compiled.stages)} stages, {rules} rules; "
          f"6 IKI per pegawai; N = {n:,}; Python {sys.version.split()[0]}")
    print(f"RSS at start: {rss_mb():.1f} MB")

    recorded = record_messages(pool, compiled)
    for facts in pool[:50]:  # warm up: registration and caches
        evaluate(facts, compiled)

    def pipeline(i0: int, i1: int) -> None:
        for i in range(i0, i1):
            evaluate(pool[i % len(pool)], compiled)

    def oracle(i0: int, i1: int) -> None:
        for i in range(i0, i1):
            evaluate_oracle(pool[i % len(pool)], compiled)
    rss: list[tuple[int, float]] = []
    runners = {"raw": raw_runner(recorded), "host": host_runner(recorded), "pipe": pipeline, "oracle": oracle}
    times = timed_rounds(runners, n, args.rounds, lambda done: rss.append((done, rss_mb())))
    t_raw, t_host, t_pipe, t_oracle = times["raw"], times["host"], times["pipe"], times["oracle"]

    def row(name: str, seconds: float) -> None:
        print(f"  {name:<34} {n / seconds:>9,.0f} /s   {seconds / n * 1e6:>8.1f} µs/decision")

    print("decisions:")
    row("pipeline (evaluate, durable)", t_pipe)
    row("host wrapper only (RuleHost.run)", t_host)
    row("raw durable (same rulesets)", t_raw)
    row("python oracle", t_oracle)
    print(f"overhead over raw durable: pipeline {(t_pipe - t_raw) / t_raw * 100:.1f}% (target <= 25%), "
          f"host wrapper alone {(t_host - t_raw) / t_raw * 100:.1f}%")
    marks = [rss[0], rss[len(rss) // 2], rss[-1]]
    print("peak RSS after rounds: " + ", ".join(f"{k:,} decisions per mode: {v:.1f} MB" for k, v in marks))


if __name__ == "__main__":
    main()
