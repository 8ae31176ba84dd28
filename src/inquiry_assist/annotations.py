"""Shared annotations, computed once per document and read by every rule.

Rules ask; they do not recompute. Everything here works on code-point offsets of
``Document.text`` and is linear in the length of the text (no nested quantifiers
over unbounded input), so pathological input cannot make it hang.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

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
]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of code points."""

    start: int
    end: int

    def contains(self, start: int, end: int | None = None) -> bool:
        end = start if end is None else end
        return self.start <= start and end <= self.end

    def overlaps(self, start: int, end: int) -> bool:
        return start < self.end and self.start < end


@dataclass(frozen=True, slots=True)
class Section(Span):
    """A note section: ``name`` is normalised (``subjective``, ``plan``, ...);
    ``heading`` is the span of the heading itself."""

    name: str
    heading: Span


QuoteRole = Literal["client", "scare"]


@dataclass(frozen=True, slots=True)
class Quote(Span):
    """Quoted words. ``start``/``end`` include the quotation marks; ``inner``
    excludes them. ``role`` is ``client`` for the client's own (or reported)
    words, ``scare`` for a short fragment the clinician put in quotes inside their
    own sentence (a credibility signal), as classified by :func:`find_quotes`.
    ``marked`` is false for an unquoted "Client stated: ..." span."""

    inner: Span
    role: QuoteRole
    marked: bool = True


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
_SENTENCE_END = re.compile(r"[.!?][.!?\"'”’)\]]*(?=\s|\Z)")


