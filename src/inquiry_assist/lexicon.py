"""Lexicon terms as data, compiled together into one matcher.

A *term pack* is a TOML file (or the equivalent dict, from a plugin or the user's
config) with ``[[terms]]`` tables. All terms, wherever they come from, are
compiled into one :class:`Lexicon`: a token trie keyed on lower-cased words, so
matching costs one pass over the words of a note however many terms there are.
Terms that need a real pattern (``pattern = "..."``) are checked for catastrophic
backtracking when loaded and always run with a time limit.

Surface variants are generated, not listed by hand:

* hyphen, space and joined spellings (``non-compliant`` matches ``non compliant``
  and ``noncompliant``);
* inflections by ``inflect`` (``verb``: refuse → refuses, refused, refusing;
  ``noun``: addict → addicts); irregular or extra forms go in ``forms``;
* case: matching is case-insensitive, and suggestions copy the case of the match.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .model import Applicability, Severity, Suggestion

if TYPE_CHECKING:
    from .rules import Context

__all__ = [
    "Lexicon",
    "LexiconError",
    "LexiconHit",
    "Term",
    "TermPack",
    "load_term_pack",
    "match_case",
]

_WORD = regex.compile(r"\w+(?:['’]\w+)*")
_SEPARATOR = regex.compile(r"[ \t\-‐‑–]{1,3}|[ \t]*\n[ \t]*")
_PATTERN_TIMEOUT = 0.05  # seconds a single user pattern may take on one document
#: Inputs that expose catastrophic backtracking in a user pattern at load time.
_PROBES = (
    "a" * 5000 + "!",
    "a" * 30 + "!",
    "ab " * 2000 + "!",
    "x-" * 2500 + "\n",
    "1" * 3000 + "!",
    "\u00e9" * 3000 + "!",
    " " * 3000 + "!",
    "a " * 10_000,
)


class LexiconError(ValueError):
    """A term or term pack that cannot be used; the message names the term."""


class Term(BaseModel):
    """One lexicon entry.

    ``rule`` names the rule (by name or code) that reports the term. ``phrase`` is
    the canonical wording shown in messages and docs. ``exceptions`` are longer
    phrases containing the term in a sense that is not a problem
    (``treatment-resistant``); ``unless_before``/``unless_after`` are regexes
    tested against the few words around a match for the same purpose.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    phrase: str = Field(min_length=1)
    rule: str = Field(min_length=1)
    forms: tuple[str, ...] = ()
    inflect: Literal["none", "verb", "noun"] = "none"
    pattern: str | None = None
    severity: Severity | None = None
    replacements: tuple[str, ...] = ()
    applicability: Applicability = "unsafe"
    why: str = ""
    source: str = ""
    subtype: str | None = None
    exceptions: tuple[str, ...] = ()
    unless_before: str | None = None
    unless_after: str | None = None
    negatable: bool = True
    about_others: bool = False

    @field_validator("phrase")
    @classmethod
    def _phrase_has_words(cls, value: str) -> str:
        if not _WORD.search(value):
            raise ValueError("phrase has no words")
        return value

    def variants(self) -> set[tuple[str, ...]]:
        """All word sequences (lower-cased) that this term matches."""
        surfaces = {self.phrase, *self.forms}
        if self.inflect != "none":
            for s in list(surfaces):
                surfaces |= _inflections(s, self.inflect)
        out: set[tuple[str, ...]] = set()
        for surface in surfaces:
            words = tuple(w.lower().replace("’", "'") for w in _WORD.findall(surface))
            if not words:
                continue
            out.add(words)
            if len(words) > 1 and regex.search(r"\w-\w", surface):
                out.add(("".join(words),))
        return out


