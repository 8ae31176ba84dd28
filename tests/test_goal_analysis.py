"""The goal plugin's shared analysis: computed once per document, in document
coordinates, and its fast paths (label finding, timeframe starts, phrase starts,
heading lines) find exactly what the plain patterns find."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inquiry_assist import Linter
from inquiry_assist.annotations import SECTION_NAMES, Span, annotate, find_sentences
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
    """Each group tried at its phrase starts finds what its own scan finds, in
    every part of a goal."""
    low = phrases.fold(text)
    cut = low.find(" ", len(low) // 2)
    parts = (Span(0, len(low)),) if cut == -1 else (Span(0, cut), Span(cut + 1, len(low)))
    found = analysis._phrase_matches(low, parts)
    for name in phrases.GOAL_GROUPS:
        want = [m.span() for p in parts for m in phrases.group(name).finditer(low, p.start, p.end)]
        assert found.get(name, []) == want


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
    # lead words where the scan asks what follows them: within a longer word, before
    # punctuation, before other white space
    "behaviour",
    "be\u00a0less anxious",
    "be\tfree of",
    "inside",
    "in\nher words",
    "android",
    "and\tthen walk",
    "must.",
    "must-",
    "instead,",
    "insteadof",
    "go-to",
    "go\tto all groups",
    "tomorrow",
    "no longer.",
    "nowhere",
    "expressedby patient",
    "unit rules",
    "units",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PHRASE_WORDS + TOKENS), max_size=25).map(" ".join))
def test_phrase_starts_find_every_match_of_phrase_text(text: str) -> None:
    _check_phrase_starts(text)


#: ASCII text, words joined by the characters on which ``re.ASCII`` could read
#: differently (the separators "str.isspace" counts, underscores, digits).
ASCII_TEXTS = st.lists(
    st.tuples(
        st.sampled_from(
            [*PHRASE_WORDS, *TOKENS, *sorted(phrases._TIMEFRAME_STARTS), *"0123456789"]
        ).filter(str.isascii),
        st.sampled_from(["", " ", "\x1c", "\x1d", "\x1e", "\x1f", "\x0b", "\t", "_", "-", "."]),
    ),
    max_size=25,
).map(lambda pairs: "".join(word + sep for word, sep in pairs))


@settings(max_examples=400, deadline=None)
@given(ASCII_TEXTS, st.integers(0, 40), st.integers(0, 40))
def test_ascii_scans_find_what_the_unicode_scans_find(text: str, start: int, cut: int) -> None:
    """On ASCII text the scans compiled with re.ASCII find what the others find, and
    phrase starts in any span find every group's matches there."""
    low = phrases.fold(text)
    end = max(start, len(low) - cut)
    fast = phrases._CANDIDATE_ASCII.finditer(low, start, end)
    plain = phrases._CANDIDATE.finditer(low, start, end)
    assert [(m.span(), m.group()) for m in fast] == [(m.span(), m.group()) for m in plain]
    assert phrases.find_timeframes(low, start, end) == _plain_timeframes(low, start, end)
    _check_phrase_starts(text)
    _check_phrase_starts_in(low, start, end)


def _check_phrase_starts_in(low: str, start: int, end: int) -> None:
    """Each group tried at its phrase starts in ``low[start:end]`` (which may cut
    words) finds what its own scan there finds."""
    found = analysis._phrase_matches(low, (Span(start, end),))
    for name in phrases.GOAL_GROUPS:
        want = [m.span() for m in phrases.group(name).finditer(low, start, end)]
        assert found.get(name, []) == want, name


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PHRASE_WORDS + TOKENS), max_size=25).map(" ".join),
    st.integers(0, 60),
    st.integers(0, 60),
)
def test_phrase_starts_in_any_span_find_every_group_match(text: str, start: int, cut: int) -> None:
    low = phrases.fold(text)
    _check_phrase_starts_in(low, start, max(start, len(low) - cut))


