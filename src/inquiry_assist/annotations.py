"""Shared annotations, computed once per document and read by every rule.

Rules ask; they do not recompute. Everything here works on code-point offsets of
``Document.text`` and is linear in the length of the text (no nested quantifiers
over unbounded input), so pathological input cannot make it hang.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

__all__ = [
    "Annotations",
    "Quote",
    "Section",
    "Span",
    "annotate",
    "find_negations",
    "find_quotes",
    "find_sections",
    "find_sentences",
    "lower_keeping_offsets",
]


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The ``__set__`` of a slot: assigns to a frozen instance (in ``__init__``)."""
    setter: Callable[[Any, Any], None] = vars(cls)[name].__set__
    return setter


@dataclass(frozen=True, slots=True, init=False)
class Span:
    """A half-open range ``[start, end)`` of code points."""

    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        # the same as the generated frozen ``__init__``, through the slot descriptors
        # directly (a third cheaper: every annotation builds many spans)
        _set_start(self, start)
        _set_end(self, end)

    def contains(self, start: int, end: int | None = None) -> bool:
        end = start if end is None else end
        return self.start <= start and end <= self.end

    def overlaps(self, start: int, end: int) -> bool:
        return start < self.end and self.start < end


_set_start = _slot_setter(Span, "start")
_set_end = _slot_setter(Span, "end")


@dataclass(frozen=True, slots=True, init=False)
class Section(Span):
    """A note section: ``name`` is normalised (``subjective``, ``plan``, ...);
    ``heading`` is the span of the heading itself."""

    name: str
    heading: Span

    def __init__(self, start: int, end: int, name: str, heading: Span) -> None:
        _set_start(self, start)
        _set_end(self, end)
        _set_name(self, name)
        _set_heading(self, heading)


_set_name = _slot_setter(Section, "name")
_set_heading = _slot_setter(Section, "heading")


QuoteRole = Literal["client", "scare"]


@dataclass(frozen=True, slots=True, init=False)
class Quote(Span):
    """Quoted words. ``start``/``end`` include the quotation marks; ``inner``
    excludes them. ``role`` is ``client`` for the client's own (or reported)
    words, ``scare`` for a short fragment the clinician put in quotes inside their
    own sentence (a credibility signal), as classified by :func:`find_quotes`.
    ``marked`` is false for an unquoted "Client stated: ..." span."""

    inner: Span
    role: QuoteRole
    marked: bool = True

    def __init__(
        self, start: int, end: int, inner: Span, role: QuoteRole, marked: bool = True
    ) -> None:
        _set_start(self, start)
        _set_end(self, end)
        _set_inner(self, inner)
        _set_role(self, role)
        _set_marked(self, marked)


_set_inner = _slot_setter(Quote, "inner")
_set_role = _slot_setter(Quote, "role")
_set_marked = _slot_setter(Quote, "marked")