class TermPack(BaseModel):
    """A named collection of terms, as shipped in a TOML file or by a plugin."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str = ""
    terms: tuple[Term, ...] = ()


def load_term_pack(path: str | Path | resources.abc.Traversable) -> TermPack:
    """Read a term pack from a TOML file (``name``, ``description``, ``[[terms]]``)."""
    try:
        data = tomllib.loads(
            Path(str(path)).read_text(encoding="utf-8")
            if isinstance(path, str | Path)
            else path.read_text("utf-8")
        )
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read term pack: {exc}") from exc
    return term_pack_from_dict(data, origin=str(path))


def term_pack_from_dict(data: Mapping[str, Any], origin: str) -> TermPack:
    """Validate a term pack given as a mapping; errors name the origin and the term."""
    try:
        return TermPack.model_validate(data)
    except ValidationError as exc:
        raise LexiconError(_describe(exc, origin, data)) from None


def _describe(exc: ValidationError, origin: str, data: Mapping[str, Any]) -> str:
    parts = []
    for err in exc.errors():
        loc = err["loc"]
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == "terms" and isinstance(loc[1], int):
            with contextlib.suppress(KeyError, IndexError, AttributeError, TypeError):
                where = f"term {data['terms'][loc[1]].get('phrase')!r} ({where})"
        parts.append(f"{where}: {err['msg']}")
    return f"{origin}: invalid term pack: " + "; ".join(parts)


# --- inflection ----------------------------------------------------------------------

_VOWELS = set("aeiou")


def _inflect_word(word: str, how: str) -> set[str]:
    w = word.lower()
    out: set[str] = set()
    if how == "noun":
        if w.endswith(("s", "x", "z", "ch", "sh")):
            out.add(w + "es")
        elif w.endswith("y") and len(w) > 1 and w[-2] not in _VOWELS:
            out.add(w[:-1] + "ies")
        else:
            out.add(w + "s")
        return out
    # verbs
    if w.endswith("e"):
        out |= {w + "s", w + "d", w[:-1] + "ing"}
    elif w.endswith("y") and len(w) > 1 and w[-2] not in _VOWELS:
        out |= {w[:-1] + "ies", w[:-1] + "ied", w + "ing"}
    elif w.endswith(("s", "x", "z", "ch", "sh")):
        out |= {w + "es", w + "ed", w + "ing"}
    else:
        out |= {w + "s", w + "ed", w + "ing"}
        if (
            len(w) >= 3
            and w[-1] not in _VOWELS | set("wxy")
            and w[-2] in _VOWELS
            and w[-3] not in _VOWELS
        ):
            out |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return out


def _inflections(surface: str, how: str) -> set[str]:
    words = surface.split(" ")
    # verbs inflect their first word ("fail to"), nouns their last ("crack addict")
    index = 0 if how == "verb" else len(words) - 1
    return {
        " ".join([*words[:index], form, *words[index + 1 :]])
        for form in _inflect_word(words[index], how)
    }


def match_case(original: str, replacement: str) -> str:
    """Give ``replacement`` the case pattern of ``original`` (UPPER, Title, lower)."""
    letters = [c for c in original if c.isalpha()]
    if not letters or not replacement:
        return replacement
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if letters[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


# --- matching --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LexiconHit:
    """A term found in a document: ``[start, end)`` covers the matched words."""

    term: Term
    start: int
    end: int
    text: str

    def suggestions(self) -> tuple[Suggestion, ...]:
        """The term's replacements with the case of the matched text."""
        return tuple(
            Suggestion(replacement=match_case(self.text, r), applicability=self.term.applicability)
            for r in self.term.replacements
        )


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node]
    terms: list[int]
    exceptions: list[int]


@dataclass(frozen=True, slots=True)
class _Compiled:
    term: Term
    before: regex.Pattern[str] | None
    after: regex.Pattern[str] | None
    pattern: regex.Pattern[str] | None


def _compile_guarded(source: str, what: str, anchored: Literal["end", "start", "none"]) -> Any:
    body = f"(?:{source})"
    full = {"end": body + r"\s*$", "start": r"^\s*" + body, "none": body}[anchored]
    try:
        compiled = regex.compile(full, regex.IGNORECASE | regex.VERSION1)
    except regex.error as exc:
        raise LexiconError(f"{what}: invalid pattern {source!r}: {exc}") from None
    for probe in _PROBES:
        try:
            compiled.search(probe, timeout=_PATTERN_TIMEOUT * 4)
        except TimeoutError:
            raise LexiconError(
                f"{what}: pattern {source!r} is too slow (catastrophic backtracking)"
            ) from None
    return compiled


