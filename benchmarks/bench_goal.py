"""Benchmark: how much the goal rules add to linting a 400-word note.

Run as a script (not a test)::

    python benchmarks/bench_goal.py [--repeat N]

It lints ~400-word SOAP notes with only the goal rules selected and with no rule
selected, and prints the median microseconds per note of each and their difference.
The issue's budget is a difference of at most 100 µs (0.1 ms). Three notes are
timed: the main one, whose Plan states one collaborative goal and one flawed goal
(so the goal rules report findings); one whose Plan states only the collaborative
goal; and one whose Plan states no goal. Timings on a loaded machine are inflated:
compare the difference, and run it on an idle one.
"""

from __future__ import annotations

import argparse
import statistics
import time
import timeit

from inquiry_assist import Linter
from inquiry_assist.config import Config

_SENTENCES = (
    "Client reports that sleep has been broken for most of the week and that work has "
    "been stressful since the new manager started. ",
    "She described walking her dog each evening and said it helps her think. ",
    "Affect was anxious at the start of the session and brighter by the end. ",
    "We reviewed the thought record she completed on three days this week. ",
    "She rated her worry 7 out of 10 before the session and 4 out of 10 afterwards. ",
)
_PLAN = (
    "\nP: Treatment plan updated.\n"
    'Goal 1 in her words: "I want to sleep through the night." Objective: 6 hours of sleep '
    "on 5 of 7 nights by 30 June, tracked in her sleep diary.\n"
    "Goal 2: Client will comply with medication and attend all appointments.\n"
    "Continue weekly sessions. RTC 1 week."
)


def make_note(words: int = 400) -> str:
    """A SOAP note of about ``words`` words whose Plan section states goals."""
    body: list[str] = ["S: "]
    count = len(_PLAN.split())
    i = 0
    while count < words:
        sentence = _SENTENCES[i % len(_SENTENCES)]
        body.append(sentence)
        count += len(sentence.split())
        i += 1
    return "".join(body) + _PLAN


def median_us(linter: Linter, text: str, repeat: int) -> float:
    """Median wall time of one ``lint_text`` call, in microseconds."""
    for _ in range(20):  # warm caches
        linter.lint_text(text, kind="note")
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        linter.lint_text(text, kind="note")
        samples.append((time.perf_counter_ns() - start) / 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument(
        "--block", action="append", default=[], help="skip a plugin by name (repeatable)"
    )
    args = parser.parse_args()
    goal_rules = Linter(Config(select=["goal"]), load_entrypoints=False, blocked=args.block)
    no_rules = Linter(Config(select=[]), load_entrypoints=False, blocked=args.block)
    codes = sorted(r.meta.code for r in goal_rules.enabled_rules)
    note = make_note()
    print(f"note: {len(note.split())} words; goal rules: {', '.join(codes)}")
    with_goal = median_us(goal_rules, note, args.repeat)
    without = median_us(no_rules, note, args.repeat)
    print(f"median per note, goal rules selected: {with_goal:8.1f} µs")
    print(f"median per note, no rules selected:   {without:8.1f} µs")
    print(f"goal rules add:                       {with_goal - without:8.1f} µs (budget 100 µs)")
    flawed = _PLAN.splitlines()[3]
    variants = {
        "plan with only the collaborative goal": note.replace(flawed + "\n", ""),
        "plan with no goal": note[: note.index("\nP:")] + "\nP: Continue weekly sessions.",
    }
    for label, text in variants.items():
        added = median_us(goal_rules, text, args.repeat) - median_us(no_rules, text, args.repeat)
        print(f"goal rules add ({label}): {added:8.1f} µs")
    reference = min(timeit.repeat("sum(range(1000))", number=1000, repeat=5)) * 1000
    print(
        f"machine speed: sum(range(1000)) takes {reference:.1f} µs here "
        "(about 10 µs on an idle modern CPU); scale the figures above accordingly"
    )


if __name__ == "__main__":
    main()
