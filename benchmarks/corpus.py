"""A reproducible corpus of synthetic 400-word session notes for the benchmarks.

The notes are assembled from fictional sentence templates (SOAP/DAP/GIRP shapes,
some with wording the rules flag, most clean), seeded so every run sees the same text.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SENTENCES = (
    "Client reports sleeping about five hours a night and waking early with worry.",
    "She described the week as heavy and said work deadlines have piled up.",
    "We reviewed the thought record she completed on Tuesday and Thursday.",
    "Client claims she took her medication every day this week.",
    "He refused to discuss his drinking when the topic came up.",
    'Client said, "I feel like an addict when I count the days."',
    "Practised paced breathing for ten minutes; client rated distress 6 then 3.",
    "Explored values: family, music and being a reliable friend.",
    "No agitation or hostility observed during the session.",
    "Client was admitted to the inpatient unit last spring for two weeks.",
    "Asked permission before discussing the accident; client agreed and chose the pace.",
    "Client's supervisor was described as demanding and hostile.",
    "Homework: one pleasant activity on four days this week, logged in her planner.",
    "Discussed the insurance claims for the out-of-network sessions.",
    "Client is non-compliant with the medication plan.",
    "Mood appears brighter; affect congruent; speech normal rate.",
    "Began imaginal exposure to the index memory.",
    "Called client's employer to confirm the return-to-work date.",
    "Client agreed to continue weekly sessions and to call the crisis line if needed.",
    'Goal: "I want to walk to the shop on my own." Target: 3 walks a week by 1 May.',
)
HEADINGS = ("S:", "O:", "A:", "P:")


def make_note(rng: random.Random, words: int = 400) -> str:
    """One note of about ``words`` words, with SOAP headings."""
    parts: list[str] = []
    count = 0
    section = 0
    while count < words:
        if count >= section * words // len(HEADINGS) and section < len(HEADINGS):
            parts.append(("\n" if parts else "") + HEADINGS[section])
            section += 1
        sentence = rng.choice(SENTENCES)
        parts.append(sentence)
        count += len(sentence.split())
    return " ".join(parts) + "\n"


def make_corpus(n: int, seed: int = 20261129, words: int = 400) -> list[str]:
    rng = random.Random(seed)
    return [make_note(rng, words) for _ in range(n)]


def jsonl_notes(path: str | Path, words: int = 400) -> list[str]:
    """Realistic notes from a labelled JSON-lines file (read only when a benchmark is
    given one): its full notes (``id`` starting ``note-``; else every ``note``
    item), each joined with the following ones until it has ``words`` words."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    full = [str(i["text"]) for i in items if str(i.get("id", "")).startswith("note-")]
    if not full:
        full = [str(i["text"]) for i in items if i.get("kind", "note") == "note"]
    notes = []
    for i, text in enumerate(full):
        j = i + 1
        while len(text.split()) < words and len(full) > 1:
            text += "\n" + full[j % len(full)]
            j += 1
        notes.append(text)
    return notes
