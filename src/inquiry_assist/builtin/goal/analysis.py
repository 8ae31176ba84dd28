"""Find the goal statements in a document and read what each one says.

Computed once per document (cached in ``Context.cache`` under the plugin's name,
``"goal"``) and shared by the six goal rules. It reads the document's shared
quotes (computed lazily once for all rules) and splits into sentences only the
lines that state goals (no other built-in rule needs a whole note's sentences);
every span is in document coordinates:

* a ``goal`` document is one goal, read as a whole (it may hold several goals and
  objectives: a measurable objective anywhere satisfies measurability, the
  client's quoted words anywhere satisfy client voice);
* in a ``note``, a GIRP ``Goal`` section is one goal; in a ``Plan`` section (or a
  note without headings) a labelled goal ("Goal:", "Goal 2:", "Objective:",
  "Treatment plan goal updated:") runs to the end of its line, plus following
  lines that continue it ("Objective:", "Target:", "Steps:"); a treatment-plan or
  team goal label ("Treatment team goal reviewed with patient:") counts in any
  section. Unlabelled "Client will/must ..." sentences in a Plan section are
  *plan items*: only the directive-wording rule reads them.

Nothing here looks at single words in a loop: each pattern is one precompiled
alternation run over a goal's span, and each is tried only where a word it can
start with stands (found by one scan). The lines after a goal's label, and a Plan
section's sentences, are split into sentences to look for a continuation or a
plan item only where a search that needs no split finds one may be there.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from ...annotations import SECTION_NAMES, Annotations, Span, find_sentences
from ...lexicon import trie_pattern
from ...model import Document
from ...rules import Context
from .phrases import (
    CLIENT_SUBJECT,
    CLIENT_SUBJECT_ANYWHERE,
    GOAL_LABEL,
    KELVIN,
    find_timeframes,
    fold,
    goal_labels,
    group,
    has_frequency,
    has_target,
    phrase_starts,
)

__all__ = ["GoalUnit", "UnitReading", "analyse", "readings"]

_CACHE_KEY = "goal"  # the plugin's name, as ctx.cache asks
_GOAL_SECTIONS = frozenset({"plan", "goal"})
_TREATMENT_PLAN_LABEL = re.compile(r"\b(?:treatment|plan|team|care)\b")
#: A sentence after a labelled goal that is still about that goal (its objective,
#: target, steps, the client's choices, its review), rather than another plan item.
_CONTINUATION_BODY = (
    r"\W{0,3}(?:objectives?|targets?|measures?|measured|steps?|step\s*\d+|short[- ]term|"
    r"long[- ]term|time\s*frame|aim(?:ing|s)?|tracked|progress|plan\s+agreed|together|"
    r"we\s+(?:agreed|defined|set|chose)|by\s|within\s|"
    r"review(?:ed)?\s+(?:progress|the\s+goal|together|in|at|on|every|weekly|monthly)|"
    r"(?:the\s+)?[\w'’-]+\s+(?:chose|picked|selected|agreed|set|decided|wrote|rated|"
    r"will\s+(?:track|log|rate|record)))"
)
_CONTINUATION = re.compile(_CONTINUATION_BODY)
#: Where a sentence that a pattern matches at may start, found without splitting
#: into sentences (:func:`_may_start`): the first sentence after an offset starts
#: after white space only (so the pattern is matched at the offset, white space
#: first), and every later one at a line start or after the end of a sentence (a
#: full stop, "!" or "?", closing marks, then white space), searched for (two
#: searches, each with a first character the engine skips to). These are more
#: places than the sentences start at, and a match that ends by a sentence's end
#: also ends by any later limit (the patterns assert nothing about what follows
#: them but a word end, and a sentence ends before white space or the end of the
#: text), so where none finds a match no sentence there starts with the pattern.
_LINE_START = r"\n\s*"
_SENTENCE_END = r"[.!?\"'”’)\]]\s+"
_CONTINUATION_AT = re.compile(r"\s*" + _CONTINUATION_BODY)
_CONTINUATION_AFTER = (
    re.compile(_LINE_START + _CONTINUATION_BODY),
    re.compile(_SENTENCE_END + _CONTINUATION_BODY),
)
_PLAN_ITEM_AT = re.compile(r"\s*" + CLIENT_SUBJECT.pattern)
_PLAN_ITEM_AFTER = (
    re.compile(_LINE_START + CLIENT_SUBJECT.pattern),
    re.compile(_SENTENCE_END + CLIENT_SUBJECT.pattern),
)
_MODAL = re.compile(r"(?:must|shall|(?:\w+\s+)?needs?\s+to|(?:is|are|will\s+be|remains?)\s)")
#: A mandate cited as what the goal complies with ("maintain sobriety as directed by
#: probation", "comply with the terms of parole"): the goal is framed as compliance,
#: not a mandate recorded apart from the client's goal.
_COMPLIANCE_WITH = re.compile(
    r"\bas\s+(?:directed|instructed|ordered|required|advised)\s+by\b|\bcompl(?:y|ies|iance)\s+with\b"
)
#: Words without which no sentence is a legal mandate (a cheap pre-check).
_MANDATE_HINT = re.compile(r"court|probation|parole|judge|legal|mandat|condition of|required by")
_BREAK = re.compile(r"[.!?\n\"“]")
_PLAN_SUBJECTS = ("client", "patient", "pt", "resident", "student", "member", "youth", "consumer")
_PLAN_VERBS = "(?:will|must|shall|needs to|is required to|is expected to)"
#: A possible "Client will ..." plan item, searched in a lower-cased section: where
#: ``\b(?:client|patient|...) (?:will|must|...)\b`` matches, this matches one word
#: later (at the space). It starts with that space, a literal the engine jumps to,
#: and looks back for the subject only where a verb follows, rather than trying the
#: subjects at every position. (A section starts a line, so a subject never starts
#: before the section and ends in it.)
_PLAN_ITEM = re.compile(
    f" (?={_PLAN_VERBS})(?:"
    + "|".join(rf"(?<=\b{subject} )" for subject in _PLAN_SUBJECTS)
    + f"){_PLAN_VERBS}\\b"
)
#: A section heading line, as the shared annotations define one: indentation, an
#: optional markdown mark, a known section word (``SECTION_NAMES``, any case, any
#: spacing), an optional parenthesis, then a colon or (after a mark) the line end.
_NAME_MAX = 25


def _heading_body(names: str) -> str:
    """A heading line's pattern with the section-word alternation ``names``.

    Each optional part is an alternation with an empty branch (``(?:x|)``, tried in
    the order ``(?:x)?`` tries) rather than a ``?``, which the engine runs as a
    general repeat several times slower; ``mark`` is then empty, not None, when
    there is no markdown mark."""
    return (
        r"(?P<indent>[ \t]*)(?P<mark>\#{1,6}[ \t]*|)(?:\*\*|)(?P<name>"
        + names
        + r")[ ]*(?:\*\*|)[ \t]*(?:\([^)\n]{0,40}\)|)[ \t]*(?:(?P<colon>:)|(?=\n)|\Z)"
    )


_HEADING_BODY = _heading_body(
    "|".join(sorted((k.replace(" ", " +") for k in SECTION_NAMES), key=len, reverse=True))
)
#: section words as written (any case and spacing) -> normalised name, filled as met
_SECTION_KEYS: dict[str, str | None] = {}
_HEADING_FIRST = re.compile(_HEADING_BODY, re.ASCII | re.IGNORECASE)
#: the same after a line break: the literal first character lets the engine jump
#: from line to line
_HEADING_NEXT = re.compile("\n" + _HEADING_BODY, re.ASCII | re.IGNORECASE)
#: The same two patterns for the folded text, without IGNORECASE (several times
#: faster), the section words as a prefix tree in lower case. On the folded text
#: they find what the two above find on the text, unless the text holds a KELVIN
#: SIGN (which folds to "k"; the two above match ASCII letters only): the tree
#: tries a longer section word before its prefix, as the alternation above
#: (longest first) does, and only words that are prefixes of one another can match
#: at one place.
_HEADING_BODY_FOLDED = _heading_body(trie_pattern(SECTION_NAMES).replace("\\ ", " +"))
_HEADING_FIRST_FOLDED = re.compile(_HEADING_BODY_FOLDED, re.ASCII)
_HEADING_NEXT_FOLDED = re.compile("\n" + _HEADING_BODY_FOLDED, re.ASCII)


@dataclass(frozen=True, slots=True)
class GoalUnit:
    """One goal: ``parts`` are read together as the goal; ``statement`` is what
    gets reported; ``span`` bounds the parts.

    ``labelled`` is false for an unlabelled "Client will ..." plan item."""

    span: Span
    statement: Span
    labelled: bool = True
    parts: tuple[Span, ...] = ()
    label: Span | None = None

    def pieces(self) -> tuple[Span, ...]:
        """The spans that make up the goal (``span`` itself when not split)."""
        return self.parts or (self.span,)


@dataclass(slots=True)
class UnitReading:
    """What one goal says. Phrase matches exclude the client's own words and legal
    mandate sentences; the whole-goal flags read the client's words too."""

    unit: GoalUnit
    #: where whole-goal findings are reported: the statement, or its label when the
    #: statement is the client's own words (which are never flagged or rewritten)
    report: Span = field(default_factory=lambda: Span(0, 0))
    rewritable: bool = True
    client_voice: bool = False
    client_quoted: bool = False
    has_target: bool = False
    has_timeframe: bool = False
    values_link: bool = False
    approach: bool = False
    mandate_only: bool = False
    directive: list[Span] = field(default_factory=list)
    vague: list[Span] = field(default_factory=list)
    avoidance: list[Span] = field(default_factory=list)
    intervention: list[Span] = field(default_factory=list)


