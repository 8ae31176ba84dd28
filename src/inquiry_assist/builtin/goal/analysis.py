"""Find the goal statements in a document and read what each one says.

Computed once per document (cached in ``Context.cache`` under the plugin's name,
``"goal"``) and shared by the six goal rules. It reads the document's shared
quotes (computed lazily once for all rules) and splits into sentences only the few
sections that state goals (no other built-in rule needs a whole note's sentences);
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
alternation run over a goal's span.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ...annotations import SECTION_NAMES, Annotations, Span, find_sentences
from ...model import Document
from ...rules import Context
from .phrases import (
    CLIENT_SUBJECT,
    CLIENT_SUBJECT_ANYWHERE,
    GOAL_LABEL,
    PHRASE_STARTS,
    START_GROUPS,
    find_timeframes,
    fold,
    goal_labels,
    group,
    has_target,
)

__all__ = ["GoalUnit", "UnitReading", "analyse", "readings"]

_CACHE_KEY = "goal"  # the plugin's name, as ctx.cache asks
_GOAL_SECTIONS = frozenset({"plan", "goal"})
_TREATMENT_PLAN_LABEL = re.compile(r"\b(?:treatment|plan|team|care)\b")
#: A sentence after a labelled goal that is still about that goal (its objective,
#: target, steps, the client's choices, its review), rather than another plan item.
_CONTINUATION = re.compile(
    r"\W{0,3}(?:objectives?|targets?|measures?|measured|steps?|step\s*\d+|short[- ]term|"
    r"long[- ]term|time\s*frame|aim(?:ing|s)?|tracked|progress|plan\s+agreed|together|"
    r"we\s+(?:agreed|defined|set|chose)|by\s|within\s|"
    r"review(?:ed)?\s+(?:progress|the\s+goal|together|in|at|on|every|weekly|monthly)|"
    r"(?:the\s+)?[\w'’-]+\s+(?:chose|picked|selected|agreed|set|decided|wrote|rated|"
    r"will\s+(?:track|log|rate|record)))",
)
_MODAL = re.compile(r"(?:must|shall|(?:\w+\s+)?needs?\s+to|(?:is|are|will\s+be|remains?)\s)")
#: Words without which no sentence is a legal mandate (a cheap pre-check).
_MANDATE_HINT = re.compile(r"court|probation|parole|judge|legal|mandat|condition of|required by")
_BREAK = re.compile(r"[.!?\n\"“]")
#: A possible "Client will ..." plan item, searched in the lower-cased note.
_PLAN_ITEM = re.compile(
    r"\b(?:client|patient|pt|resident|student|member|youth|consumer) "
    r"(?:will|must|shall|needs to|is required to|is expected to)\b"
)
#: A section heading line, as the shared annotations define one: indentation, an
#: optional markdown mark, a known section word (``SECTION_NAMES``, any case, any
#: spacing), an optional parenthesis, then a colon or (after a mark) the line end.
_NAME_MAX = 25
_HEADING_BODY = (
    r"(?P<indent>[ \t]*)(?P<mark>\#{1,6}[ \t]*)?(?:\*\*)?(?P<name>"
    + "|".join(sorted((k.replace(" ", " +") for k in SECTION_NAMES), key=len, reverse=True))
    + r")[ ]*(?:\*\*)?[ \t]*(?:\([^)\n]{0,40}\))?[ \t]*(?:(?P<colon>:)|(?=\n)|\Z)"
)
#: section words as written (any case and spacing) -> normalised name, filled as met
_SECTION_KEYS: dict[str, str | None] = {}
_HEADING_FIRST = re.compile(_HEADING_BODY, re.ASCII | re.IGNORECASE)
#: the same after a line break: the literal first character lets the engine jump
#: from line to line
_HEADING_NEXT = re.compile("\n" + _HEADING_BODY, re.ASCII | re.IGNORECASE)


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
        _statement(text, ann.sentences, 0, len(text)),
        label=Span(label.start(), label.end() - 1) if label else None,
    )
    reading = _read(text, ann.sentences, _client_spans(ann), unit)
    _apply_facts(reading, document.facts)
    return [] if reading.mandate_only else [reading]


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
    goal or objective, or hold a "Client will ..." plan item, are read (and split
    into sentences), so the goal rules cost little on notes that state no goals.
    The text is lower-cased once (only when it can hold a goal), and the client's
    words are the document's shared quotes."""
    low: str | None = None
    if text.isascii():  # lower-casing ASCII text is cheap
        low = text.lower()
        goal_words = "goal" in low or "objective" in low
    else:  # ASCII-only lower-casing of the UTF-8 bytes finds the same two words
        raw = text.encode("utf-8").lower()
        goal_words = b"goal" in raw or b"objective" in raw
        if goal_words:
            low = fold(text)
    if not goal_words and ":" not in text and "#" not in text:
        return []  # no goal words and no headings, so no Plan section either
    regions = _regions(text)
    if not goal_words and all(r.name != "plan" for r in regions):
        return []
    at = _goal_words(low) if low is not None and goal_words else []
    out: list[UnitReading] = []
    client: _ClientSpans | None = None
    for region in regions:
        start, end = region.start, region.end
        i = bisect.bisect_left(at, start)
        mentions_goal = i < len(at) and at[i] < end
        if not mentions_goal:
            if region.name != "plan":
                continue
            if low is None:  # no goal words: fold this section alone to look
                if not _PLAN_ITEM.search(fold(text[start:end])):
                    continue
                low = fold(text)
            elif not _PLAN_ITEM.search(low, start, end):
                continue
        if low is None:  # not reached: a section is read only once the text is folded
            continue
        if client is None:
            client = _client_spans(ann)
        sentences = _sentences_of(text, start, end)
        for unit in _note_units(low, ann, sentences, region, mentions_goal):
            reading = _read(low, sentences, client, unit)
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


