"""Benchmark: what the consent rules (C301–C305) add to linting one 400-word note.

Run as a script (not collected by pytest)::

    python benchmarks/bench_consent.py [--repeat 2000]

It lints synthetic ~400-word notes with ``select = ["consent"]`` and with no rule
selected (the same engine work: annotations, suppressions, line index) and prints the
median microseconds per note for each and the difference. The budget is 100 µs.
"""

from __future__ import annotations

import argparse
import statistics
import time

from inquiry_assist import Linter
from inquiry_assist.config import Config
from inquiry_assist.model import Document

_CLEAN = (
    "SOAP - Outpatient therapy, 50 min.\n"
    "S: Client, 44, reports sleeping about six hours most nights and walking her dog each "
    "morning. She described a tense week at work after a reorganisation and said she has "
    "been eating lunch at her desk. She named her sister and two neighbours as supports. "
    "No thoughts of self-harm reported. She would like to get back to swimming on Saturdays.\n"
    "O: Alert and engaged, casually dressed, good eye contact. Speech normal in rate and "
    "volume. Affect anxious at first, brighter when talking about her garden. GAD-7 = 11, "
    "down from 14. PHQ-9 = 8.\n"
    "A: Generalised anxiety disorder, improving. Work stress is the main current trigger; "
    "her routines and relationships are clear strengths.\n"
    "P: Practised paced breathing and a brief body scan together. Reviewed her worry log "
    "and picked two worries to test this week. She chose to try a ten-minute walk after "
    "lunch on three workdays. Next session in two weeks; she will bring the worry log. "
)
_FLAGGED = (
    "DAP - IOP check-in, 45 min.\n"
    "D: Client, 37, reported two drinks on Saturday at a wedding and raised it herself. "
    "Reviewed her relapse-prevention plan. Started imaginal exposure to the assault memory "
    "for 20 minutes; SUDS 80 at peak. This afternoon counselor phoned her employer's HR "
    "office about her schedule. The session was audio-recorded for supervision.\n"
    "A: Alcohol use disorder in early remission; PTSD. Engaged and open.\n"
    "P: Continue IOP three times a week. Review sleep and cravings next week. "
)


def _note(base: str, words: int = 400) -> str:
    """``base`` followed by as much of the clean note as makes about ``words`` words."""
    text = base
    while len(text.split()) < words:
        text += "\n" + _CLEAN
    return " ".join(text.split(" ")[:words])


def _median_us(linter: Linter, docs: list[Document], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        for doc in docs:
            t0 = time.perf_counter()
            linter.lint_document(doc)
            samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1e6


def _report(title: str, with_rules: Linter, without: Linter, docs: list[Document], n: int) -> None:
    for linter in (with_rules, without):  # warm up (compile, caches)
        _median_us(linter, docs, 20)
    print(title)
    for doc, label in zip(docs, ("clean", "flagged"), strict=True):
        a = _median_us(with_rules, [doc], n)
        b = _median_us(without, [doc], n)
        print(f"  {label:7} note: {a:7.1f} vs {b:7.1f} µs/note (median): consent adds {a - b:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    docs = [Document(text=_note(_CLEAN)), Document(text=_note(_FLAGGED))]
    print("notes: " + ", ".join(f"{len(d.text.split())} words" for d in docs))
    only = {"load_entrypoints": False, "blocked": ["language", "goal"]}
    _report(
        "consent rules selected vs none (engine only, budget 100 µs):",
        Linter(Config(select=["consent"]), **only),  # type: ignore[arg-type]
        Linter(Config(select=["consent"], ignore=["consent"]), **only),  # type: ignore[arg-type]
        docs,
        args.repeat,
    )
    _report(
        "all built-in rules vs all but consent (the cost in a default run):",
        Linter(load_entrypoints=False),
        Linter(Config(ignore=["consent"]), load_entrypoints=False),
        docs,
        args.repeat,
    )


if __name__ == "__main__":
    main()