def readings(ctx: Context) -> list[UnitReading]:
    """The goals in ``ctx.document``, read once per document and shared by the six
    goal rules through ``ctx.cache`` (keyed by this plugin's name)."""
    cached = ctx.cache.get(_CACHE_KEY)
    if isinstance(cached, list):
        return cached
    result = analyse(ctx.document, ctx.annotations)
    ctx.cache[_CACHE_KEY] = result
    return result


def analyse(document: Document, ann: Annotations) -> list[UnitReading]:
    """Find and read every goal in ``document``.

    Every span is in document coordinates. The client's quoted words come from the
    document's shared annotations (``ann.quotes``, computed once for all rules)."""
    if not document.text.strip():
        return []
    if document.kind != "goal":
        return _note_readings(document.text, ann)
    text = fold(document.text)
    label = _leading_label(text, 0, len(text))
    unit = GoalUnit(
        Span(0, len(text)),
        _statement(text, partial(_document_sentence_at, ann), 0, len(text)),
        label=Span(label.start(), label.end() - 1) if label else None,
    )
    reading = _read(text, document.text, _client_spans(ann), unit)
    _apply_facts(reading, document.facts)
    return [] if reading.mandate_only else [reading]


def _document_sentence_at(ann: Annotations, offset: int) -> tuple[int, int] | None:
    """The bounds of the document's sentence that holds ``offset``, if one does."""
    sentence = ann.sentence_at(offset)
    return None if sentence is None else (sentence.start, sentence.end)