def find_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentence spans (line breaks also end a sentence).

    A run of ``.``, ``!`` or ``?`` (with closing quotes or brackets) ends a sentence
    when white space follows, except after an abbreviation (``Dr.``, ``pt.``,
    ``e.g.``) or an initial (``J. Smith``). Scans line by line with a pattern that
    starts with a character class (the fast path of the ``re`` engine)."""
    spans: list[Span] = []
    n = len(text)
    pos = 0
    while True:
        newline = text.find("\n", pos)
        line_end = n if newline == -1 else newline
        start = pos
        for m in _SENTENCE_END.finditer(text, pos, line_end):
            at = m.start()
            if m.end() - at == 1 and text[at] == ".":
                space = text.rfind(" ", start, at)
                word = text[max(space + 1, start) : at]
                if (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS:
                    continue  # "Dr.", "pt.", "e.g.", an initial ("J. Smith")
            _add_trimmed(text, spans, start, m.end())
            start = m.end()
        _add_trimmed(text, spans, start, line_end)
        if newline == -1:
            return spans
        pos = newline + 1


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

_HEADING = re.compile(
    r"[ \t]*(?:\#{1,6}[ \t]*)?(?:\*\*)?(?P<name>[A-Za-z][A-Za-z ]{0,24}?)(?:\*\*)?"
    r"[ \t]*(?:\([^)\n]{0,40}\))?[ \t]*(?P<end>:|\n|$)"
)


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
            m = _HEADING.match(text, pos, line_end)
            if m is not None and (m.group("end") == ":" or "#" in text[pos : m.start("name")]):
                name = _SECTION_NAMES.get(" ".join(m.group("name").lower().split()))
                if name is not None:
                    heads.append((pos + len(m.group()) - len(m.group().lstrip()), m.end(), name))
        pos = line_end + 1
    sections: list[Section] = []
    for i, (h_start, h_end, name) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        sections.append(Section(h_start, end, name=name, heading=Span(h_start, h_end)))
    return sections


# --- quotes ------------------------------------------------------------------------

_PAIRS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u2018": "\u2019"}
_QUOTE_CHARS = re.compile("[\n\"'\u201c\u201d\u00ab\u00bb\u2018\u2019]")
_SINGLE_QUOTE_SPAN = 60  # straight single quotes pair only over a short fragment
_SPEECH_VERBS = (
    r"said|says|say|stated|states|state|reported|reports|report|shared|shares|described|describes|"
    r"explained|explains|noted|notes|told|tells|added|adds|asked|asks|wrote|writes|replied|"
    r"replies|called|calls|call|named|names|labelled|labeled|put it|puts it|expressed|expresses|"
    r"endorsed|endorses|disclosed|discloses|mentioned|mentions|recalled|recalls|remarked|"
    r"commented|exclaimed|insisted|identified|identifies|word|words|terms|quote|quoted|"
    r"as|feeling|feels|felt|like"
)
_SPEECH_WORDS = frozenset(v for v in _SPEECH_VERBS.split("|") if " " not in v)
_SPEECH_PAIRS = frozenset(tuple(v.split(" ")) for v in _SPEECH_VERBS.split("|") if " " in v)
_WORDS = re.compile(r"\w+")
_ATTRIBUTION_AFTER = re.compile(
    r"[,.!?]?\s*(?:\w+\s+){0,3}?(?:said|says|stated|states|shared|shares|reported|explained|"
    r"added|wrote|asked|replied|told)\b",
    re.IGNORECASE,
)
_CLIENT_SAID = re.compile(
    r"\b(?:client|patient|pt|student|resident|member|he|she|they)\s+"
    r"(?:stated|states|said|says|reported|reports|shared|shares|described|describes|explained)"
    r"\s*$",
    re.IGNORECASE,
)
_SAID_VERBS = (
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
        if text[max(0, colon - 12) : colon].rstrip().lower().endswith(
            _SAID_VERBS
        ) and _CLIENT_SAID.search(text, max(0, colon - 40), colon):
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
    quotes: list[Quote] = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    single_open: int | None = None
    for m in _QUOTE_CHARS.finditer(text):
        i = m.start()
        ch = m.group()
        if ch == "\n":
            single_open = None
            if text.startswith("\n", i + 1):  # a blank line ends the paragraph
                straight_open = None
                stack.clear()
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
        elif ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                quotes.append(_classify(text, straight_open, i + 1))
                straight_open = None
        elif ch in _PAIRS and not (ch == "\u2018" and _is_apostrophe(text, i)):
            stack.append((_PAIRS[ch], i))
        elif stack and ch == stack[-1][0]:
            if ch == "\u2019" and _is_apostrophe(text, i):
                continue
            _, opened = stack.pop()
            quotes.append(_classify(text, opened, i + 1))
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
    quotes.sort(key=lambda q: (q.start, q.end))
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
_CLAUSE_BREAK = ".!?;\n"


def _classify(text: str, start: int, end: int) -> Quote:
    """Decide whether the quote at ``[start, end)`` is the client's words or a scare
    quote. Looks at no more than 60 characters either side (linear overall)."""
    inner = Span(start + 1, end - 1)
    # only the opening words matter (speech-like if four or more); reading a bounded
    # prefix keeps deeply nested quotes linear
    quoted = text[inner.start : min(inner.end, inner.start + 80)]
    words = quoted.split()
    window = max(0, start - 60)
    clause_start = max(text.rfind(ch, window, start) for ch in _CLAUSE_BREAK) + 1
    before = text[max(clause_start, window) : start]
    after = text[end : end + 40]
    # cheapest tests first: most quotes in notes are attributed speech
    if len(words) >= 4 or not words or not before.strip() or _FIRST_PERSON.match(quoted):
        return Quote(start, end, inner=inner, role="client")
    if before.rstrip().endswith((":", ",")) or _ATTRIBUTION_AFTER.match(after):
        return Quote(start, end, inner=inner, role="client")
    words_before = _WORDS.findall(before.lower())
    attributed = bool(_SPEECH_WORDS.intersection(words_before)) or any(
        pair in _SPEECH_PAIRS for pair in itertools.pairwise(words_before)
    )
    naming = bool(words_before and words_before[-1] in _NAMING_WORDS) or bool(
        _NAMING_AFTER.match(after)
    )
    role: QuoteRole = "client" if (attributed or naming) else "scare"
    return Quote(start, end, inner=inner, role=role)


# --- negation ----------------------------------------------------------------------

#: negation cues, one literal-first pattern each (searched in lower-cased text, so the
#: regex engine can skip ahead to the literal instead of trying every position)
_NEGATION_CUES = tuple(
    re.compile(cue)
    for cue in (
        r"no\b",
        r"not\b",
        r"never\b",
        r"without\b",
        r"none\b",
        r"neither\b",
        r"nor\b",
        r"denies\b",
        r"denied\b",
        r"absent\b",
        r"negative\s+for\b",
        r"absence\s+of\b",
        r"free\s+of\b",
        r"rules?\s+out\b",
        r"ruled\s+out\b",
    )
)
_NEGATION_CONTRACTION = re.compile(r"n['’]t\b")
_WORD_CHAR = re.compile(r"\w")
_SCOPE_END = re.compile(
    r"[.;:!?\n]|\b(?:but|however|although|though|yet|except|instead|who|which|that|"
    r"because|since|while|whereas|when|then|and\s+(?:is|was|has|had|remains|became|appears|"
    r"appeared|seems|seemed))\b|,\s*(?:and\s+)?(?:is|was|are|were|has|had|remains|became|"
    r"appears|appeared|he|she|they|client|patient|pt)\b",
    re.IGNORECASE,
)
_MAX_SCOPE_WORDS = 8
_NON_SPACE = re.compile(r"\S+")


_NEGATION_FULL_SCAN = 20_000  # characters; longer texts are always answered by window
#: How far before a span a negation cue can be and still reach it (a scope runs at
#: most 120 characters past its cue); public for rules that scan their own windows.
NEGATION_WINDOW = 200
_NEGATION_WINDOW = NEGATION_WINDOW


def find_negations(text: str, pos: int = 0, endpos: int | None = None) -> list[Span]:
    """Negation scopes (NegEx-style): from a cue to the end of its clause, at most
    eight words. ``no combative or hostile behavior`` puts both words in scope.

    ``pos``/``endpos`` restrict the cues looked at (scopes may run past ``endpos``).
    """
    scopes: list[Span] = []
    n = len(text)
    for cue_start, start in _negation_cues(text, pos, n if endpos is None else endpos):
        limit = min(n, start + 120)
        stop = _SCOPE_END.search(text, start, limit)
        end = stop.start() if stop else limit
        for count, w in enumerate(_NON_SPACE.finditer(text, start, end), 1):
            if count == _MAX_SCOPE_WORDS:
                end = w.end()
                break
        if end > start:
            scopes.append(Span(cue_start, end))
    return scopes


def _negation_cues(text: str, pos: int, endpos: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each negation cue whose start lies in ``[pos, endpos)``."""
    stop = min(len(text), endpos + 20)  # room for a cue that starts before endpos
    low = text[pos:stop].lower()
    if len(low) != stop - pos:  # a character whose lower case is longer ("İ")
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text[pos:stop])
    limit = endpos - pos
    found: list[tuple[int, int]] = []
    for cue in _NEGATION_CUES:
        for m in cue.finditer(low, 0, stop - pos):
            i = m.start()
            if i < limit and not (i and _WORD_CHAR.match(low, i - 1)):
                found.append((pos + i, pos + m.end()))
    for m in _NEGATION_CONTRACTION.finditer(low, 0, stop - pos):
        if m.start() < limit:
            found.append((pos + m.start(), pos + m.end()))
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
        window = max(0, start - _NEGATION_WINDOW)
        return any(
            s.start < start and end <= s.end for s in find_negations(self.text, window, start)
        )


def annotate(text: str) -> Annotations:
    """The shared annotations for ``text`` (each computed lazily, once)."""
    return Annotations(text)