def _sentences_of(text: str, start: int, end: int) -> list[Span]:
    """The sentences of the section ``[start, end)``, in document coordinates.

    A section starts a line, so the document's sentence split breaks there too and
    these are the document's own sentences in the section; they are split here
    because no other built-in rule needs the sentences of a whole note, and only
    the few sections that state goals are split."""
    return [Span(s.start + start, s.end + start) for s in find_sentences(text[start:end])]


def _sentence_at(sentences: list[Span], offset: int) -> Span | None:
    """The sentence of ``sentences`` (in order) that contains ``offset``, as
    :meth:`Annotations.sentence_at` answers it."""
    i = bisect.bisect_right(sentences, offset, key=_start) - 1
    if i >= 0 and sentences[i].start <= offset < max(sentences[i].end, sentences[i].start + 1):
        return sentences[i]
    return None


def _start(span: Span) -> int:
    return span.start


class _Region(NamedTuple):
    """A note section (``name`` None: a note without headings, or its title);
    ``heading_end`` is an offset in the document. (A named tuple: a note has a
    dozen sections and a tuple is several times cheaper to make than a frozen
    dataclass.)"""

    start: int
    end: int
    name: str | None
    heading_end: int = 0


def _regions(text: str) -> list[_Region]:
    """Section spans by heading; the whole text when the note has no headings.

    One search for heading lines (a known section word after a line break, then a
    colon or, after a markdown mark, the end of the line) rather than a Python loop
    over every line; the heading pattern starts with a literal line break, so the
    regular-expression engine skips to the line starts by itself."""
    heads: list[tuple[int, int, str]] = []
    first = _HEADING_FIRST.match(text)
    found = _HEADING_NEXT.finditer(text)
    for m in (first, *found) if first is not None else found:
        _, mark, written, colon = m.groups()
        end = m.end()
        line_start = m.start() if m.re is _HEADING_FIRST else m.start() + 1
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
    if not heads:
        return [_Region(0, len(text), None)]
    return [
        _Region(h, heads[i + 1][0] if i + 1 < len(heads) else len(text), name, h_end)
        for i, (h, h_end, name) in enumerate(heads)
    ]


