"""The goal plugin's shared analysis: computed once per document, in document
coordinates, and its fast paths (label finding, timeframe starts, phrase starts,
heading lines) find exactly what the plain patterns find."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inquiry_assist import Linter
from inquiry_assist.annotations import Span, annotate
from inquiry_assist.builtin.goal import analysis, phrases
from inquiry_assist.builtin.goal.rules import RULES
from inquiry_assist.config import Config
from inquiry_assist.model import Document
from inquiry_assist.rules import Context

LINTER = Linter(
    Config(select=["goal"]),
    load_entrypoints=False,
    blocked=("language", "consent", "fhir-reader"),
)

NOTE = (
    "S: Client reports broken sleep and a stressful week at work.\n"
    "O: Affect anxious, brighter by the end of the session.\n"
    "A: Adjustment disorder with anxiety.\n"
    "P: Treatment plan updated.\n"
    'Goal 1 in her words: "I want to sleep through the night." Objective: 6 hours of '
    "sleep on 5 of 7 nights by 30 June, tracked in her sleep diary.\n"
    "Goal 2: Client will comply with medication and attend all appointments.\n"
    "RTC 1 week."
)

#: Words and marks the equivalence properties draw their texts from.
TOKENS = [
    "goal",
    "goals",
    "objective",
    "subgoal",
    "Goal 2",
    "(in her words)",
    ":",
    ".",
    "\n",
    " ",
    "-",
    "client",
    "will",
    "must",
    "comply",
    "avoid",
    "instead",
    "attend",
    "weekly",
    "therapy",
    "so that",
    "by",
    "may",
    "2",
    "weeks",
    "next",
    "improve",
    "mood",
    "in his own words",
    "agreed together",
    "re",
    "review",
    "every",
    "’",
    "“",
]
texts = st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join)


def _all_rules_check(ctx: Context) -> list[str]:
    return [d.message for cls in RULES for d in cls().check(ctx)]


def test_analysis_runs_once_per_document_and_is_cached_under_the_plugin_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    real = analysis.analyse

    def counting(document: Document, ann: object) -> list[analysis.UnitReading]:
        calls.append(1)
        return real(document, ann)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis, "analyse", counting)
    doc = Document(text=NOTE, kind="note")
    ctx = Context(doc, annotate(NOTE))
    assert _all_rules_check(ctx)
    assert len(calls) == 1
    assert isinstance(ctx.cache["goal"], list)


def test_note_findings_are_in_document_coordinates() -> None:
    findings = LINTER.lint_text(NOTE, kind="note")
    directive = [f for f in findings if f.code == "G202"]
    assert [NOTE[f.start : f.end] for f in directive] == ["comply", "attend all appointments"]
    assert any(
        f.code == "G201" and NOTE[f.start : f.end].startswith("Client will comply")
        for f in findings
    )
    # the collaborative goal (quoted client words, target and date) is not reported
    first_goal = NOTE.index("Goal 1")
    second_goal = NOTE.index("Goal 2")
    assert not any(first_goal <= f.start < second_goal for f in findings)


def test_non_ascii_note_matches_its_ascii_twin() -> None:
    ascii_note = NOTE.replace("Client reports", "Lucia reports")
    accented = NOTE.replace("Client reports", "Lucía reports")
    spans = {(f.code, f.start, f.end) for f in LINTER.lint_text(ascii_note, kind="note")}
    assert spans == {(f.code, f.start, f.end) for f in LINTER.lint_text(accented, kind="note")}


def test_plan_item_without_goal_words_in_non_ascii_note() -> None:
    note = "S: Café visit went well.\nP: Client will comply with the diet plan. RTC 2 weeks."
    found = {f.code: note[f.start : f.end] for f in LINTER.lint_text(note, kind="note")}
    assert found == {"G202": "comply"}


def test_note_without_plan_or_goal_reads_nothing() -> None:
    note = "S: Slept better this week.\nO: Calm, engaged.\nA: Improving."
    assert analysis.analyse(Document(text=note, kind="note"), annotate(note)) == []
    assert analysis.analyse(Document(text="No headings here.", kind="note"), annotate("x")) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S: a\nP: b", [("subjective", 0), ("plan", 5)]),
        ("## Plan\nGoal: x", [("plan", 0), ("goal", 8)]),
        ("  **Plan**: b\n", [("plan", 0)]),
        ("Plan of care (reviewed): x", [("plan", 0)]),
        ("Planning: x\nPlanet: y", [(None, 0)]),
        ("Client: said\n  ## Plan", [(None, 0)]),  # an indented mark needs a colon nearby
        ("Client: said\n  ## Plan\nx: y", [("plan", 13)]),
    ],
)
def test_regions_by_heading(text: str, expected: list[tuple[str | None, int]]) -> None:
    assert [(r.name, r.start) for r in analysis._regions(text)] == expected


@settings(max_examples=300, deadline=None)
@given(texts)
def test_goal_labels_match_finditer(text: str) -> None:
    low = phrases.fold(text)
    want = [m.span() for m in phrases.GOAL_LABEL.finditer(low)]
    assert [m.span() for m in phrases.goal_labels(low)] == want
    mid = len(low) // 3
    want = [m.span() for m in phrases.GOAL_LABEL.finditer(low, mid, len(low) - 1)]
    assert [m.span() for m in phrases.goal_labels(low, mid, len(low) - 1)] == want


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(sorted(phrases._TIMEFRAME_STARTS) + TOKENS), max_size=25))
def test_timeframe_start_tree_matches_plain_alternation(words: list[str]) -> None:
    text = " ".join(words)
    words_alt = "|".join(sorted(phrases._TIMEFRAME_STARTS, key=len, reverse=True))
    plain = re.compile(r"\b(?:\d|(?:" + words_alt + r")\b)")
    assert [m.span() for m in phrases._CANDIDATE.finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]


@settings(max_examples=300, deadline=None)
@given(texts)
def test_phrase_starts_find_every_group_match(text: str) -> None:
    _check_phrase_starts(text)


def _check_phrase_starts(text: str) -> None:
    """Each group tried at its phrase starts finds what its own scan finds."""
    low = phrases.fold(text)
    parts = (Span(0, len(low)),)
    starts = analysis._phrase_starts(low, parts)
    for name in phrases.GOAL_GROUPS:
        want = [(m.start(), m.end()) for m in phrases.group(name).finditer(low)]
        got = analysis._matches(name, low, analysis._ClientSpans([]), starts, [])
        assert [(s.start, s.end) for s in got] == want
        assert analysis._any(name, low, starts) == bool(want)


#: Phrase texts: each group's example wording, cut and joined in any order.
PHRASE_WORDS = [
    "will not",
    "won't",
    "won’t",
    "is expected to",
    "needs to",
    "follow all staff rules",
    "self-harm",
    "self-identified",
    "co-written",
    "values",
    "so that",
    "be less anxious",
    "feel better",
    "no longer",
    "no more than",
    "take his medications",
    "stop drinking",
    "go to all groups",
    "goal",
    "going",
    "compliance",
    "complex",
    "attending",
    "mustard",
    "in her own words",
    "client-stated",
    "she chose",
    "and then walk",
    "rather than",
    "improving overall mood",
    "gain insight",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PHRASE_WORDS + TOKENS), max_size=25).map(" ".join))
def test_phrase_starts_find_every_match_of_phrase_text(text: str) -> None:
    _check_phrase_starts(text)


def test_every_phrase_group_has_lead_words() -> None:
    """Each group's patterns start with letters, so the fast phrase-start scan (a
    prefix tree of lead words) is in use rather than the lookahead fallback."""
    for name in phrases.GOAL_GROUPS:
        words = phrases.lead_words(phrases.GROUPS[name].alternation)
        assert words, name
    assert "" not in phrases.START_GROUPS


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("must\\b", ["must"]),
        ("remains?\\s", ["remain"]),
        ("(?:is|are|will\\s+be)\\s+x", ["is", "are", "will"]),
        ("co-?written|self[- ]set", ["co", "self"]),
    ],
)
def test_lead_words(pattern: str, expected: list[str] | None) -> None:
    assert phrases.lead_words(pattern) == expected


@pytest.mark.parametrize("pattern", ["(?:the\\s+)?client", "[a-z]+ing", "\\w+", "x?y"])
def test_lead_words_none_when_a_match_may_start_otherwise(pattern: str) -> None:
    assert phrases.lead_words(pattern) is None


PLAN_WORDS = ["client", "will", "pt", "script", "the", "must", "needs to", "is", "expected to"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PLAN_WORDS + TOKENS), max_size=30).map(" ".join))
def test_plan_items_are_the_sentences_that_start_with_the_client_as_subject(body: str) -> None:
    """Trying only the sentences that hold a subject and verb finds every plan item
    a try of every sentence finds."""
    text = "P: " + body
    low = phrases.fold(text)
    region = analysis._regions(text)[0]
    sentences = analysis._sentences_of(text, region.start, region.end)
    units = list(analysis._note_units(low, annotate(text), sentences, region, True))
    taken = [p for u in units if u.labelled for p in u.pieces()]
    want = []
    for sentence in sentences:
        if any(t.overlaps(sentence.start, sentence.end) for t in taken):
            continue
        start = max(sentence.start, region.heading_end)
        if start < sentence.end and phrases.CLIENT_SUBJECT.match(low, start, sentence.end):
            want.append((start, sentence.end))
    assert [(u.span.start, u.span.end) for u in units if not u.labelled] == want
