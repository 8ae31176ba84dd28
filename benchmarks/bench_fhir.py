"""Benchmark the FHIR path (a script, not a test).

1. One DocumentReference holding a 400-word note: read (JSON + base64 + checks) + lint +
   OperationOutcome, in process, median over many runs; also the same note linted as
   plain text, so the FHIR overhead can be told apart from the rules' own cost.
2. An NDJSON bulk file of N DocumentReferences (default 100,000), streamed through the
   reader and linted one at a time on one core: throughput and peak RSS, with RSS also
   sampled along the way to show it stays flat.

Run: ``python benchmarks/bench_fhir.py [--resources 100000] [--words 80]``.
All note text is synthetic (generated below), not clinical data.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from inquiry_assist import Linter
from inquiry_assist.model import Document
from inquiry_assist.readers import Source

_TEXT = (
    "Client reports that sleep improved after the new evening routine and describes "
    "work as stressful but manageable. She claims the medication makes her drowsy in the "
    "morning. We reviewed the thought record together and she identified two moments when "
    "she noticed anxious predictions. Mood appears brighter, engaged throughout, and she "
    "asked good questions about the plan. Client chose to try a short walk after dinner "
    "on three evenings and will rate her mood before and after. Continue weekly sessions "
    "and review the log next time."
)
_WORDS = _TEXT.split()


def note(words: int, rng: random.Random) -> str:
    out = [rng.choice(_WORDS) for _ in range(words)]
    lines = [" ".join(out[i : i + 20]) + "." for i in range(0, len(out), 20)]
    return "S: " + "\n".join(lines) + "\n"


def docref(i: int, text: str) -> dict[str, object]:
    return {
        "resourceType": "DocumentReference",
        "id": f"bench-{i}",
        "meta": {"versionId": "1", "lastUpdated": "2026-11-27T02:00:00Z"},
        "status": "current",
        "docStatus": "preliminary",
        "type": {"coding": [{"system": "http://loinc.org", "code": "11506-3"}]},
        "subject": {"reference": f"Patient/bench-{i % 997}"},
        "date": "2026-11-20T10:00:00Z",
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "data": base64.b64encode(text.encode()).decode(),
                }
            }
        ],
    }


def rss_mb() -> float:
    """Peak RSS of this process in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_single(linter: Linter, runs: int) -> None:
    text = note(400, random.Random(1))
    raw = json.dumps(docref(1, text))
    for _ in range(20):
        linter.lint_resource(raw)
    times, plain = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        linter.lint_resource(raw)
        t1 = time.perf_counter()
        linter.lint_document(Document(text=text))
        t2 = time.perf_counter()
        times.append(t1 - t0)
        plain.append(t2 - t1)
    total, lint = statistics.median(times) * 1e3, statistics.median(plain) * 1e3
    print(f"400-word DocumentReference: read+lint+OperationOutcome median {total:.3f} ms")
    print(f"  same text linted as plain text:           median {lint:.3f} ms")
    print(f"  FHIR overhead (read + OperationOutcome):  median {total - lint:.3f} ms")


def bench_ndjson(linter: Linter, count: int, words: int) -> None:
    rng = random.Random(2)
    texts = [note(words, rng) for _ in range(64)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "DocumentReference.ndjson"
        with path.open("w", encoding="utf-8") as fh:
            for i in range(count):
                fh.write(json.dumps(docref(i, texts[i % len(texts)]), separators=(",", ":")))
                fh.write("\n")
        size = path.stat().st_size / 1e6
        source = Source(path=str(path), open=lambda: path.open("rb"))
        start_rss = rss_mb()
        samples = []
        n = findings = 0
        t0 = time.perf_counter()
        for item in linter.read(source):
            if isinstance(item, Document):
                findings += len(linter.lint_document(item))
                n += 1
                if n % (count // 5 or 1) == 0:
                    samples.append(f"{n:,}: {rss_mb():.0f} MB")
        elapsed = time.perf_counter() - t0
    print(
        f"NDJSON {count:,} DocumentReferences ({words}-word notes, {size:.0f} MB): "
        f"{elapsed:.1f} s, {n / elapsed:,.0f} resources/s, {findings:,} findings"
    )
    print(
        f"  peak RSS {rss_mb():.0f} MB (before streaming {start_rss:.0f} MB); "
        f"along the way: {'; '.join(samples)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=80, help="words per bulk note")
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args(argv)
    linter = Linter(load_entrypoints=False)
    print(f"python {sys.version.split()[0]}, rules: {len(linter.enabled_rules)}")
    bench_single(linter, args.runs)
    bench_ndjson(linter, args.resources, args.words)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