def _may_be_heading(text: str, pos: int) -> bool:
    """A heading has a colon near the start of its line, or a markdown heading mark
    at the very start of the line."""
    return text.find(":", pos, pos + 80) != -1 or text.startswith("#", pos)


# --- finding goals in a note ----------------------------------------------------------


def _note_units(
    text: str, ann: Annotations, sentences: list[Span], region: _Region, labels_possible: bool
) -> Iterator[GoalUnit]:
    """The goals in one note section; ``text`` is the folded document and
    ``sentences`` the section's sentences."""
    if region.name == "goal":
        end = _rstrip(text, region.start, region.end)
        if end > region.heading_end:
            yield GoalUnit(
                Span(region.start, end), _statement(text, sentences, region.heading_end, end)
            )
        return
    taken: list[Span] = []
    labels = (
        _unit_labels(
            [
                m
                for m in goal_labels(text, region.start, region.end)
                if _counts(m, text, ann, region)
            ]
        )
        if labels_possible
        else []
    )
    for i, m in enumerate(labels):
        line_start = max(region.start, text.rfind("\n", 0, m.start()) + 1)
        first = _sentence_at(sentences, m.start()) or Span(line_start, m.end())
        first = Span(max(line_start, first.start), max(first.end, m.end()))
        limit = labels[i + 1].start() if i + 1 < len(labels) else region.end
        if region.name is None:
            paragraph_end = text.find("\n\n", m.end(), limit)
            limit = limit if paragraph_end == -1 else paragraph_end
        parts = [first]
        # the sentences after the first one, up to the limit (they are in order)
        for j in range(bisect.bisect_left(sentences, first.end, key=_start), len(sentences)):
            sentence = sentences[j]
            if sentence.end > limit:
                break
            if _CONTINUATION.match(text, sentence.start, sentence.end):
                parts.append(sentence)
        taken.extend(parts)
        yield GoalUnit(
            Span(first.start, parts[-1].end),
            _statement(text, sentences, m.end(), first.end),
            parts=tuple(parts),
            label=Span(m.start(), m.end() - 1),
        )
    if region.name != "plan":
        return
    # a sentence that starts with the client as subject holds that subject and
    # verb, so only the sentences where they occur are tried
    last: Span | None = None
    for hit in CLIENT_SUBJECT_ANYWHERE.finditer(text, region.heading_end, region.end):
        held = _sentence_at(sentences, hit.start())
        if held is None or held is last:
            continue
        last = held
        if taken and any(t.overlaps(held.start, held.end) for t in taken):
            continue
        start = max(held.start, region.heading_end)
        if start < held.end and CLIENT_SUBJECT.match(text, start, held.end):
            item = Span(start, held.end)
            yield GoalUnit(item, item, labelled=False)


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


def _statement(text: str, sentences: list[Span], body_start: int, end: int) -> Span:
    """The first sentence of a goal's body (after its label), for reporting."""
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
    sentence = _sentence_at(sentences, start)
    stop = min(sentence.end, end) if sentence is not None else end
    while stop > start and text[stop - 1] in ".;: \t":
        stop -= 1
    return Span(start, max(stop, start + 1))


# --- reading one goal -----------------------------------------------------------------


