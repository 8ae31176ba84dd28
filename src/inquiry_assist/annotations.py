"""Shared annotations, computed once per document and read by every rule.

Rules ask; they do not recompute. Everything here works on code-point offsets of
``Document.text`` and is linear in the length of the text (no nested quantifiers
over unbounded input), so pathological input cannot make it hang.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

import regex

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
_SENTENCE_END = regex.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n\s*\n|\n(?=\s*\S)")


def find_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentence spans (line breaks also end a sentence)."""
    spans: list[Span] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        token = m.group()
        if token[0] == ".":
            word = regex.search(r"(\w+(?:\.\w+)*)$", text[max(start, m.start() - 12) : m.start()])
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
            if word and len(word.group(1)) == 1 and word.group(1).isupper():
                continue  # an initial: "J. Smith"
        end = m.end() if token[0] != "\n" else m.start()
        _add_trimmed(text, spans, start, end)
        start = m.end()
    _add_trimmed(text, spans, start, len(text))
    return spans


def _add_trimmed(text: str, spans: list[Span], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append(Span(start, end))


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
_HEADING = regex.compile(
    r"^[ \t]*(?:\#{1,6}[ \t]*)?(?:\*\*)?(?P<name>[A-Za-z][A-Za-z ]{0,24}?)(?:\*\*)?"
    r"[ \t]*(?:\([^)\n]{0,40}\))?[ \t]*(?::|$|(?=\n))",
    regex.MULTILINE,
)


def find_sections(text: str) -> list[Section]:
    """Find SOAP, DAP, BIRP and GIRP sections (``S:``, ``Plan:``, ``## Assessment``)."""
    heads: list[tuple[int, int, str]] = []
    for m in _HEADING.finditer(text):
        name = _SECTION_NAMES.get(" ".join(m.group("name").lower().split()))
        if name is None:
            continue
        line_is_only_heading = m.group().rstrip().endswith(":") or text.startswith(
            "#", m.start() + len(m.group()) - len(m.group().lstrip())
        )
        if not line_is_only_heading and not m.group().rstrip().endswith(":"):
            # a bare word on its own line is a heading only in markdown form
            stripped = m.group().strip()
            if not stripped.startswith("#"):
                continue
        heads.append((m.start(), m.end(), name))
    sections: list[Section] = []
    for i, (h_start, h_end, name) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        sections.append(Section(h_start, end, name=name, heading=Span(h_start, h_end)))
    return sections


# --- quotes ------------------------------------------------------------------------

_PAIRS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u2018": "\u2019"}
_SPEECH_VERBS = (
    r"said|says|say|stated|states|state|reported|reports|report|shared|shares|described|describes|"
    r"explained|explains|noted|notes|told|tells|added|adds|asked|asks|wrote|writes|replied|"
    r"replies|called|calls|call|named|names|labelled|labeled|put it|puts it|expressed|expresses|"
    r"endorsed|endorses|disclosed|discloses|mentioned|mentions|recalled|recalls|remarked|"
    r"commented|exclaimed|insisted|identified|identifies|word|words|terms|quote|quoted|"
    r"as|feeling|feels|felt|like"
)
_ATTRIBUTION_BEFORE = regex.compile(
    rf"(?:\b(?:{_SPEECH_VERBS})\b[^.!?\n]{{0,40}}?|[:,])\s*$", regex.IGNORECASE
)
_ATTRIBUTION_AFTER = regex.compile(
    r"^[,.!?]?\s*(?:\w+\s+){0,3}?(?:said|says|stated|states|shared|shares|reported|explained|"
    r"added|wrote|asked|replied|told)\b",
    regex.IGNORECASE,
)
_CLIENT_SAID = regex.compile(
    r"\b(?:client|patient|pt|student|resident|member|he|she|they)\s+"
    r"(?:stated|states|said|says|reported|reports|shared|shares|described|describes|explained)"
    r"\s*:[ \t]*(?P<words>[^\n]+?)(?=(?<=[.!?])\s|\n|$)",
    regex.IGNORECASE,
)


def find_quotes(text: str) -> list[Quote]:
    """Find quoted words and classify each as the client's words or scare quotes.

    Curly quotes pair by shape; straight double quotes pair in order within a
    paragraph (an unbalanced trailing quote is ignored). A quote is the client's
    (or reported) speech when it is attributed (a speech verb before or after it,
    or a colon/comma introducing it), starts like speech (first person, or four
    or more words), or stands alone. A short unattributed fragment inside the
    clinician's own sentence is a scare quote. Unquoted ``Client stated: ...``
    forms are the client's words up to the end of the sentence.
    """
    quotes: list[Quote] = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n" and i + 1 < len(text) and text[i + 1] == "\n":
            straight_open = None
            stack.clear()
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
    for m in _CLIENT_SAID.finditer(text):
        s, e = m.span("words")
        if not any(q.overlaps(s, e) for q in quotes):
            quotes.append(Quote(s, e, inner=Span(s, e), role="client", marked=False))
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


_FIRST_PERSON = regex.compile(
    r"^\W*(?:i|i'm|i’m|i've|i’ve|i'd|i’d|i'll|my|me|we|we're|our|us)\b", regex.IGNORECASE
)


def _classify(text: str, start: int, end: int) -> Quote:
    inner = Span(start + 1, end - 1)
    words = text[inner.start : inner.end].split()
    sentence_start = max(text.rfind(ch, 0, start) for ch in ".!?\n") + 1
    before = text[max(sentence_start, start - 60) : start]
    after = text[end : end + 40]
    attributed = bool(_ATTRIBUTION_BEFORE.search(before)) or bool(_ATTRIBUTION_AFTER.match(after))
    speech_like = len(words) >= 4 or bool(_FIRST_PERSON.match(text[inner.start : inner.end]))
    standalone = not before.strip()
    role: QuoteRole = "client" if (attributed or speech_like or standalone) else "scare"
    return Quote(start, end, inner=inner, role=role)


# --- negation ----------------------------------------------------------------------

_NEGATION_CUE = regex.compile(
    r"\b(?:no|not|never|without|none|neither|nor|denies|denied|negative\s+for|"
    r"absence\s+of|absent|free\s+of|rules?\s+out|ruled\s+out|no\s+evidence\s+of|"
    r"no\s+signs?\s+of|not\s+observed|\w+n['’]t)\b",
    regex.IGNORECASE,
)
_SCOPE_END = regex.compile(
    r"[.;:!?\n]|,\s*(?:but|however|although|though|yet)\b|\b(?:but|however|although|though|"
    r"yet|except|instead|who|which|that)\b",
    regex.IGNORECASE,
)
_MAX_SCOPE_WORDS = 8


def find_negations(text: str) -> list[Span]:
    """Negation scopes (NegEx-style): from a cue to the end of its clause, at most
    eight words. ``no combative or hostile behavior`` puts both words in scope."""
    scopes: list[Span] = []
    for m in _NEGATION_CUE.finditer(text):
        start = m.end()
        stop = _SCOPE_END.search(text, start, min(len(text), start + 200))
        end = stop.start() if stop else min(len(text), start + 200)
        words = list(regex.finditer(r"\S+", text[start:end]))
        if len(words) > _MAX_SCOPE_WORDS:
            end = start + words[_MAX_SCOPE_WORDS - 1].end()
        if end > start:
            scopes.append(Span(m.start(), end))
    return scopes


# --- the bundle rules read ------------------------------------------------------------


@dataclass(frozen=True)
class Annotations:
    """Everything computed once per document, shared by all rules."""

    sentences: list[Span]
    sections: list[Section]
    quotes: list[Quote]
    negations: list[Span]
    extra: dict[str, object] = field(default_factory=dict)
    _sentence_starts: list[int] = field(default_factory=list, repr=False)

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

    def overlaps_client_words(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` touches the client's own words at all."""
        return any(q.role == "client" and q.inner.overlaps(start, end) for q in self.quotes)

    def negated(self, start: int, end: int | None = None) -> bool:
        """True when ``[start, end)`` is inside a negation scope (and is not the cue)."""
        end = start if end is None else end
        return any(s.start < start and end <= s.end for s in self.negations)


def annotate(text: str) -> Annotations:
    """Compute the shared annotations for ``text``."""
    sentences = find_sentences(text)
    return Annotations(
        sentences=sentences,
        sections=find_sections(text),
        quotes=find_quotes(text),
        negations=find_negations(text),
        extra={},
        _sentence_starts=[s.start for s in sentences],
    )