class _ClientSpans:
    """The inner spans of the client's quoted words, indexed for overlap queries
    (bisect over starts with a running maximum of ends: logarithmic per query)."""

    __slots__ = ("_reach", "_starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self._starts = [a for a, _ in spans]
        self._reach: list[int] = []
        furthest = -1
        for _, b in spans:
            furthest = max(furthest, b)
            self._reach.append(furthest)

    def __bool__(self) -> bool:
        return bool(self._starts)

    def touches(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps any of the client's words."""
        i = bisect.bisect_left(self._starts, end)
        return i > 0 and self._reach[i - 1] > start


def _client_spans(ann: Annotations) -> _ClientSpans:
    """The client's quoted words in ``ann``, indexed."""
    return _ClientSpans(
        [
            (q.inner.start, q.inner.end)
            for q in ann.quotes
            if q.role == "client" and q.inner.end > q.inner.start
        ]
    )


# --- notes: only the sections that may state goals are read ---------------------------


def _note_readings(text: str, ann: Annotations) -> list[UnitReading]:
    """Read the goals in a note, section by section.

    A note is split at its headings with one search; only sections that mention a
    goal or objective, or hold a "Client will ..." plan item, are read, and only
    the lines a goal or plan item is on are split into sentences, so the goal rules
    cost little on notes that state no goals. The text is lower-cased once (only
    when it can hold a goal), and the client's words are the document's shared
    quotes."""
    low: str | None = None
    at: list[int] = []  # where the goal words are
    if text.isascii():  # lower-casing ASCII text is cheap
        low = text.lower()
        at = _goal_words(low)
    else:  # ASCII-only lower-casing of the UTF-8 bytes finds the same two words
        raw = text.encode("utf-8").lower()
        if b"goal" in raw or b"objective" in raw:
            low = fold(text, raw)
            at = _goal_words(low)
    if not at and ":" not in text and "#" not in text:
        return []  # no goal words and no headings, so no Plan section either
    # a note without headings is one section
    heads: list[tuple[int, int, str | None]] = [*_headings(text, low)] or [(0, 0, None)]
    # a GIRP "G:" section is a goal whether or not it says "goal"; a Plan section
    # may hold "Client will ..." plan items
    if not at and all(name not in _GOAL_SECTIONS for _, _, name in heads):
        return []
    out: list[UnitReading] = []
    client: _ClientSpans | None = None
    i = 0
    last = len(heads) - 1
    for k, (start, heading_end, name) in enumerate(heads):
        end = heads[k + 1][0] if k < last else len(text)
        while i < len(at) and at[i] < start:
            i += 1
        mentions_goal = i < len(at) and at[i] < end
        if not mentions_goal:
            if name == "goal":  # a GIRP goal section headed "G:"
                if low is None:
                    low = fold(text)
            elif name != "plan":
                continue
            elif low is None:  # no goal words: fold this section alone to look
                if not _PLAN_ITEM.search(fold(text[start:end])):
                    continue
                low = fold(text)
            elif not _PLAN_ITEM.search(low, start, end):
                continue
        if low is None:  # not reached: a section is read only once the text is folded
            continue
        units = _note_units(low, text, ann, _Region(start, end, name, heading_end), mentions_goal)
        if not units:
            continue
        if client is None:
            client = _client_spans(ann)
        for unit in units:
            reading = _read(low, text, client, unit)
            if not reading.mandate_only:
                out.append(reading)
    return out


def _goal_words(low: str) -> list[int]:
    """Where "goal" and "objective" occur in the folded text, in order."""
    at: list[int] = []
    for word in ("goal", "objective"):
        i = low.find(word)
        while i != -1:
            at.append(i)
            i = low.find(word, i + 1)
    at.sort()
    return at


class _Lines:
    """The sentences of one note section, split line by line as they are asked for.

    A section is whole lines and no sentence spans a line break, so the sentences
    of each of its lines are the document's own sentences there; only the lines
    that goals and plan items are on are split."""

    __slots__ = ("_end", "_split", "_text")

    def __init__(self, text: str, end: int) -> None:
        self._text = text
        self._end = end
        self._split: dict[int, tuple[list[int], list[int], int]] = {}

    def line(self, line_start: int) -> tuple[list[int], list[int], int]:
        """The starts and the ends of the sentences on the line that starts at
        ``line_start`` (in order), and where the line ends."""
        split = self._split.get(line_start)
        if split is None:
            line_end = self._text.find("\n", line_start, self._end)
            if line_end == -1:
                line_end = self._end
            split = (*_line_sentences(self._text, line_start, line_end), line_end)
            self._split[line_start] = split
        return split

    def at(self, offset: int) -> tuple[int, int] | None:
        """The start and end of the sentence that holds ``offset``, if one does,
        as :meth:`Annotations.sentence_at` finds it."""
        starts, ends, _ = self.line(self._text.rfind("\n", 0, offset) + 1)
        i = bisect.bisect_right(starts, offset) - 1
        return (starts[i], ends[i]) if i >= 0 and offset < ends[i] else None

    def following(self, offset: int, limit: int) -> Iterator[tuple[int, int]]:
        """The sentences that start at or after ``offset`` (in the section) and end
        by ``limit``, in order, up to the first that ends after ``limit``."""
        line_start = self._text.rfind("\n", 0, offset) + 1
        starts, ends, line_end = self.line(line_start)
        i = bisect.bisect_left(starts, offset)
        while True:
            for j in range(i, len(starts)):
                if ends[j] > limit:
                    return
                yield starts[j], ends[j]
            if line_end >= self._end or line_end >= limit:
                return  # no sentence on a later line ends by the limit
            starts, ends, line_end = self.line(line_end + 1)
            i = 0


#: What may close a sentence after its last ".", "!" or "?" (see ``find_sentences``).
_CLOSING = ".!?\"'”’)]"


def _line_sentences(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """The starts and the ends of the sentences of the line ``[start, end)`` of
    ``text`` (no line break inside), in document coordinates, as the document's
    sentence split (``find_sentences``, which breaks at every line break) finds
    them. They are split here because no other built-in rule needs the sentences
    of a whole note.

    A line with no ".", "!" or "?" before the closing marks at its end is one
    sentence, the line without its surrounding white space: found without the
    split, as most goal lines are."""
    line = text[start:end]
    body = line.rstrip()
    core = body.rstrip(_CLOSING)
    if "." not in core and "!" not in core and "?" not in core:
        if not body:
            return [], []
        return [start + len(line) - len(line.lstrip())], [start + len(body)]
    spans = find_sentences(line)
    return [s.start + start for s in spans], [s.end + start for s in spans]


class _Region(NamedTuple):
    """A note section (``name`` None: a note without headings, or its title);
    ``heading_end`` is an offset in the document. (A named tuple: a note has a
    dozen sections and a tuple is several times cheaper to make than a frozen
    dataclass.)"""

    start: int
    end: int
    name: str | None
    heading_end: int = 0


def _regions(text: str, low: str | None = None) -> list[_Region]:
    """Section spans by heading; the whole text when the note has no headings."""
    heads = _headings(text, low)
    if not heads:
        return [_Region(0, len(text), None)]
    return [
        _Region(h, heads[i + 1][0] if i + 1 < len(heads) else len(text), name, h_end)
        for i, (h, h_end, name) in enumerate(heads)
    ]


def _headings(text: str, low: str | None) -> list[tuple[int, int, str]]:
    """``(line start, end, section name)`` of each heading line, in order.

    One search for heading lines (a known section word after a line break, then a
    colon or, after a markdown mark, the end of the line) rather than a Python loop
    over every line; the heading pattern starts with a literal line break, so the
    regular-expression engine skips to the line starts by itself. ``low``, the
    folded text when known, is searched with the faster case-sensitive pattern."""
    if low is not None and KELVIN not in text:
        text, first_pattern, next_pattern = low, _HEADING_FIRST_FOLDED, _HEADING_NEXT_FOLDED
    else:
        first_pattern, next_pattern = _HEADING_FIRST, _HEADING_NEXT
    heads: list[tuple[int, int, str]] = []
    first = first_pattern.match(text)
    found = next_pattern.finditer(text)
    for m in (first, *found) if first is not None else found:
        _, mark, written, colon = m.groups()
        end = m.end()
        line_start = m.start() if m.re is first_pattern else m.start() + 1
        if colon:
            # the colon must lie within 80 characters of the line start
            if end - line_start > 80 and not _may_be_heading(text, line_start):
                continue
        elif not (mark and _may_be_heading(text, line_start)):
            continue
        name = _SECTION_KEYS.get(written)
        if name is None:
            if len(written) > _NAME_MAX:  # a section word spread out with many spaces
                continue
            name = SECTION_NAMES.get(" ".join(written.lower().split()))
            if len(_SECTION_KEYS) < 512:
                _SECTION_KEYS[written] = name
        if name is not None:
            heads.append((line_start, end, name))
    return heads


def _may_be_heading(text: str, pos: int) -> bool:
    """A heading has a colon near the start of its line, or a markdown heading mark
    at the very start of the line."""
    return text.find(":", pos, pos + 80) != -1 or text.startswith("#", pos)


# --- finding goals in a note ----------------------------------------------------------


def _note_units(
    low: str, text: str, ann: Annotations, region: _Region, labels_possible: bool
) -> list[GoalUnit]:
    """The goals in one note section; ``low`` is the folded document, ``text`` the
    document (split into sentences only on the lines that are read: a label's
    line, and the lines after it or the section's lines only where a pre-check,
    :func:`_may_continue` or :func:`_may_hold_plan_items`, finds a continuation or
    a plan item may be there)."""
    lines = _Lines(text, region.end)
    if region.name == "goal":
        end = _rstrip(low, region.start, region.end)
        if end <= region.heading_end:
            return []
        return [
            GoalUnit(Span(region.start, end), _statement(low, lines.at, region.heading_end, end))
        ]
    units: list[GoalUnit] = []
    labels = (
        _unit_labels(
            [m for m in goal_labels(low, region.start, region.end) if _counts(m, low, ann, region)]
        )
        if labels_possible
        else []
    )
    taken: list[Span] = []
    for i, m in enumerate(labels):
        label_start, label_end = m.span()
        line_start = max(region.start, low.rfind("\n", 0, label_start) + 1)
        held = lines.at(label_start)  # the sentence the label is in
        if held is not None:
            first = Span(max(line_start, held[0]), max(held[1], label_end))
        else:
            first = Span(line_start, label_end)
        limit = labels[i + 1].start() if i + 1 < len(labels) else region.end
        if region.name is None:
            paragraph_end = low.find("\n\n", label_end, limit)
            limit = limit if paragraph_end == -1 else paragraph_end
        parts = [first]
        # the sentences after the first one, up to the limit (split only if one of
        # them may continue the goal)
        if _may_continue(low, first.end, limit):
            for start, end in lines.following(first.end, limit):
                if _CONTINUATION.match(low, start, end):
                    parts.append(Span(start, end))
        taken.extend(parts)
        units.append(
            GoalUnit(
                Span(first.start, parts[-1].end),
                _statement(low, lines.at, label_end, first.end),
                parts=tuple(parts),
                label=Span(label_start, label_end - 1),
            )
        )
    if region.name != "plan" or not _may_hold_plan_items(low, region.heading_end, region.end):
        return units
    # a sentence that starts with the client as subject holds that subject and
    # verb, so only the sentences where they occur are tried
    last: tuple[int, int] | None = None
    for hit in CLIENT_SUBJECT_ANYWHERE.finditer(low, region.heading_end, region.end):
        held = lines.at(hit.start())
        if held is None or held == last:
            continue
        last = held
        held_start, held_end = held
        if taken and any(t.overlaps(held_start, held_end) for t in taken):
            continue
        start = max(held_start, region.heading_end)
        if start < held_end and CLIENT_SUBJECT.match(low, start, held_end):
            item = Span(start, held_end)
            units.append(GoalUnit(item, item, labelled=False))
    return units


def _may_continue(low: str, offset: int, limit: int) -> bool:
    """False only if no sentence that starts at or after ``offset`` and ends by
    ``limit`` continues a goal (see :func:`_may_start`)."""
    return _may_start(_CONTINUATION_AT, _CONTINUATION_AFTER, low, offset, limit)


def _may_hold_plan_items(low: str, offset: int, limit: int) -> bool:
    """False only if no sentence that ends by ``limit`` starts, or from ``offset``
    on reads, with the client as subject (see :func:`_may_start`)."""
    return _may_start(_PLAN_ITEM_AT, _PLAN_ITEM_AFTER, low, offset, limit)


def _may_start(
    at: re.Pattern[str],
    after: tuple[re.Pattern[str], re.Pattern[str]],
    low: str,
    offset: int,
    limit: int,
) -> bool:
    """False only if no sentence in ``low`` that ends by ``limit`` matches a
    pattern from where it starts, or from ``offset`` when it starts before it:
    ``at`` is the pattern after white space, ``after`` the pattern after a line
    break and after a sentence end. Found without splitting into sentences, at
    more places than sentences start at (see the note above ``_LINE_START``)."""
    if at.match(low, offset, limit):
        return True
    line_start, sentence_end = after
    return bool(line_start.search(low, offset, limit) or sentence_end.search(low, offset, limit))


def _unit_labels(labels: list[re.Match[str]]) -> list[re.Match[str]]:
    """The labels that start a goal in one section: every "Goal" label, and an
    "Objective" label only when no goal label before it owns it."""
    out: list[re.Match[str]] = []
    for m in labels:
        if m.group("word") == "objective" and out:
            continue
        out.append(m)
    return out


def _counts(m: re.Match[str], text: str, ann: Annotations, region: _Region) -> bool:
    """Whether a goal label in a note section starts a goal statement."""
    if m.start() < region.heading_end:
        return False  # the section heading itself ("Objective:" in a SOAP note)
    if ann.in_client_words(m.start(), m.end()):
        return False
    if region.name is None or region.name in _GOAL_SECTIONS:
        return True
    if m.group("word") != "goal":
        return False
    line_start = text.rfind("\n", 0, m.start()) + 1
    return bool(_TREATMENT_PLAN_LABEL.search(text, max(line_start, m.start() - 40), m.end()))


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _leading_label(text: str, start: int, end: int) -> re.Match[str] | None:
    """A goal label that opens the text at ``start`` ("Long-term goal:")."""
    while start < end and text[start] in " \t\n\r":
        start += 1
    stop = min(end, start + 80)
    if text.find("goal", start, stop) == -1 and text.find("objective", start, stop) == -1:
        return None  # a label holds one of the two words (found faster than a search)
    label = GOAL_LABEL.search(text, start, stop)
    if label is None or _BREAK.search(text, start, label.start()):
        return None
    return label


def _statement(
    text: str, sentence_at: Callable[[int], tuple[int, int] | None], body_start: int, end: int
) -> Span:
    """The first sentence of a goal's body (after its label), for reporting;
    ``sentence_at`` gives the bounds of the sentence that holds an offset."""
    start = body_start
    while start < end and text[start] in " \t\n\r":
        start += 1
    label = _leading_label(text, start, end)
    if label is not None:
        start = label.end()
        while start < end and text[start] in " \t\n\r":
            start += 1
    if start >= end:
        return Span(body_start, end)
    sentence = sentence_at(start)
    stop = min(sentence[1], end) if sentence is not None else end
    while stop > start and text[stop - 1] in ".;: \t":
        stop -= 1
    return Span(start, max(stop, start + 1))


# --- reading one goal -----------------------------------------------------------------


def _read(text: str, original: str, client: _ClientSpans, unit: GoalUnit) -> UnitReading:
    """Read one goal (``text`` is folded, ``original`` the document as written;
    ``client`` the spans of the client's quoted words). Phrase lists that no rule
    needs for this goal are not reported (for example the values link when the
    client's voice is there), so their fields stay empty; structured facts applied
    afterwards can only add voice or measurability."""
    statement = unit.statement
    r = UnitReading(unit, report=statement)
    if client and client.touches(statement.start, statement.end):
        r.rewritable = False
        if unit.label is not None:
            r.report = unit.label
    parts = unit.pieces()
    mandates: list[Span] = []
    for p in parts:
        if _MANDATE_HINT.search(text, p.start, p.end):
            around = _sentences_over(original, parts)
            mandate = group("mandate")
            mandates = [
                s
                for s in around
                if mandate.search(text, s.start, s.end)
                and not _COMPLIANCE_WITH.search(text, s.start, s.end)
            ]
            if mandates and len(mandates) == len(around):
                r.mandate_only = True
                return r
            break
    if not unit.labelled:
        # a plan item ("Pt must not drive until cleared") may be a safety instruction;
        # only compliance framing is reported there, not modal verbs alone
        directive = group("directive").finditer
        r.directive = [
            d
            for d in _outside(
                [m.span() for p in parts for m in directive(text, p.start, p.end)],
                client,
                mandates,
            )
            if not _MODAL.match(text, d.start, d.end)
        ]
        return r
    found = _phrase_matches(text, parts)
    get = found.get
    r.directive = _outside(get("directive"), client, mandates)
    r.client_quoted = bool(client) and any(client.touches(p.start, p.end) for p in parts)
    r.client_voice = r.client_quoted or "voice" in found
    r.avoidance = _outside(get("avoidance"), client, mandates)
    if r.avoidance:
        r.approach = "approach" in found
    if not r.client_voice:
        r.values_link = "values" in found
        r.intervention = _outside(get("intervention"), client, mandates)
    r.has_timeframe, r.has_target = _measurability(
        text[parts[0].start : parts[0].end]
        if len(parts) == 1
        else " ".join(text[p.start : p.end] for p in parts)
    )
    if not (r.has_timeframe and r.has_target):
        r.vague = _outside(get("vague"), client, mandates)
    return r


def _sentences_over(text: str, parts: tuple[Span, ...]) -> list[Span]:
    """The document's sentences that overlap ``parts`` (in order, each once): the
    lines the parts are on are split, as no sentence spans a line break."""
    out: list[Span] = []
    line_end = -1
    for p in parts:
        if p.start <= line_end and p.end <= line_end:
            continue  # on lines already split
        line_start = max(text.rfind("\n", 0, p.start) + 1, line_end + 1)
        found = text.find("\n", p.end)
        line_end = len(text) if found == -1 else found
        out.extend(
            Span(s.start + line_start, s.end + line_start)
            for s in find_sentences(text[line_start:line_end])
        )
    return [s for s in out if any(s.overlaps(p.start, p.end) for p in parts)]


def _phrase_matches(text: str, parts: tuple[Span, ...]) -> dict[str, list[tuple[int, int]]]:
    """Per phrase group that matches in the goal's parts, its matches, as the
    group's ``finditer`` over each part finds them.

    One scan finds where a phrase may start (where a phrase's lead word stands and
    the rest of the phrase follows it, checked by the regular-expression engine),
    and at each position only the groups that may match there (by the words they
    start with) are tried, each from the end of its own last match on."""
    found: dict[str, list[tuple[int, int]]] = {}
    starts, _, tries = phrase_starts()
    scan = starts.finditer
    for p in parts:
        end = p.end
        covered: dict[str, int] = {}  # per group, where its last match ends
        for m in scan(text, p.start, end):
            at = m.start()
            for name, match in tries[m.group()]:
                if at < covered.get(name, at):
                    continue
                hit = match(text, at, end)
                if hit is None:
                    continue
                span = hit.span()
                covered[name] = span[1]
                spans = found.get(name)
                if spans is None:
                    found[name] = [span]
                else:
                    spans.append(span)
    return found


def _outside(
    spans: list[tuple[int, int]] | None, client: _ClientSpans, mandates: list[Span]
) -> list[Span]:
    """The ``spans`` outside the client's words and mandate sentences."""
    if not spans:
        return []
    return [
        Span(start, end)
        for start, end in spans
        if not (client and client.touches(start, end))
        and not (mandates and any(sent.contains(start, end) for sent in mandates))
    ]


def _measurability(chunk: str) -> tuple[bool, bool]:
    """``(has_timeframe, has_target)`` for the goal text ``chunk``.

    Goal labels ("Goal 2:") and timeframes are blanked before looking for a target,
    so a date or a label number is not mistaken for one."""
    blanks = [m.span() for m in goal_labels(chunk)]
    timeframes = find_timeframes(chunk)
    if timeframes:
        blanks += timeframes
        blanks.sort()
    elif not blanks:
        return False, has_target(chunk)
    if has_frequency(chunk) or len(timeframes) > 1:
        # a frequency is a target; so is a plan of steps, each with its own date
        return bool(timeframes), True
    pieces: list[str] = []
    pos = 0
    for a, b in blanks:
        if a > pos:
            pieces.append(chunk[pos:a])
        if b > pos:
            pieces.append(" " * (b - max(a, pos)))
            pos = b
    pieces.append(chunk[pos:])
    return bool(timeframes), has_target("".join(pieces))


def _apply_facts(r: UnitReading, facts: Mapping[str, Any]) -> None:
    """Structured FHIR Goal facts count alongside what the text says."""
    if facts.get("goal.expressed_by_patient") is True:
        r.client_voice = True
    if facts.get("goal.has_target") is True:
        r.has_target = True
    if facts.get("goal.has_due") is True:
        r.has_timeframe = True