def test_every_phrase_group_has_lead_words() -> None:
    """Each group's patterns start with letters, so the fast phrase-start scan (a
    prefix tree of lead words) is in use rather than the lookahead fallback."""
    for name in phrases.GOAL_GROUPS:
        words = phrases.lead_words(phrases.groups()[name].alternation)
        assert words, name
    assert "" not in phrases.phrase_starts()[1]


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


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("must\\b", [("must", "\\b")]),
        ("remains?\\s", [("remain", "s?\\s")]),
        (
            "(?:is|are|will\\s+be)\\s+x",
            [("is", "\\s+x"), ("are", "\\s+x"), ("will", "\\s+be\\s+x")],
        ),
        ("(?:(?:ab|cd)\\s|ef)x|gh", [("ab", "\\sx"), ("cd", "\\sx"), ("ef", "x"), ("gh", "")]),
        ("(?:ab|cd)+\\s", [("ab", None), ("cd", None)]),
        ("co-?written|self[- ]set", [("co", "-?written"), ("self", "[- ]set")]),
    ],
)
def test_lead_words_with_the_rest_of_their_phrase(
    pattern: str, expected: list[tuple[str, str | None]]
) -> None:
    """What the phrase-start scan asks to follow a lead word is the rest of the
    alternative it leads (unknown after a repeated group)."""
    assert phrases._leads(pattern, "") == expected


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
    sentences = [s for s in find_sentences(text) if region.start <= s.start < region.end]
    units = analysis._note_units(low, text, annotate(text), region, True)
    taken = [p for u in units if u.labelled for p in u.pieces()]
    want = []
    for sentence in sentences:
        if any(t.overlaps(sentence.start, sentence.end) for t in taken):
            continue
        start = max(sentence.start, region.heading_end)
        if start < sentence.end and phrases.CLIENT_SUBJECT.match(low, start, sentence.end):
            want.append((start, sentence.end))
    assert [(u.span.start, u.span.end) for u in units if not u.labelled] == want


# --- fast paths find what the plain definitions find --------------------------------------

#: Texts around timeframes: every start word, numbers, dates, units, marks.
TIMEFRAME_WORDS = [
    *sorted(phrases._TIMEFRAME_STARTS),
    "2",
    "12",
    "30",
    "2024-05-01",
    "3/4/25",
    "1st",
    "٣",
    "of",
    "the",
    "a",
    "weeks",
    "day",
    "months",
    "wk",
    "calendar",
    "per",
    "end of",
    "the next",
    "couple of",
    "mid-",
    "winter",
    "session",
    "2-week",
    "weekly",
    "date",
    "frame",
    "assess",
    "re-",
    "new year",
    "sepember",
    "-",
    ".",
    ",",
    "\n",
]