def _read(text: str, sentences: list[Span], client: _ClientSpans, unit: GoalUnit) -> UnitReading:
    """Read one goal (``text`` is folded; ``sentences`` are those around the goal;
    ``client`` the spans of the client's quoted words). Phrase lists that no rule
    needs for this goal are skipped (for example the values link when the client's
    voice is there), so their fields stay empty; structured facts applied
    afterwards can only add voice or measurability."""
    r = UnitReading(unit, report=unit.statement)
    if client and client.touches(unit.statement.start, unit.statement.end):
        r.rewritable = False
        if unit.label is not None:
            r.report = unit.label
    parts = unit.pieces()
    mandates: list[Span] = []
    if any(_MANDATE_HINT.search(text, p.start, p.end) for p in parts):
        around = [s for s in sentences if any(s.overlaps(p.start, p.end) for p in parts)]
        mandate = group("mandate")
        mandates = [s for s in around if mandate.search(text, s.start, s.end)]
        if mandates and len(mandates) == len(around):
            r.mandate_only = True
            return r
    if not unit.labelled:
        # a plan item ("Pt must not drive until cleared") may be a safety instruction;
        # only compliance framing is reported there, not modal verbs alone
        directive = group("directive")
        own = [
            (p.end, [(m.start(), _DIRECTIVE) for m in directive.finditer(text, p.start, p.end)])
            for p in parts
        ]
        r.directive = [
            d
            for d in _matches("directive", text, client, own, mandates)
            if not _MODAL.match(text, d.start, d.end)
        ]
        return r
    # where each phrase group may match, per part: one scan finds the positions
    # and the groups that may match at each; a group is tried only at its own
    starts = _phrase_starts(text, parts)
    r.directive = _matches("directive", text, client, starts, mandates)
    r.client_quoted = any(client.touches(p.start, p.end) for p in parts)
    r.client_voice = r.client_quoted or _any("voice", text, starts)
    r.avoidance = _matches("avoidance", text, client, starts, mandates)
    if r.avoidance:
        r.approach = _any("approach", text, starts)
    if not r.client_voice:
        r.values_link = _any("values", text, starts)
        r.intervention = _matches("intervention", text, client, starts, mandates)
    r.has_timeframe, r.has_target = _measurability(
        text[parts[0].start : parts[0].end]
        if len(parts) == 1
        else " ".join(text[p.start : p.end] for p in parts)
    )
    if not (r.has_timeframe and r.has_target):
        r.vague = _matches("vague", text, client, starts, mandates)
    return r


#: per part of a goal: the part's end, and where a phrase may start in it with the
#: names of the groups that may match there
_Starts = list[tuple[int, list[tuple[int, frozenset[str]]]]]
_DIRECTIVE = frozenset({"directive"})


def _phrase_starts(text: str, parts: tuple[Span, ...]) -> _Starts:
    """Per part of a goal, the positions where some phrase group may match, each
    with the groups that may (every position where a group matches is among its
    own)."""
    return [
        (
            p.end,
            [
                (m.start(), START_GROUPS[m.group()])
                for m in PHRASE_STARTS.finditer(text, p.start, p.end)
            ],
        )
        for p in parts
    ]


def _any(name: str, text: str, starts: _Starts) -> bool:
    """Whether phrase group ``name`` matches anywhere in the goal."""
    match = group(name).match
    return any(
        match(text, at, end) is not None
        for end, ats in starts
        for at, names in ats
        if name in names
    )


def _matches(
    name: str,
    text: str,
    client: _ClientSpans,
    starts: _Starts,
    mandates: list[Span],
) -> list[Span]:
    """Matches of a phrase group outside the client's words and mandate sentences,
    as the group's ``finditer`` over each part would find them."""
    found: list[Span] = []
    match = group(name).match
    for end, ats in starts:
        covered = -1
        for at, names in ats:
            if at < covered or name not in names:
                continue
            m = match(text, at, end)
            if m is None:
                continue
            ms, me = m.span()
            covered = me
            if client and client.touches(ms, me):
                continue
            if mandates and any(sent.contains(ms, me) for sent in mandates):
                continue
            found.append(Span(ms, me))
    return found


def _measurability(chunk: str) -> tuple[bool, bool]:
    """``(has_timeframe, has_target)`` for the goal text ``chunk``.

    Goal labels ("Goal 2:") and timeframes are blanked before looking for a target,
    so a date or a label number is not mistaken for one."""
    blanks = [m.span() for m in goal_labels(chunk)]
    timeframes = find_timeframes(chunk)
    if not timeframes and not blanks:
        return False, has_target(chunk)
    pieces: list[str] = []
    pos = 0
    for a, b in sorted(blanks + timeframes):
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
