"""The rules kernel's overhead over raw durable_rules in machine instructions, which a noisy machine does not sway.

Runs each mode of bench/engine.py (raw durable on the pipeline's own compiled rulesets and messages, our host
wrapper, the full pipeline, the Python oracle) under valgrind's callgrind, twice: with `--base` decisions and with
`--base` + `--n`. The difference divided by n is the instructions per decision, without start-up, imports,
compiling and recording the messages. The children run with a fixed hash seed; the same build counted twice
differed by 0.2 %, so two builds can be compared where wall time swings by half.

    .venv/bin/python bench/engine_instructions.py              # n = 1000 (about 4 minutes)
    .venv/bin/python bench/engine_instructions.py --n 300      # quicker

Needs valgrind (`apt-get install -y valgrind`). Instructions are not time: durable's C code retires more of them per
cycle than the interpreter does, so the time overhead (bench/engine.py) reads higher than this one.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = ("raw", "host", "pipeline", "oracle")


def _bench_module():
    """bench/engine.py, loaded under another name (its file name would shadow the `engine` package)."""
    spec = importlib.util.spec_from_file_location("kinerja_engine_bench", ROOT / "bench" / "engine.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def child(mode: str, count: int, pool_size: int) -> None:
    """Set everything up, then run `count` decisions of one mode (what callgrind counts)."""
    bench = _bench_module()
    doc = bench.resolve(bench.load_pack("nasional", ROOT / "rules" / "packs"), None)
    compiled = bench.compile_document(doc)
    pool = bench.make_pool(pool_size)
    recorded = bench.record_messages(pool, compiled)
    if mode == "raw":
        bench.raw_runner(recorded)(0, count)
    elif mode == "host":
        bench.host_runner(recorded)(0, count)
    else:
        decide = bench.evaluate if mode == "pipeline" else bench.evaluate_oracle
        for i in range(count):
            decide(pool[i % pool_size], compiled)


def instructions(mode: str, count: int, pool_size: int) -> int:
    """Instructions callgrind collected for a child run of `count` decisions."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
               "--child", mode, "--count", str(count), "--pool", str(pool_size)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if found is None:
        sys.exit(f"callgrind printed no instruction count for {mode}:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> None:
    """Count each mode and print instructions per decision and the overheads over raw durable."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="decisions counted per mode (default 1000)")
    parser.add_argument("--base", type=int, default=200, help="decisions of the baseline run (default 200)")
    parser.add_argument("--pool", type=int, default=200, help="distinct facts documents cycled through")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.count, args.pool)
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed: apt-get install -y valgrind")
    print(f"nasional pack, 6 IKI per pegawai; instructions per decision = (run of {args.base + args.n} - run of "
          f"{args.base}) / {args.n}, under callgrind")
    per = {}
    for mode in MODES:
        per[mode] = (instructions(mode, args.base + args.n, args.pool)
                     - instructions(mode, args.base, args.pool)) / args.n
        print(f"  {mode:<9} {per[mode]:>12,.0f} instructions/decision")
    raw = per["raw"]
    print(f"overhead over raw durable in instructions: pipeline {(per['pipeline'] - raw) / raw * 100:.1f}% "
          f"(target <= 25%), host wrapper alone {(per['host'] - raw) / raw * 100:.1f}%")


if __name__ == "__main__":
    main()