def _plain_timeframes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The timeframes as the combined pattern finds them, tried at every start."""
    found: list[tuple[int, int]] = []
    covered = start
    for candidate in phrases._CANDIDATE.finditer(text, start, end):
        at = candidate.start()
        if at < covered:
            continue
        m = phrases.timeframe().match(text, at, end)
        if m is not None and m.end() > at:
            found.append((at, m.end()))
            covered = m.end()
    return found


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(TIMEFRAME_WORDS), max_size=14),
    st.sampled_from([" ", "", "-", " of "]),
    st.data(),
)
def test_timeframe_forms_tried_by_start_word_find_what_all_forms_find(
    words: list[str], sep: str, data: st.DataObject
) -> None:
    text = sep.join(words)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert phrases.find_timeframes(text, start, end) == _plain_timeframes(text, start, end)
    assert phrases.find_timeframes(text) == _plain_timeframes(text, 0, len(text))


def test_timeframe_forms_are_tried_in_their_order() -> None:
    forms = phrases._TIMEFRAME_FORMS
    assert phrases.timeframe().pattern == "|".join(f"(?:{form})" for _, form in forms)
    for word, pattern in phrases._timeframe_at().items():
        assert pattern.pattern == "|".join(f"(?:{f})" for words, f in forms if word in words)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TIMEFRAME_WORDS), min_size=1, max_size=6).map(" ".join))
def test_no_form_matches_where_its_start_words_do_not_stand(text: str) -> None:
    """Where a timeframe may start, each form that matches is listed under the word
    there (a number under ``_DIGIT``), so the forms tried by start word are all that
    can match."""
    for candidate in phrases._CANDIDATE.finditer(text):
        word = candidate.group()
        key = word if word in phrases._TIMEFRAME_STARTS else phrases._DIGIT
        for words, form in phrases._TIMEFRAME_FORMS:
            if re.compile(form).match(text, candidate.start()):
                assert key in words, (form, text)


#: The words a timeframe may start with, as the forms read.
TIMEFRAME_START_WORDS = frozenset(
    [
        "remaining",
        "after",
        "ahead",
        "apr",
        "april",
        "around",
        "at",
        "aug",
        "august",
        "before",
        "by",
        "check",
        "checked",
        "coming",
        "couple",
        "deadline",
        "dec",
        "december",
        "due",
        "during",
        "each",
        "early",
        "eight",
        "eleven",
        "end",
        "every",
        "feb",
        "february",
        "few",
        "five",
        "following",
        "for",
        "four",
        "fourteen",
        "from",
        "in",
        "jan",
        "january",
        "jul",
        "july",
        "jun",
        "june",
        "late",
        "mar",
        "march",
        "may",
        "mid",
        "middle",
        "next",
        "nine",
        "nov",
        "november",
        "oct",
        "october",
        "on",
        "one",
        "over",
        "re",
        "reassess",
        "reassessed",
        "review",
        "reviewed",
        "revisit",
        "revisited",
        "sep",
        "sept",
        "september",
        "seven",
        "several",
        "since",
        "six",
        "start",
        "starting",
        "target",
        "ten",
        "thirty",
        "this",
        "three",
        "through",
        "thru",
        "till",
        "time",
        "timeframe",
        "today",
        "tomorrow",
        "tonight",
        "twelve",
        "twenty",
        "two",
        "until",
        "within",
    ]
)
#: An example of each timeframe form, every start word of a form at least once.
TIMEFRAME_EXAMPLES = [
    "remaining weeks",
    "10 remaining weeks",
    "ten remaining sessions",
    "by week 8",
    "at session 6",
    "by 12/15",
    "before the 4/20",
    "for the rest of the semester",
    "this spring term",
    "by half-term",
    "by the december review",
    "2 weeks",
    "two weeks",
    "couple of months",
    "several days",
    "in a few weeks",
    "within the next month",
    "for a week",
    "over the coming year",
    "after the following month",
    "30 june",
    "1st may",
    "june 30",
    "sept. 3",
    "by june",
    "before the end of march",
    "end of april",
    "middle of may",
    "mid-may",
    "mid june",
    "early july",
    "late august",
    "from september",
    "starting october",
    "since november",
    "during december",
    "thru january",
    "till february",
    "until march",
    "through april",
    "2024-05-01",
    "3/4/25",
    "by the end",
    "at the start",
    "on the first",
    "within next",
    "over the last",
    "before the close",
    "until mid",
    "by the summer",
    "through the school year",
    "over christmas",
    "by thanksgiving",
    "before eid",
    "at diwali",
    "around easter",
    "ahead of ramadan",
    "in time for the lunar new year",
    "on mother's day",
    "for christmas",
    "until the school holidays",
    "by her daughter's wedding",
    "ahead of his birthday",
    "in time for their anniversary",
    "before the baby is born",
    "by the time her baby arrives",
    "until the baby is due",
    "till discharge",
    "during the holidays",
    "after graduation",
    "next session",
    "each week",
    "every month",
    "this term",
    "following visit",
    "next two gatherings",
    "coming 3 visits",
    "following four meetings",
    "today",
    "tomorrow",
    "tonight",
    "target date",
    "due date",
    "deadline",
    "time frame",
    "timeframe",
    "review weekly",
    "reviewed at",
    "re-assess every",
    "reassess monthly",
    "reassessed on",
    "check in on",
    "checked in at",
    "revisit monthly",
    "revisited in",
    "6-week",
    "fourteen days",
    "seven weeks",
    "three weeks",
    "four weeks",
    "five weeks",
    "six weeks",
    "eight weeks",
    "nine weeks",
    "eleven weeks",
    "twelve weeks",
    "twenty weeks",
    "thirty weeks",
    "ten days",
    "few months",
    "one year",
    "jan 5",
    "january 5",
    "feb 2",
    "february 2",
    "mar 1",
    "march 1",
    "apr 4",
    "april 4",
    "jun 6",
    "jul 7",
    "july 7",
    "aug 8",
    "sep 9",
    "september 9",
    "oct 1",
    "october 1",
    "nov 2",
    "november 2",
    "dec 3",
    "december 3",
]


def test_timeframe_start_words() -> None:
    assert TIMEFRAME_START_WORDS == phrases._TIMEFRAME_STARTS


@pytest.mark.parametrize("example", TIMEFRAME_EXAMPLES)
def test_each_timeframe_form_is_tried_at_its_start_words(example: str) -> None:
    text = f"walk {example} ok"
    assert phrases.find_timeframes(text) == _plain_timeframes(text, 0, len(text))
    assert phrases.find_timeframes(text), example
    for candidate in phrases._CANDIDATE.finditer(text):
        word = candidate.group()
        key = word if word in phrases._TIMEFRAME_STARTS else phrases._DIGIT
        for words, form in phrases._TIMEFRAME_FORMS:
            if re.compile(form).match(text, candidate.start()):
                assert key in words, (form, text)


def test_every_start_word_has_an_example() -> None:
    words = {w for e in TIMEFRAME_EXAMPLES for w in re.findall(r"[a-z]+", e)}
    assert words >= TIMEFRAME_START_WORDS


HEADING_TOKENS = [
    "S:",
    "s :",
    "P:",
    "Plan:",
    "PLAN",
    "## Plan",
    "#plan",
    "**Plan**:",
    "Plan  of   care:",
    "Treatment plan (reviewed):",
    "Goals:",
    "GOAL",
    "Objective:",
    "MSE:",
    "Risk assessment:",
    "Mental status exam:",
    "Behaviour:",
    "Planning:",
    "Planet:",
    "Client:",
    "RIS\u212a:",
    "Ris\u212a:",
    "Ç:",
    "É",
    "x" * 70 + ":",
    "(note)",
    "  ",
    "\t",
    "\n",
    "\n",
    "\n",
    "word",
    ":",
    "#",
]
_PLAIN_HEADING = re.compile(
    r"(?P<indent>[ \t]*)(?P<mark>\#{1,6}[ \t]*)?(?:\*\*)?(?P<name>"
    + "|".join(sorted((k.replace(" ", " +") for k in SECTION_NAMES), key=len, reverse=True))
    + r")[ ]*(?:\*\*)?[ \t]*(?:\([^)\n]{0,40}\))?[ \t]*(?:(?P<colon>:)|(?=\n)|\Z)",
    re.ASCII | re.IGNORECASE,
)


def _plain_headings(text: str) -> list[tuple[int, int, str]]:
    """Heading lines as a case-insensitive match tried at every line start finds them."""
    heads: list[tuple[int, int, str]] = []
    line_start = 0
    while line_start <= len(text):
        m = _PLAIN_HEADING.match(text, line_start)
        if m is not None:
            end = m.end()
            near = text.find(":", line_start, line_start + 80) != -1 or text.startswith(
                "#", line_start
            )
            if (m.group("colon") and (end - line_start <= 80 or near)) or (
                m.group("mark") and near
            ):
                written = m.group("name")
                name = SECTION_NAMES.get(" ".join(written.lower().split()))
                if len(written) <= 25 and name is not None:
                    heads.append((line_start, end, name))
        newline = text.find("\n", line_start)
        if newline == -1:
            break
        line_start = newline + 1
    return heads


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(HEADING_TOKENS), max_size=20).map(" ".join))
def test_headings_on_folded_text_are_the_case_insensitive_headings(text: str) -> None:
    want = _plain_headings(text)
    assert analysis._headings(text, phrases.fold(text)) == want
    assert analysis._headings(text, None) == want


_PLAIN_PLAN_ITEM = re.compile(
    r"\b(?:client|patient|pt|resident|student|member|youth|consumer) "
    r"(?:will|must|shall|needs to|is required to|is expected to)\b"
)
PLAN_ITEM_WORDS = [*PLAN_WORDS, "patient", "youth", "shall", "script", "\n", "-", "  "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PLAN_ITEM_WORDS), max_size=25).map(" ".join), st.data())
def test_plan_item_search_finds_what_the_plain_pattern_finds(
    text: str, data: st.DataObject
) -> None:
    """The plan-item search starts at the verb, so it is asked only from line starts
    (where sections start)."""
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    start = data.draw(st.sampled_from(line_starts))
    end = data.draw(st.integers(start, len(text)))
    want = _PLAIN_PLAN_ITEM.search(text, start, end) is not None
    assert (analysis._PLAN_ITEM.search(text, start, end) is not None) == want


SENTENCE_TOKENS = [
    "Goal: walk",
    "Dr.",
    "e.g.",
    "J. Smith",
    "x.",
    "!",
    "?",
    "...",
    ".)",
    '."',
    "’.",
    "(a",
    "b)",
    " ",
    "  ",
    "\n",
    "\n",
    "\r",
    "\t",
    "\u2028",
    "Plan",
    "no.",
    "word",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_TOKENS), max_size=30).map("".join))
def test_line_by_line_sentences_are_the_document_sentences(text: str) -> None:
    sentences = [(s.start, s.end) for s in find_sentences(text)]
    lines = analysis._Lines(text, len(text))
    line_start = 0
    got: list[tuple[int, int]] = []
    while True:
        starts, ends, line_end = lines.line(line_start)
        got.extend(zip(starts, ends, strict=True))
        if line_end >= len(text):
            break
        line_start = line_end + 1
    assert got == sentences
    for offset in range(len(text)):
        held = annotate(text).sentence_at(offset)
        assert lines.at(offset) == (None if held is None else (held.start, held.end))
    limit = len(text) // 2
    for offset in range(len(text)):
        want = []
        for start, end in sentences:
            if start >= offset:
                if end > limit:
                    break
                want.append((start, end))
        assert list(lines.following(offset, limit)) == want


#: Words a sentence that continues a goal starts with (see ``_CONTINUATION``).
CONTINUATION_TOKENS = [
    "Objective",
    "targets",
    "step 2",
    "short-term",
    "by ",
    "within ",
    "Reviewed progress",
    "the client chose",
    "she will track",
    "We agreed",
    "- ",
    "“",
    "(",
]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(SENTENCE_TOKENS + CONTINUATION_TOKENS), max_size=20).map("".join),
    st.data(),
)
def test_no_continuation_where_the_pre_check_finds_none(text: str, data: st.DataObject) -> None:
    """Where a sentence that starts at or after the offset and ends by the limit
    continues a goal, the cheap pre-check says one may."""
    low = phrases.fold(text)
    offset = data.draw(st.integers(0, len(low)))
    limit = data.draw(st.integers(offset, len(low)))
    _check_continuation_pre_check(text, offset, limit)


@pytest.mark.parametrize(
    "marked",
    [
        "Goal: x.|     Objective: y",  # only white space before the next sentence
        "Goal: x|\nObjective: y",
        "Goal: x|\nfoo\n\t Objective: y",  # a line start
        "Goal: x|. Done.) Objective: y",  # closing marks after the full stop
        "Goal: x|. Done!” - Objective: y",
        "Goal: x|. Dr. Lee said so. By June",
    ],
)
def test_continuation_pre_check_finds_each_kind_of_sentence_start(marked: str) -> None:
    """Each way a sentence can start after the offset (marked "|")."""
    offset = marked.index("|")
    text = marked.replace("|", "")
    _check_continuation_pre_check(text, offset, len(text))
    assert analysis._may_continue(phrases.fold(text), offset, len(text))


#: Words a plan item starts with (see ``CLIENT_SUBJECT``), and near misses.
PLAN_ITEM_TOKENS = [
    "Client will",
    "the patient must",
    "Pt needs to",
    "client willing",
    " shall",
    "P:",
]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(SENTENCE_TOKENS + PLAN_ITEM_TOKENS), max_size=20).map("".join),
    st.data(),
)
def test_no_plan_item_where_the_pre_check_finds_none(text: str, data: st.DataObject) -> None:
    """Where a sentence that ends by the limit starts (or, from the offset on,
    reads) with the client as subject, the cheap pre-check says one may."""
    low = phrases.fold(text)
    offset = data.draw(st.integers(0, len(low)))
    limit = data.draw(st.integers(offset, len(low)))
    _check_plan_item_pre_check(text, offset, limit)


@pytest.mark.parametrize(
    "marked",
    [
        "P:| Client will call",  # from the offset on
        "P: Done.|    Client will call",  # only white space before the next sentence
        "P:|\n\tThe client will call",  # a line start
        "P:| Reviewed.) Client will call",  # closing marks after the full stop
        "P:| Reviewed!’ - client will\nRTC",  # the verb at the sentence's end
        "P:| Dr. Lee agreed. Pt must.",
    ],
)
def test_plan_item_pre_check_finds_each_kind_of_sentence_start(marked: str) -> None:
    """Each way a sentence can start after the offset (marked "|")."""
    offset = marked.index("|")
    text = marked.replace("|", "")
    _check_plan_item_pre_check(text, offset, len(text))
    assert analysis._may_hold_plan_items(phrases.fold(text), offset, len(text))


def _check_plan_item_pre_check(text: str, offset: int, limit: int) -> None:
    low = phrases.fold(text)
    for s in find_sentences(text):
        start = max(s.start, offset)
        if start < s.end <= limit and phrases.CLIENT_SUBJECT.match(low, start, s.end):
            assert analysis._may_hold_plan_items(low, offset, limit)


def _check_continuation_pre_check(text: str, offset: int, limit: int) -> None:
    low = phrases.fold(text)
    continues = any(
        s.start >= offset and s.end <= limit and analysis._CONTINUATION.match(low, s.start, s.end)
        for s in find_sentences(text)
    )
    if continues:
        assert analysis._may_continue(low, offset, limit)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_TOKENS), min_size=1, max_size=30).map("".join), st.data())
def test_sentences_over_parts_are_the_document_sentences_over_them(
    text: str, data: st.DataObject
) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=6)))
    parts = tuple(Span(a, b) for a, b in itertools.pairwise(cuts) if a < b)
    if not parts:
        return
    want = [s for s in find_sentences(text) if any(s.overlaps(p.start, p.end) for p in parts)]
    assert analysis._sentences_over(text, parts) == want


#: Letters outside ASCII, in both cases, and the one that folds to an ASCII letter.
FOLD_TOKENS = [
    *TOKENS,
    "É",
    "é",
    "ŁUCJA",
    "Σ",
    "ΑΣ.",
    "İ",
    "ß",
    "ǅ",
    "GOAL:",
    "P:",
    "\u212a",
    "\u212aeep",
]


def _full_fold(text: str, utf8_lowered: bytes | None = None) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FOLD_TOKENS), max_size=30).map(" ".join))
def test_folding_ascii_letters_only_reads_as_folding_every_letter(text: str) -> None:
    """The patterns spell letters in ASCII, so lower-casing the other letters too
    changes no reading."""
    for kind in ("note", "goal"):
        doc = Document(text=text, kind=kind)
        fast = analysis.analyse(doc, annotate(text))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(analysis, "fold", _full_fold)
            full = analysis.analyse(doc, annotate(text))
        assert fast == full


def test_kelvin_sign_folds_to_k() -> None:
    """The one letter outside ASCII that lower-cases to an ASCII letter."""
    assert phrases.fold("\u212aEEP all") == "keep all"
    text = "Goal: \u212aeep all appointments."
    found = {f.code: text[f.start : f.end] for f in LINTER.lint_text(text, kind="goal")}
    assert found["G202"] == "\u212aeep all appointments"
    # the heading pattern reads ASCII letters only, so this is no "Risk:" heading
    note = "RIS\u212a: none\nP: Goal: \u212aeep all appointments."
    assert [r.name for r in analysis._regions(note, phrases.fold(note))] == ["plan"]
    assert analysis._headings(note, phrases.fold(note)) == _plain_headings(note)