class Lexicon:
    """All terms compiled into one matcher. Immutable once built; thread-safe."""

    def __init__(self, terms: Iterable[Term], known_rules: Callable[[str], bool] | None = None):
        self.terms: tuple[Term, ...] = tuple(terms)
        self._root = _Node({}, [], [])
        self._compiled: list[_Compiled] = []
        self._patterns: list[int] = []
        for index, term in enumerate(self.terms):
            what = f"term {term.phrase!r} (rule {term.rule})"
            if known_rules is not None and not known_rules(term.rule):
                raise LexiconError(f"{what}: no lexicon rule is called {term.rule!r}")
            self._compiled.append(
                _Compiled(
                    term,
                    _compile_guarded(term.unless_before, what, "end")
                    if term.unless_before
                    else None,
                    _compile_guarded(term.unless_after, what, "start")
                    if term.unless_after
                    else None,
                    _compile_guarded(term.pattern, what, "none") if term.pattern else None,
                )
            )
            if term.pattern:
                self._patterns.append(index)
            else:
                for words in term.variants():
                    self._insert(words).terms.append(index)
            for exception in term.exceptions:
                # exceptions match inflected too ("insurance claims", "claims adjuster")
                variants: set[tuple[str, ...]] = set()
                for how in ("none", "noun", "verb"):
                    ex = Term(phrase=exception, rule=term.rule, inflect=how)
                    variants |= ex.variants()
                for words in variants:
                    self._insert(words).exceptions.append(index)

    def _insert(self, words: Sequence[str]) -> _Node:
        node = self._root
        for word in words:
            node = node.children.setdefault(word, _Node({}, [], []))
        return node

    def __len__(self) -> int:
        return len(self.terms)

    def match(self, text: str) -> list[LexiconHit]:
        """Every term occurrence in ``text``, in document order, exceptions applied."""
        low = text.lower().replace("’", "'")
        roots = self._root.children
        words = _WORD.findall(low)
        hits: list[LexiconHit] = []
        if any(w in roots for w in words):
            hits = self._match_words(text, low)
        for index in self._patterns:
            hits.extend(self._match_pattern(text, index))
        hits.sort(key=lambda h: (h.start, h.end))
        return hits

    def _match_words(self, text: str, low: str) -> list[LexiconHit]:
        spans = [m.span() for m in _WORD.finditer(low)]
        roots = self._root.children
        raw: list[tuple[int, int, int]] = []  # (term index, start, end)
        blocked: list[tuple[int, int, int]] = []
        n = len(spans)
        for i, (start, end) in enumerate(spans):
            node = roots.get(low[start:end])
            j = i
            while node is not None:
                stop = spans[j][1]
                for t in node.terms:
                    raw.append((t, start, stop))
                for t in node.exceptions:
                    blocked.append((t, start, stop))
                j += 1
                if j >= n or not node.children:
                    break
                gap_start, gap_end = spans[j - 1][1], spans[j][0]
                if not _SEPARATOR.fullmatch(low, gap_start, gap_end):
                    break
                node = node.children.get(low[spans[j][0] : spans[j][1]])
        hits = []
        for t, start, end in raw:
            if any(b == t and bs < end and start < be for b, bs, be in blocked):
                continue
            if self._context_allows(t, text, start, end):
                hits.append(LexiconHit(self.terms[t], start, end, text[start:end]))
        return _longest_per_term(hits)

    def _context_allows(self, t: int, text: str, start: int, end: int) -> bool:
        c = self._compiled[t]
        try:
            if c.before and c.before.search(
                text[max(0, start - 60) : start], timeout=_PATTERN_TIMEOUT
            ):
                return False
            if c.after and c.after.search(text[end : end + 60], timeout=_PATTERN_TIMEOUT):
                return False
        except TimeoutError:
            return True
        return True

    def _match_pattern(self, text: str, index: int) -> list[LexiconHit]:
        c = self._compiled[index]
        assert c.pattern is not None
        out = []
        try:
            for m in c.pattern.finditer(text, timeout=_PATTERN_TIMEOUT):
                if m.end() > m.start() and self._context_allows(index, text, m.start(), m.end()):
                    out.append(LexiconHit(c.term, m.start(), m.end(), m.group()))
        except TimeoutError:
            pass  # a pattern that times out on this document reports nothing for it
        return out


def _longest_per_term(hits: list[LexiconHit]) -> list[LexiconHit]:
    """Drop a hit contained in a longer hit of the same rule (``crack addict`` over
    ``addict``)."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[LexiconHit] = []
    for hit in hits:
        if any(
            k.term.rule == hit.term.rule
            and k.start <= hit.start
            and hit.end <= k.end
            and (k.start, k.end) != (hit.start, hit.end)
            for k in kept
        ):
            continue
        if any(k.term is hit.term and (k.start, k.end) == (hit.start, hit.end) for k in kept):
            continue
        kept.append(hit)
    return kept


def builtin_pack(package: str, filename: str) -> TermPack:
    """Load a term pack shipped as package data (``package``/``filename``)."""
    return load_term_pack(resources.files(package).joinpath(filename))


def hits_for_context(lexicon: Lexicon) -> Callable[[Context], list[LexiconHit]]:
    """The factory the engine gives each :class:`~inquiry_assist.rules.Context`."""

    def factory(ctx: Context) -> list[LexiconHit]:
        return lexicon.match(ctx.text)

    return factory
