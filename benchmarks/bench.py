"""Core benchmark: all built-in rules on generated 400-word notes, plus CLI start-up.

    python benchmarks/bench.py [--notes 500] [--cli-runs 10]

Prints notes/s, median and p90 microseconds per note, peak RSS, and the median wall
time of `inquiry-assist check` on one short note. A script, not a timed test: the
machines are shared and noisy, so read medians and compare ratios across runs.
Targets (issue 2): <= 500 us median per 400-word note in-process; <= 0.3 s CLI wall.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import make_corpus

from inquiry_assist import Linter


def per_note_us(linter: Linter, notes: list[str], repeat: int = 3) -> list[float]:
    times: list[float] = []
    for _ in range(repeat):
        for note in notes:
            t0 = time.perf_counter_ns()
            linter.lint_text(note)
            times.append((time.perf_counter_ns() - t0) / 1000)
    return times


def cli_wall(runs: int) -> list[float]:
    env = {**os.environ, "INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "inquiry_assist", "check", "--isolated", "-"],
            input=b"Client claims she slept well.\n",
            capture_output=True,
            env=env,
            check=False,
        )
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--notes", type=int, default=500)
    ap.add_argument("--cli-runs", type=int, default=10)
    args = ap.parse_args()
    notes = make_corpus(args.notes)
    linter = Linter(load_entrypoints=False)
    for note in notes[:20]:  # warm up caches
        linter.lint_text(note)
    t0 = time.perf_counter()
    times = per_note_us(linter, notes)
    elapsed = time.perf_counter() - t0
    words = statistics.mean(len(n.split()) for n in notes)
    print(f"rules: {len(linter.enabled_rules)}  notes: {len(notes)}  words/note: {words:.0f}")
    print(f"throughput: {len(times) / elapsed:,.0f} notes/s")
    print(
        f"median: {statistics.median(times):.0f} us/note   "
        f"p90: {statistics.quantiles(times, n=10)[-1]:.0f} us/note"
    )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")
    if args.cli_runs:
        wall = cli_wall(args.cli_runs)
        print(
            f"CLI one short note: median {statistics.median(wall) * 1000:.0f} ms wall "
            f"(min {min(wall) * 1000:.0f} ms)"
        )


if __name__ == "__main__":
    main()