def lower_keeping_offsets(text: str) -> str:
    """``text`` lower-cased code point by code point, so that every offset stays
    valid: a character whose lower case is longer ("İ") is kept as it is."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# --- sentences ---------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "mx",
        "pt",
        "pts",
        "st",
        "vs",
        "etc",
        "eg",
        "ie",
        "approx",
        "appt",
        "dept",
        "hx",
        "dx",
        "tx",
        "rx",
        "sx",
        "fx",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "min",
        "mins",
        "hr",
        "hrs",
        "wk",
        "wks",
        "yr",
        "yrs",
        "a.m",
        "p.m",
        "e.g",
        "i.e",
    ]
)
#: the end of a sentence: a run of terminators (and closing quotes or brackets) followed
#: by white space. It is searched in a copy of the text in which ``!`` and ``?`` are
#: replaced by ``.`` (the same offsets, and the same matches as
#: ``[.!?][.!?"'”’)\]]*(?=\s|\Z)`` in the text), so that the pattern starts with a
#: literal, which the ``re`` engine finds with a fast character search.
_SENTENCE_END = re.compile(r"\.[.\"'”’)\]]*(?=\s|\Z)")
#: the last two letters of each abbreviation. A word whose lower case is an
#: abbreviation lowers letter by letter (lower() never shortens a string), so its
#: last two characters lower to one of these.
_ABBREVIATION_TAILS = frozenset(a[-2:] for a in _ABBREVIATIONS)


def find_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentence spans (line breaks also end a sentence).

    A run of ``.``, ``!`` or ``?`` (with closing quotes or brackets) ends a sentence
    when white space follows, except after an abbreviation (``Dr.``, ``pt.``,
    ``e.g.``) or an initial (``J. Smith``). One regex pass over the whole text finds
    the candidate ends (none spans a line break); line breaks are found with
    ``str.find`` as the scan passes them."""
    scan = text
    if "!" in scan:
        scan = scan.replace("!", ".")
    if "?" in scan:
        scan = scan.replace("?", ".")
    spans: list[Span] = []
    append = spans.append
    start = 0  # where the current sentence (before trimming) starts
    newline = text.find("\n")
    for m in _SENTENCE_END.finditer(scan):
        at, end = m.span()
        while newline != -1 and newline < at:
            _add_trimmed(text, spans, start, newline)
            start = newline + 1
            newline = text.find("\n", start)
        if (
            end - at == 1
            and text[at] == "."
            and at
            # a cheap necessary condition first: an initial is a capital, and an
            # abbreviation ends in one of their last two letters (case-insensitive)
            and (text[at - 1].isupper() or text[at - 2 : at].lower() in _ABBREVIATION_TAILS)
        ):
            word = text[max(text.rfind(" ", start, at) + 1, start) : at]
            if (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS:
                continue  # "Dr.", "pt.", "e.g.", an initial ("J. Smith")
        # [start, end) ends with a terminator: only its leading white space is trimmed
        first = start
        while text[first].isspace():
            first += 1
        append(Span(first, end))
        start = end
    while newline != -1:
        _add_trimmed(text, spans, start, newline)
        start = newline + 1
        newline = text.find("\n", start)
    _add_trimmed(text, spans, start, len(text))
    return spans


def _add_trimmed(text: str, spans: list[Span], start: int, end: int) -> None:
    segment = text[start:end]
    stripped = segment.strip()
    if stripped:
        lead = len(segment) - len(segment.lstrip())
        spans.append(Span(start + lead, start + lead + len(stripped)))


# --- sections ----------------------------------------------------------------------

_SECTION_NAMES: dict[str, str] = {
    "s": "subjective",
    "subjective": "subjective",
    "o": "objective",
    "objective": "objective",
    "a": "assessment",
    "assessment": "assessment",
    "p": "plan",
    "plan": "plan",
    "plan of care": "plan",
    "treatment plan": "plan",
    "d": "data",
    "data": "data",
    "b": "behavior",
    "behavior": "behavior",
    "behaviour": "behavior",
    "i": "intervention",
    "intervention": "intervention",
    "interventions": "intervention",
    "r": "response",
    "response": "response",
    "g": "goal",
    "goal": "goal",
    "goals": "goal",
    "mse": "mental-status",
    "mental status": "mental-status",
    "mental status exam": "mental-status",
    "risk": "risk",
    "risk assessment": "risk",
    "history": "history",
    "chief complaint": "subjective",
    "cc": "subjective",
}
#: Heading words (lower-cased) mapped to normalised section names; public for rules
#: that need to recognise section labels inline.
SECTION_NAMES: dict[str, str] = _SECTION_NAMES

#: A heading: the shortest name of letters and spaces (at most 25 characters, checked
#: after the match) that the rest fits: optional ``**``, blanks, a parenthesis, and a
#: colon or the end of the line. Neither a letter nor a space can start the rest, so
#: that name is the run of letters and spaces there without its trailing spaces, or
#: with them when ``**`` follows (the rest must take the ``**`` before the blanks):
#: taken possessively, in one step, rather than by trying every shorter name first.
_HEADING = re.compile(
    r"[ \t]*(?:\#{1,6}[ \t]*)?(?:\*\*)?"
    r"(?P<name>[A-Za-z](?:[ ]*[A-Za-z])*+(?:[ ]++(?=\*\*))?)(?:\*\*)?"
    r"[ \t]*(?:\([^)\n]{0,40}\))?[ \t]*(?P<end>:|\n|$)"
)
_LONGEST_HEADING = 25


def find_sections(text: str) -> list[Section]:
    """Find SOAP, DAP, BIRP and GIRP sections (``S:``, ``Plan:``, ``## Assessment``).

    A heading starts a line and is a known section word followed by a colon, or a
    markdown heading (``## Plan``) alone on its line. One anchored attempt per line
    that could hold a heading."""
    heads: list[tuple[int, int, str]] = []
    pos = 0
    n = len(text)
    while pos < n:
        newline = text.find("\n", pos)
        line_end = n if newline == -1 else newline
        colon = text.find(":", pos, min(line_end, pos + 60))
        hashed = text.startswith("#", pos) or text.startswith("#", pos + 1)
        if colon != -1 or hashed:
            head = _heading(text, pos, line_end)
            if head is not None:
                heads.append(head)
        pos = line_end + 1
    sections: list[Section] = []
    for i, (h_start, h_end, name) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else n
        sections.append(Section(h_start, end, name, Span(h_start, h_end)))
    return sections


def _heading(text: str, pos: int, line_end: int) -> tuple[int, int, str] | None:
    """The heading at the start of the line ``[pos, line_end)``, if any: its start,
    end and normalised section name."""
    m = _HEADING.match(text, pos, line_end)
    if m is None:
        return None
    name_start, name_end = m.span("name")
    if name_end - name_start > _LONGEST_HEADING or (
        m.group("end") != ":" and "#" not in text[pos:name_start]
    ):
        return None
    key = text[name_start:name_end].lower()
    name = _SECTION_NAMES.get(" ".join(key.split()) if " " in key else key)
    if name is None:
        return None
    start = pos  # the heading starts after the match's leading [ \t]*
    while text[start] in " \t":
        start += 1
    return start, m.end(), name


# --- quotes ------------------------------------------------------------------------

_PAIRS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u2018": "\u2019"}
#: the quotation marks besides '"'
_OTHER_QUOTE_MARKS = "'\u201c\u201d\u00ab\u00bb\u2018\u2019"
_SINGLE_QUOTE_SPAN = 60  # straight single quotes pair only over a short fragment
_START_END = operator.attrgetter("start", "end")
_SPEECH_VERBS = (
    r"said|says|say|stated|states|state|reported|reports|report|shared|shares|described|describes|"
    r"explained|explains|noted|notes|told|tells|added|adds|asked|asks|wrote|writes|replied|"
    r"replies|called|calls|call|named|names|labelled|labeled|put it|puts it|expressed|expresses|"
    r"endorsed|endorses|disclosed|discloses|mentioned|mentions|recalled|recalls|remarked|"
    r"commented|exclaimed|insisted|identified|identifies|word|words|terms|quote|quoted|"
    r"as|feeling|feels|felt|like|prefers|preferred|prefer|saying|answered|answers|responded|"
    r"responds|whispered|shouted|yelled|screamed|typed|texted|messaged"
)
_SPEECH_WORDS = frozenset(v for v in _SPEECH_VERBS.split("|") if " " not in v)
_SPEECH_PAIRS = frozenset(tuple(v.split(" ")) for v in _SPEECH_VERBS.split("|") if " " in v)
_WORDS = re.compile(r"\w+")
_ATTRIBUTION_AFTER = re.compile(
    r"[,.!?]?\s*(?:\w+\s+){0,3}?(?:said|says|stated|states|shared|shares|reported|explained|"
    r"added|wrote|asked|replied|told)\b",
    re.IGNORECASE,
)
#: Speech verbs of the unquoted "Client stated: ..." form (see :func:`find_quotes`).
SAID_VERBS = (
    "stated",
    "states",
    "said",
    "says",
    "reported",
    "reports",
    "shared",
    "shares",
    "described",
    "describes",
    "explained",
)
_CLIENT_SAID = re.compile(
    r"\b(?:client|patient|pt|student|resident|member|he|she|they)\s+"
    r"(?:" + "|".join(SAID_VERBS) + r")\s*$",
    re.IGNORECASE,
)
_SAID_END = re.compile(r"[.!?](?=\s)|\n")


def _client_said(text: str) -> list[tuple[int, int]]:
    """Unquoted ``Client stated: ...`` spans, from after the colon to the end of the
    sentence. Only colons are visited, each with a short look back, and the sentence
    end found for one colon is reused by the next (linear overall)."""
    spans: list[tuple[int, int]] = []
    stop: re.Match[str] | None = None
    exhausted = False
    colon = text.find(":")
    while colon != -1:
        # every verb ends in "d" or "s", and only "dDsS" lower-case to a string that
        # does: most colons (headings, "Plan:") are passed over on one character
        last = text[colon - 1] if colon else "d"
        if (
            (last in "dsDS" or last.isspace())
            and text[max(0, colon - 12) : colon].rstrip().lower().endswith(SAID_VERBS)
            and _CLIENT_SAID.search(text, max(0, colon - 40), colon)
        ):
            start = colon + 1
            while start < len(text) and text[start] in " \t":
                start += 1
            if not exhausted and (stop is None or stop.start() < start):
                stop = _SAID_END.search(text, start)
                exhausted = stop is None
            end = (
                len(text)
                if stop is None
                else (stop.end() if stop.group() != "\n" else stop.start())
            )
            if end > start and text[start] != "\n":
                spans.append((start, end))
        colon = text.find(":", colon + 1)
    return spans


def find_quotes(text: str) -> list[Quote]:
    """Find quoted words and classify each as the client's words or scare quotes.

    Curly quotes pair by shape; straight double quotes pair in order within a
    paragraph (an unbalanced trailing quote is ignored); straight single quotes
    pair by shape over a short fragment on one line. A quote is the client's
    (or reported) speech when it is attributed (a speech verb before or after it,
    or a colon/comma introducing it), starts like speech (first person, or four
    or more words), or stands alone. A short unattributed fragment inside the
    clinician's own sentence is a scare quote. Unquoted ``Client stated: ...``
    forms are the client's words up to the end of the sentence.
    """
    # one scan for every kind of quotation mark: a copy of the text (same offsets)
    # with each mark replaced by '"', searched with str.find; line breaks matter only
    # while a quote is open, and are looked for between marks then
    scan = text
    for mark in _OTHER_QUOTE_MARKS:
        if mark in scan:
            scan = scan.replace(mark, '"')
    quotes: list[Quote] = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    single_open: int | None = None
    find = scan.find
    after_mark = 0  # just after the previous mark
    i = find('"')
    while i != -1:
        if single_open is not None and text.find("\n", after_mark, i) != -1:
            single_open = None
        if (straight_open is not None or stack) and text.find("\n\n", after_mark, i) != -1:
            straight_open = None  # a blank line ends the paragraph
            stack.clear()
        after_mark = i + 1
        ch = text[i]
        if ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                quotes.append(_classify(text, straight_open, i + 1))
                straight_open = None
        elif ch == "'":
            # straight single quotes: an opening one follows a non-word character and
            # precedes a word; a closing one ends a word; apostrophes (client's,
            # don't) are neither
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if (
                single_open is not None
                and not after.isalnum()
                and (before.isalnum() or before in ".,!?")
                and i - single_open <= _SINGLE_QUOTE_SPAN
            ):
                quotes.append(_classify(text, single_open, i + 1))
                single_open = None
            elif not before.isalnum() and after.isalpha():  # not '90s
                single_open = i
        elif ch in _PAIRS and not (ch == "\u2018" and _is_apostrophe(text, i)):
            stack.append((_PAIRS[ch], i))
        elif stack and ch == stack[-1][0] and not (ch == "\u2019" and _is_apostrophe(text, i)):
            _, opened = stack.pop()
            quotes.append(_classify(text, opened, i + 1))
        i = find('"', after_mark)
    said = _client_said(text)
    if said:
        # an unquoted span counts only where it overlaps no quotation and no earlier
        # unquoted span: bisect over the quotations' starts with a running max end
        marked = sorted((q.start, q.end) for q in quotes)
        starts = [a for a, _ in marked]
        reach: list[int] = []
        for _, b in marked:
            reach.append(max(b, reach[-1]) if reach else b)
        last_end = -1
        for s, e in said:
            i = bisect.bisect_left(starts, e)
            if s < last_end or (i > 0 and reach[i - 1] > s):
                continue
            quotes.append(Quote(s, e, inner=Span(s, e), role="client", marked=False))
            last_end = e
    quotes.sort(key=_START_END)
    return quotes


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


_FIRST_PERSON = re.compile(
    r"\W*(?:i|i'm|i’m|i've|i’ve|i'd|i’d|i'll|my|me|we|we're|our|us)\b", re.IGNORECASE
)


#: a quoted name of a technique, exercise, worksheet or title ("practiced
#: "balloon breathing"") is not a comment on the client's account
_NAMING_WORDS = frozenset(
    [
        "practice",
        "practiced",
        "practices",
        "practicing",
        "practise",
        "practised",
        "practising",
        "taught",
        "teach",
        "teaches",
        "teaching",
        "introduce",
        "introduced",
        "introduces",
        "introducing",
        "review",
        "reviewed",
        "reviews",
        "reviewing",
        "use",
        "used",
        "uses",
        "using",
        "complete",
        "completed",
        "completes",
        "completing",
        "play",
        "played",
        "plays",
        "playing",
        "read",
        "reads",
        "reading",
        "watch",
        "watched",
        "watches",
        "watching",
        "learn",
        "learned",
        "learnt",
        "learns",
        "learning",
        "try",
        "tried",
        "tries",
        "trying",
        "titled",
        "entitled",
        "workbook",
        "worksheet",
        "exercise",
        "skill",
        "technique",
        "game",
        "book",
        "app",
        "song",
        "video",
        "handout",
        "module",
        "program",
        "group",
        "activity",
        "strategy",
        "script",
        "intervention",
        "word",
        "term",
        "phrase",
        "label",
    ]
)
_NAMING_AFTER = re.compile(
    r"\s*(?:exercises?|techniques?|skills?|worksheets?|strateg(?:y|ies)|methods?|"
    r"activit(?:y|ies)|games?|apps?|handouts?|modules?|scripts?|plans?|charts?|logs?|"
    r"cards?|program|group|curriculum|workbook|book|video|song|protocol)\b",
    re.IGNORECASE,
)


def _classify(text: str, start: int, end: int) -> Quote:
    """Decide whether the quote at ``[start, end)`` is the client's words or a scare
    quote. Looks at no more than 60 characters either side (linear overall)."""
    inner = Span(start + 1, end - 1)
    # only the opening words matter (speech-like if four or more); reading a bounded
    # prefix keeps deeply nested quotes linear
    quoted = text[start + 1 : min(end - 1, start + 81)]
    words = len(quoted.split(None, 3))  # the number of words, up to four
    # cheapest tests first: most quotes in notes are attributed speech
    if words >= 4 or not words:
        return Quote(start, end, inner, "client")
    window = max(0, start - 60)
    rfind = text.rfind
    clause_start = (
        max(
            rfind(".", window, start),
            rfind("!", window, start),
            rfind("?", window, start),
            rfind(";", window, start),
            rfind("\n", window, start),
        )
        + 1
    )
    before = text[max(clause_start, window) : start]
    after = text[end : end + 40]
    if not before.strip() or _FIRST_PERSON.match(quoted):
        return Quote(start, end, inner, "client")
    if before.rstrip().endswith((":", ",")) or _ATTRIBUTION_AFTER.match(after):
        return Quote(start, end, inner, "client")
    words_before = _WORDS.findall(before.lower())
    attributed = bool(_SPEECH_WORDS.intersection(words_before)) or any(
        pair in _SPEECH_PAIRS for pair in itertools.pairwise(words_before)
    )
    naming = bool(words_before and words_before[-1] in _NAMING_WORDS) or bool(
        _NAMING_AFTER.match(after)
    )
    role: QuoteRole = "client" if (attributed or naming) else "scare"
    return Quote(start, end, inner, role)


# --- negation ----------------------------------------------------------------------

#: negation cues, in six literal-first patterns (searched in lower-cased text, so the
#: regex engine can skip ahead to the literal instead of trying every position). At
#: most one cue can match at any offset and no cue match holds the start of another,
#: so grouping the cues finds exactly the matches one pattern per cue would.
_NEGATION_CUES = (
    # no, not, never, none, neither, nor, negative for, and the contraction n't
    re.compile(r"n(?:o(?:|t|ne|r)|e(?:ver|ither|gative\s+for)|['’]t)\b"),
    re.compile(r"without\b"),
    re.compile(r"denie[sd]\b"),
    re.compile(r"absen(?:t|ce\s+of)\b"),
    re.compile(r"free\s+of\b"),
    re.compile(r"rule(?:s?|d)\s+out\b"),
)
#: A quick necessary test for rules that scan their own windows: every match of a
#: negation cue above starts where this pattern matches (in lower-cased text), so no
#: match here means no cue. Kept beside the cues so that the two change together.
NEGATION_CUE_HINT = re.compile(
    r"\b(?:no|ne(?:ver|ither|gative)|without|denie|absen|free|rule)|n['’]t"
)
_WORD_CHAR = re.compile(r"\w")
_SCOPE_END_PATTERN = (
    r"[.;:!?\n]|\b(?:but|however|although|though|yet|except|instead|who|which|that|"
    r"because|since|while|whereas|when|then|and\s+(?:is|was|has|had|remains|became|appears|"
    r"appeared|seems|seemed))\b|,\s*(?:and\s+)?(?:is|was|are|were|has|had|remains|became|"
    r"appears|appeared|he|she|they|client|patient|pt)\b"
)
_SCOPE_END = re.compile(_SCOPE_END_PATTERN, re.IGNORECASE)
#: the same, for a lower-cased ASCII clause: there ``re.IGNORECASE`` changes nothing,
#: and without it the engine rejects most alternatives by their first letter (about
#: twice as fast)
_SCOPE_END_ASCII = re.compile(_SCOPE_END_PATTERN)
_MAX_SCOPE_WORDS = 8
_SCOPE_REACH = 120  # characters past the cue
#: matches up to the end of the eighth run of non-space characters
_SCOPE_WORDS = re.compile(rf"\s*(?:\S+\s+){{{_MAX_SCOPE_WORDS - 1}}}\S+")


_NEGATION_FULL_SCAN = 20_000  # characters; longer texts are always answered by window
#: How far before a span a negation cue can be and still reach it (a scope runs at
#: most 120 characters past its cue); public for rules that scan their own windows.
NEGATION_WINDOW = 200


def find_negations(text: str, pos: int = 0, endpos: int | None = None) -> list[Span]:
    """Negation scopes (NegEx-style): from a cue to the end of its clause, at most
    eight words. ``no combative or hostile behavior`` puts both words in scope.

    ``pos``/``endpos`` restrict the cues looked at (scopes may run past ``endpos``).
    """
    n = len(text)
    endpos = n if endpos is None else endpos
    stop = min(n, endpos + 20)  # room for a cue that starts before endpos
    low = lower_keeping_offsets(text[pos:stop])
    scopes: list[Span] = []
    for cue_start, cue_end in _cues(low, stop - pos, endpos - pos):
        start = pos + cue_end
        limit = min(n, start + _SCOPE_REACH)
        # the clause, with the cue's last character before it for the \b test
        clause = text[start - 1 : limit]
        if clause.isascii():
            found = _SCOPE_END_ASCII.search(clause.lower(), 1)
            end = start - 1 + found.start() if found else limit
        else:
            found = _SCOPE_END.search(text, start, limit)
            end = found.start() if found else limit
        words = _SCOPE_WORDS.match(text, start, end)
        if words is not None:
            end = words.end()
        if end > start:
            scopes.append(Span(pos + cue_start, end))
    return scopes


def _cues(low: str, stop: int, limit: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each negation cue in ``low[:stop]`` whose start is before
    ``limit``, in order."""
    found: list[tuple[int, int]] = []
    for cue in _NEGATION_CUES:
        for m in cue.finditer(low, 0, stop):
            i, j = m.span()
            if i >= limit:
                break
            # a cue word must start a word; the contraction (don't, can't) need not
            if not i or low[i + 1] in "'’" or not _WORD_CHAR.match(low, i - 1):
                found.append((i, j))
    found.sort()
    return found


# --- the bundle rules read ------------------------------------------------------------


class Annotations:
    """Everything computed once per document, shared by all rules.

    Each annotation is computed on first use and then cached, so a document whose
    rules never ask for, say, negation scopes never pays for them.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        #: annotations added by ``inquiry_assist_annotate`` plugins, by key
        self.extra: dict[str, object] = {}

    @cached_property
    def sentences(self) -> list[Span]:
        """Sentence spans (line breaks end a sentence too)."""
        return find_sentences(self.text)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def sections(self) -> list[Section]:
        """SOAP/DAP/BIRP/GIRP sections, in order (empty when the note has no headings)."""
        return find_sections(self.text)

    @cached_property
    def quotes(self) -> list[Quote]:
        """Quoted words (the client's, and scare quotes), in document order."""
        return find_quotes(self.text)

    @cached_property
    def negations(self) -> list[Span]:
        """Negation scopes, each from its cue to the end of the negated clause."""
        return find_negations(self.text)

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence that contains ``offset``, if any."""
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and self.sentences[i].start <= offset < max(
            self.sentences[i].end, self.sentences[i].start + 1
        ):
            return self.sentences[i]
        return None

    def section_at(self, offset: int) -> Section | None:
        """The note section that contains ``offset``, if the note has headings."""
        for section in self.sections:
            if section.start <= offset < section.end:
                return section
        return None

    def quote_at(self, start: int, end: int) -> Quote | None:
        """The quote whose inner words contain ``[start, end)``, if any."""
        for quote in self.quotes:
            if quote.start > end:
                break
            if quote.inner.contains(start, end):
                return quote
        return None

    def in_client_words(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies in the client's own (quoted) words.

        Rules must never flag or rewrite such spans."""
        quote = self.quote_at(start, end)
        return quote is not None and quote.role == "client"

    @cached_property
    def _client_index(self) -> tuple[list[int], list[int]]:
        """Client quotes' inner starts (sorted) and the running maximum of their ends."""
        spans = sorted((q.inner.start, q.inner.end) for q in self.quotes if q.role == "client")
        starts = [a for a, _ in spans]
        reach: list[int] = []
        furthest = -1
        for _, b in spans:
            furthest = max(furthest, b)
            reach.append(furthest)
        return starts, reach

    def overlaps_client_words(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` touches the client's own words at all
        (logarithmic: rules call this for every match)."""
        starts, reach = self._client_index
        i = bisect.bisect_left(starts, end)
        return i > 0 and reach[i - 1] > start

    def negated(self, start: int, end: int | None = None) -> bool:
        """True when ``[start, end)`` is inside a negation scope (and is not the cue).

        Answers from the clause around the span, without computing every scope in
        the document; the result is the same as testing against :attr:`negations`.
        """
        end = start if end is None else end
        calls = self.__dict__.get("_negated_calls", 0) + 1
        self.__dict__["_negated_calls"] = calls
        if "negations" in self.__dict__ or (calls > 2 and len(self.text) <= _NEGATION_FULL_SCAN):
            # from the third question on, one scan of a note-sized text is cheaper
            return any(s.start < start and end <= s.end for s in self.negations)
        window = max(0, start - NEGATION_WINDOW)
        return any(
            s.start < start and end <= s.end for s in find_negations(self.text, window, start)
        )


def annotate(text: str) -> Annotations:
    """The shared annotations for ``text`` (each computed lazily, once)."""
    return Annotations(text)
