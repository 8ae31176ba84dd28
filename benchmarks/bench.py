"""Core benchmark: all built-in rules on generated 400-word notes, plus CLI start-up.

    python benchmarks/bench.py [--notes 500] [--cli-runs 10] [--parts]

Prints notes/s, median and p90 microseconds per note, peak RSS, and the median wall
time of `inquiry-assist check` on one short note. A script, not a timed test: the
machines are shared and noisy, so read medians and compare ratios across runs.
Targets (issue 2): <= 500 us median per 400-word note in-process; <= 0.3 s CLI wall.

``--parts`` adds the core's share: the median cost of each shared annotation
(sentences, sections, quotes, negation scopes) over the whole note, and the engine's
own overhead (rules replaced by stubs that replay the real rules' diagnostics, so
what remains is the Context, the rule loop, line/column, findings and sorting, and
the stubs' own dict look-ups).
Figures on 400-word notes, 2 busy cores (Python 3.11), before -> after the core's
issue-2 work: sentences 68 -> 39 us, negations 39 -> 21, quotes 31 -> 12, sections
10.7 -> 8.9, engine overhead 37 -> 27 (7.6 findings per note).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import make_corpus

from inquiry_assist import Diagnostic, Linter, Rule
from inquiry_assist.annotations import find_negations, find_quotes, find_sections, find_sentences
from inquiry_assist.model import Document
from inquiry_assist.rules import Context


def per_note_us(linter: Linter, notes: list[str], repeat: int = 3) -> list[float]:
    times: list[float] = []
    for _ in range(repeat):
        for note in notes:
            t0 = time.perf_counter_ns()
            linter.lint_text(note)
            times.append((time.perf_counter_ns() - t0) / 1000)
    return times


def cli_wall(runs: int) -> list[float]:
    """Wall time of ``inquiry-assist check`` on one short note, as an installed copy
    runs it: with its bytecode (and the parsed built-in packs, see
    ``inquiry_assist.tomlcache``) cached. One run that is not timed writes them, so
    ``PYTHONDONTWRITEBYTECODE`` is dropped from the environment: with it set and an
    editable install, every run compiles the changed modules again (tens of ms)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    out = []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "inquiry_assist", "check", "--isolated", "-"],
            input=b"Client claims she slept well.\n",
            capture_output=True,
            env=env,
            check=False,
        )
        if i:  # the first run warms the caches
            out.append(time.perf_counter() - t0)
    return out


def median_us(func: Callable[[str], object], notes: list[str], repeat: int = 3) -> float:
    times: list[float] = []
    for _ in range(repeat):
        for note in notes:
            t0 = time.perf_counter_ns()
            func(note)
            times.append((time.perf_counter_ns() - t0) / 1000)
    return statistics.median(times)


class _Replay(Rule):
    """Stands in for a real rule: returns the diagnostics it found on the same note
    (none where it did not apply)."""

    def __init__(self, rule: Rule, found: dict[str, list[Diagnostic]]) -> None:
        self.meta = rule.meta  # type: ignore[misc]
        self.found = found

    def check(self, ctx: Context) -> list[Diagnostic]:
        return self.found[ctx.text]


def parts(linter: Linter, notes: list[str]) -> None:
    for name, func in (
        ("sentences", find_sentences),
        ("sections", find_sections),
        ("quotes", find_quotes),
        ("negations", find_negations),
    ):
        print(f"annotation {name}: median {median_us(func, notes):.1f} us/note")
    found: dict[str, dict[str, list[Diagnostic]]] = {r.meta.code: {} for r in linter.enabled_rules}
    for note in notes:
        doc = Document(text=note)
        ctx = Context(doc, linter.annotate(doc), linter._hits_factory, linter.lexicon)
        for rule in linter.enabled_rules:
            applies = rule.applies_to(doc)
            found[rule.meta.code][note] = list(rule.check(ctx)) if applies else []
    replay = Linter(load_entrypoints=False)
    replay.enabled_rules = tuple(
        _Replay(rule, found[rule.meta.code]) for rule in linter.enabled_rules
    )
    findings = statistics.mean(len(replay.lint_text(note)) for note in notes)
    print(
        f"engine overhead: median {median_us(replay.lint_text, notes):.1f} us/note "
        f"({findings:.1f} findings/note)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--notes", type=int, default=500)
    ap.add_argument("--cli-runs", type=int, default=10)
    ap.add_argument("--parts", action="store_true", help="the annotations and engine alone")
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
    if args.parts:
        parts(linter, notes)
    if args.cli_runs:
        wall = cli_wall(args.cli_runs)
        print(
            f"CLI one short note: median {statistics.median(wall) * 1000:.0f} ms wall "
            f"(min {min(wall) * 1000:.0f} ms)"
        )


if __name__ == "__main__":
    main()
