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
import functools
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from .annotations import lower_keeping_offsets
from .model import Applicability, Severity, Suggestion
from .tomlcache import read_toml

if TYPE_CHECKING:
    from .rules import Context

__all__ = [
    "Lexicon",
    "LexiconError",
    "LexiconHit",
    "Term",
    "TermPack",
    "load_term_pack",
    "mark_vetted",
    "match_case",
]

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_SEPARATOR = re.compile(r"[ \t\-‐‑–]{1,3}|[ \t]*\n[ \t]*")
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
    # the same shapes reversed, for end-anchored guards (searched right to left)
    "!" + "a" * 30,
    "!" + "ab " * 2000,
    "!" + "1" * 3000,
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
    ``if_before``/``if_after`` are the opposite: when either is set, a match counts
    only if one of them matches its side (``dirty`` only next to ``urine``/``screen``).
    With ``inflect_replacements``, a verb term's replacements are written in the base
    form and take the inflection of the matched word (``refused`` -> ``declined``).
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
    #: set by :func:`mark_vetted`; never read from data
    _vetted: bool = PrivateAttr(default=False)
    if_before: str | None = None
    if_after: str | None = None
    inflect_replacements: bool = False

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


def load_term_pack(
    path: str | Path | resources.abc.Traversable, *, packaged: bool = False
) -> TermPack:
    """Read a term pack from a TOML file (``name``, ``description``, ``[[terms]]``);
    ``packaged``: it ships inside an installed package (see :mod:`.tomlcache`)."""
    try:
        data = read_toml(path, packaged=packaged)
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

    def replacements(self) -> tuple[str, ...]:
        """The term's replacements, in the verb inflection of the matched text for
        terms with ``inflect_replacements`` (``claims`` -> ``reports``), lower case."""
        replacements = self.term.replacements
        if replacements and self.term.inflect_replacements and self.term.inflect == "verb":
            return _inflected(replacements, _verb_form_of(self.term.phrase, self.text))
        return replacements

    def suggestions(self) -> tuple[Suggestion, ...]:
        """The term's replacements with the case (and, for terms with
        ``inflect_replacements``, the verb inflection) of the matched text."""
        applicability = self.term.applicability
        return tuple(_suggestion(_cased(self.text, r), applicability) for r in self.replacements())


#: :func:`match_case` for suggestions (the same few terms recur in every note)
_cased = functools.lru_cache(maxsize=8192)(match_case)


@functools.lru_cache(maxsize=8192)
def _suggestion(replacement: str, applicability: Applicability) -> Suggestion:
    """Suggestions are immutable, so equal ones are shared (this runs per finding)."""
    return Suggestion(replacement=replacement, applicability=applicability)


@functools.lru_cache(maxsize=4096)
def _verb_form_of(phrase: str, matched: str) -> str:
    """Which inflection (``""``, ``s``, ``ed``, ``ing``) of ``phrase``'s first word
    the first word of ``matched`` is."""
    base = phrase.split(" ")[0].lower()
    found = _WORD.match(matched.lower().replace("’", "'"))
    word = found.group() if found else ""
    for form in ("s", "ed", "ing"):
        if word in _verb_forms(base, form):
            return form
    return ""


def _verb_forms(word: str, form: str) -> set[str]:
    """The ``form`` (``s``, ``ed``, ``ing``) spellings of the verb ``word``."""
    suffix = {"s": "s", "ed": "d", "ing": "ing"}[form]
    return {w for w in _inflect_word(word, "verb") if w.endswith(suffix)}


@functools.lru_cache(maxsize=4096)
def _inflected(replacements: tuple[str, ...], form: str) -> tuple[str, ...]:
    """A term's replacements, each with :func:`_apply_verb_form` (keyed on lexicon
    data only: this runs twice per finding)."""
    return tuple(_apply_verb_form(r, form) for r in replacements)


@functools.lru_cache(maxsize=4096)
def _apply_verb_form(replacement: str, form: str) -> str:
    """Inflect the first word of ``replacement`` (a base-form verb phrase)."""
    if not form:
        return replacement
    head, _, rest = replacement.partition(" ")
    irregular = _IRREGULAR.get(head.lower())
    if irregular is not None:
        new = irregular[("s", "ed", "ing").index(form)]
    else:
        candidates = sorted(_verb_forms(head.lower(), form), key=len)
        new = candidates[0] if candidates else head
    return f"{new} {rest}" if rest else new


_IRREGULAR: dict[str, tuple[str, str, str]] = {
    "have": ("has", "had", "having"),
    "be": ("is", "was", "being"),
    "say": ("says", "said", "saying"),
    "do": ("does", "did", "doing"),
    "choose": ("chooses", "chose", "choosing"),
    "tell": ("tells", "told", "telling"),
    "die": ("dies", "died", "dying"),
}


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node]
    terms: list[int]
    exceptions: list[int]
    #: terms whose variant starts with common words (``a schizophrenic``): indexed
    #: under their first uncommon word, with the leading words checked backwards
    #: on a hit; ``(term index, leading words, is an exception)``
    prefixed: list[tuple[int, tuple[str, ...], bool]] = field(default_factory=list)
    #: the first characters of the children's words (set once the trie is built):
    #: a next word starting with anything else cannot continue a term
    initials: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Compiled:
    term: Term
    before: regex.Pattern[str] | None = None
    after: regex.Pattern[str] | None = None
    pattern: regex.Pattern[str] | None = None
    if_before: regex.Pattern[str] | None = None
    if_after: regex.Pattern[str] | None = None
    #: a vetted term's start-anchored guards compiled with the stdlib ``re`` (several
    #: times faster than ``regex`` on a 60-character window), used instead
    fast_after: re.Pattern[str] | None = None
    fast_if_after: re.Pattern[str] | None = None
    #: a vetted term's patterns are compiled on first use (see :func:`mark_vetted`)
    pending: bool = False
    #: whether any context guard is set (a term without one needs no context check)
    guarded: bool = False
    #: the term's ``_vetted`` flag (a pydantic private attribute is slow to read)
    vetted: bool = False
    #: no guard runs with a time limit (vetted, start-anchored ones compiled with
    #: ``re``), so none can raise ``TimeoutError`` and they may run in any order
    untimed: bool = False

    def compile(self, *, probe: bool) -> None:
        term = self.term
        what = f"term {term.phrase!r} (rule {term.rule})"

        def guard(source: str | None, anchored: Literal["end", "start", "none"]) -> Any:
            return _compile_guarded(source, what, anchored, probe=probe) if source else None

        self.before = guard(term.unless_before, "end")
        self.after = guard(term.unless_after, "start")
        self.pattern = guard(term.pattern, "none")
        self.if_before = guard(term.if_before, "end")
        self.if_after = guard(term.if_after, "start")
        self.guarded = any(
            g is not None for g in (self.before, self.after, self.if_before, self.if_after)
        )
        if self.vetted:
            self.fast_after = _compile_fast_start(term.unless_after)
            self.fast_if_after = _compile_fast_start(term.if_after)
            self.untimed = (self.after is None or self.fast_after is not None) and (
                self.if_after is None or self.fast_if_after is not None
            )
        self.pending = False


def _compile_fast_start(source: str | None) -> re.Pattern[str] | None:
    """A vetted start-anchored guard compiled with ``re`` (``None`` if it uses a
    ``regex``-only feature). Only for vetted patterns: ``re`` has no time limit,
    so the shipping package's tests probe these (on guard-sized windows)."""
    if not source:
        return None
    try:
        return re.compile(r"^\s*(?:" + source + ")", re.IGNORECASE)
    except re.error:
        return None


def mark_vetted(pack: TermPack) -> TermPack:
    """Mark a pack's terms as vetted: their patterns were checked (compiled and
    probed for catastrophic backtracking) by the shipping package's own tests, so a
    :class:`Lexicon` compiles them on first use instead of at start-up. The
    built-in language packs are vetted; terms from config and plugins are checked
    when the lexicon is built."""
    for term in pack.terms:
        term._vetted = True
    return pack


def _compile_guarded(
    source: str, what: str, anchored: Literal["end", "start", "none"], *, probe: bool = True
) -> Any:
    body = f"(?:{source})"
    full = {"end": body + r"\s*$", "start": r"^\s*" + body, "none": body}[anchored]
    try:
        # an end-anchored guard is searched right to left, so only the attempt that
        # ends at the match is tried (about 6x faster on a 60-character window)
        reverse = regex.REVERSE if anchored == "end" else 0
        compiled = regex.compile(full, regex.IGNORECASE | regex.VERSION1 | reverse)
    except regex.error as exc:
        raise LexiconError(f"{what}: invalid pattern {source!r}: {exc}") from None
    for sample in _PROBES if probe else ():
        try:
            compiled.search(sample, timeout=_PATTERN_TIMEOUT * 4)
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
            compiled = _Compiled(term, vetted=term._vetted)
            if compiled.vetted:
                compiled.pending = True
            else:
                compiled.compile(probe=True)
            self._compiled.append(compiled)
            if term.pattern:
                self._patterns.append(index)
            else:
                for words in term.variants():
                    self._add(words, index, exception=False)
            for exception in term.exceptions:
                # exceptions match inflected too ("insurance claims", "claims adjuster")
                variants: set[tuple[str, ...]] = set()
                for how in ("none", "noun", "verb"):
                    ex = Term(phrase=exception, rule=term.rule, inflect=how)
                    variants |= ex.variants()
                for words in variants:
                    self._add(words, index, exception=True)
        _set_initials(self._root)

    def _add(self, words: tuple[str, ...], index: int, *, exception: bool) -> None:
        lead = 0
        while lead < len(words) - 1 and words[lead] in _COMMON_WORDS:
            lead += 1
        node = self._insert(words[lead:])
        if lead:
            node.prefixed.append((index, words[:lead], exception))
        elif exception:
            node.exceptions.append(index)
        else:
            node.terms.append(index)

    def _insert(self, words: Sequence[str]) -> _Node:
        node = self._root
        for word in words:
            node = node.children.setdefault(word, _Node({}, [], []))
        return node

    def __len__(self) -> int:
        return len(self.terms)

    @cached_property
    def rule_keys(self) -> frozenset[str]:
        """The ``rule`` values that have at least one term (names or codes), so a rule
        can skip lexicon work when no term targets it."""
        return frozenset(t.rule for t in self.terms)

    def match(self, text: str) -> list[LexiconHit]:
        """Every term occurrence in ``text``, in document order, exceptions applied."""
        low = _fold(text)
        hits = self._match_words(text, low) if self._root.children else []
        for index in self._patterns:
            hits.extend(self._match_pattern(text, index))
        if len(hits) > 1:
            hits.sort(key=_hit_order)
        return hits

    @cached_property
    def _root_finder(self) -> re.Pattern[bytes] | None:
        """One pattern for every plain ASCII trie root as a whole word in the text
        as :meth:`_occurrences` spells it (words between single spaces). The
        alternation is nested as a trie (``a(?:ddict|lcoholic)``), so the C engine
        tries a handful of letters at each word start however many terms there are.

        A root that only leads into longer terms (``insurance`` of ``insurance
        claims``) is found only where a word that can continue it follows (see
        :func:`_continuation`): elsewhere the walk would record nothing."""
        roots = self._root.children
        plain = [w for w in roots if w not in self._odd_roots]
        if not plain:
            return None
        tails = {w: _continuation(roots[w]) for w in plain}
        body = _trie_source(plain, tails)
        return re.compile(b" (" + body.encode() + b")(?= )")

    @cached_property
    def _plain_nodes(self) -> dict[bytes, _Node]:
        """The roots :meth:`_root_finder` covers, by their ASCII spelling (what it
        matched, or a word split from a short text, picks the node)."""
        odd = set(self._odd_roots)
        return {w.encode(): n for w, n in self._root.children.items() if w not in odd}

    @cached_property
    def _odd_roots(self) -> tuple[str, ...]:
        """Root words the finder does not cover (an apostrophe, a non-ASCII letter):
        looked for with ``str.find`` instead."""
        return tuple(
            w for w in self._root.children if "'" in w or not w.isascii() or len(w) > _MAX_TRIE_WORD
        )

    def _occurrences(self, low: str) -> list[tuple[int, int, _Node]]:
        """``(start, end, root node)`` of each word in ``low`` that starts a term
        (before boundary checks: :func:`_word_end` has the last word): the scan's
        in document order, then the odd roots'."""
        found: list[tuple[int, int, _Node]] = []
        # byte offsets equal character offsets: "replace" writes one "?" per
        # non-ASCII character; the leading space shifts them by one
        spaced = b" " + low.encode("ascii", "replace").translate(_BREAKS) + b" "
        if len(low) <= _SHORT_TEXT:
            # a short text: a dictionary look-up per word, so the finder is never
            # compiled for it (that costs more than linting a short note, as the CLI
            # does once); the same occurrences, less the finder's pre-filter
            plain, at = self._plain_nodes, -1
            for token in spaced.split(b" "):
                node = plain.get(token) if token else None
                if node is not None:
                    found.append((at, at + len(token), node))
                at += len(token) + 1
        elif (finder := self._root_finder) is not None:
            nodes = self._plain_nodes
            found = [(m.start(), m.end() - 1, nodes[m.group(1)]) for m in finder.finditer(spaced)]
        roots = self._root.children
        n = len(low)
        for word in self._odd_roots:
            start = low.find(word)
            while start >= 0:
                # whole words only (the scan above guarantees that for its own)
                if _word_end(low, start, start + len(word), n) >= 0:
                    found.append((start, start + len(word), roots[word]))
                start = low.find(word, start + 1)
        return found

    def _match_words(self, text: str, low: str) -> list[LexiconHit]:
        """Walk the trie from each occurrence of a word that starts a term.

        The occurrences come from one C-level scan (:meth:`_occurrences`), so the
        cost is that scan plus work proportional to the hits, however many terms
        the lexicon holds. The hits come in no particular order (:meth:`match`
        sorts them)."""
        raw: list[tuple[int, int, int]] = []  # (term index, start, end)
        blocked: list[tuple[int, int, int]] = []
        n = len(low)
        for at, stop, root in self._occurrences(low):
            # the scan puts ASCII non-word characters on both sides; anything else
            # (an apostrophe, a non-ASCII letter) needs the full boundary test
            before = low[at - 1] if at else " "
            after = low[stop] if stop < n else " "
            if before.isascii() and after.isascii() and before != "'" and after != "'":
                token_end = stop
            else:
                token_end = _word_end(low, at, stop, n)
                if token_end < 0:
                    continue
            node: _Node | None = root
            while node is not None:
                for t in node.terms:
                    raw.append((t, at, stop))
                for t in node.exceptions:
                    blocked.append((t, at, stop))
                for t, lead, exception in node.prefixed:
                    begin = _preceded_by(low, at, lead)
                    if begin is not None:
                        (blocked if exception else raw).append((t, begin, stop))
                if not node.children or stop != token_end or after not in _SEPARATOR_START:
                    break
                if after == " " and token_end + 1 < n:
                    # the usual single space: the next word starts right after it
                    initial = low[token_end + 1]
                    if initial not in node.initials and initial.isascii() and initial.isalnum():
                        break
                nxt = _NEXT_WORD.match(low, token_end)
                if nxt is None:
                    break
                node, stop = _step(node.children, low, nxt.start(1), nxt.end())
                token_end = nxt.end()
                after = low[token_end] if token_end < n else " "
        if not raw:
            return []
        spans_blocked: dict[int, list[tuple[int, int]]] = {}
        for b, bs, be in blocked:
            spans_blocked.setdefault(b, []).append((bs, be))
        # longest first: a hit inside an accepted longer hit of the same rule is dropped
        # anyway (``_longest_per_term``), so its context need not be checked
        if len(raw) > 1:
            raw.sort(key=_longest_first)
        if len(raw) > _MANY_RAW:  # bounded: pathological texts take the general path
            return self._accept_many(text, raw, spans_blocked)
        # Each hit is checked against the hits of its rule accepted so far, which
        # are at least as long: one that contains it, or has its span, makes it a
        # hit that ``_longest_per_term`` would drop, so no hit is left for it to drop
        # (its first hit on a span is the first accepted, as here).
        hits: list[LexiconHit] = []
        accepted: dict[str, list[tuple[int, int]]] = {}
        terms, compiled = self.terms, self._compiled
        for t, start, end in raw:
            if spans_blocked:
                spans = spans_blocked.get(t)
                if spans is not None and _overlaps_any(spans, start, end):
                    continue
            term = terms[t]
            rule = term.rule
            kept = accepted.get(rule)
            if kept is not None and _contains(kept, start, end):
                continue
            c = compiled[t]
            if (c.guarded or c.pending) and not self._context_allows(t, text, start, end):
                continue
            if kept is None:
                accepted[rule] = [(start, end)]
            else:
                kept.append((start, end))
            hits.append(LexiconHit(term, start, end, text[start:end]))
        return hits

    def _accept_many(
        self,
        text: str,
        raw: list[tuple[int, int, int]],
        spans_blocked: dict[int, list[tuple[int, int]]],
    ) -> list[LexiconHit]:
        """The hits among ``raw`` (sorted longest first) when there are many: each
        checked on its own, then :func:`_longest_per_term` (no list of accepted
        spans to search, which a pathological text could make long)."""
        hits = []
        terms = self.terms
        for t, start, end in raw:
            if spans_blocked and _overlaps_any(spans_blocked.get(t), start, end):
                continue
            c = self._compiled[t]
            if (c.guarded or c.pending) and not self._context_allows(t, text, start, end):
                continue
            hits.append(LexiconHit(terms[t], start, end, text[start:end]))
        return _longest_per_term(hits) if len(hits) > 1 else hits

    def _context_allows(self, t: int, text: str, start: int, end: int) -> bool:
        c = self._compiled[t]
        if c.pending:
            c.compile(probe=False)
        if c.untimed:
            # nothing can time out, so the order is free: the start-anchored guards
            # (stdlib ``re`` on a slice) cost less than the end-anchored ones
            if (c.if_before is not None or c.if_after is not None) and not (
                _after_matches(c.if_after, c.fast_if_after, text, end)
                or _before_matches(c.if_before, text, start, True)
            ):
                return False
            after, before = c.fast_after, c.before
            if after is not None and after.match(text[end : end + 60]) is not None:
                return False
            return before is None or before.search(text[max(0, start - 60) : start]) is None
        try:
            vetted = c.vetted
            if (c.if_before is not None or c.if_after is not None) and not (
                _before_matches(c.if_before, text, start, vetted)
                or _after_matches(c.if_after, c.fast_if_after, text, end)
            ):
                return False
            if _before_matches(c.before, text, start, vetted):
                return False
            if _after_matches(c.after, c.fast_after, text, end):
                return False
        except TimeoutError:
            return True
        return True

    def _match_pattern(self, text: str, index: int) -> list[LexiconHit]:
        c = self._compiled[index]
        if c.pending:
            c.compile(probe=False)
        assert c.pattern is not None
        out = []
        try:
            for m in c.pattern.finditer(text, timeout=_PATTERN_TIMEOUT):
                if m.end() > m.start() and self._context_allows(index, text, m.start(), m.end()):
                    out.append(LexiconHit(c.term, m.start(), m.end(), m.group()))
        except TimeoutError:
            pass  # a pattern that times out on this document reports nothing for it
        return out


def _before_matches(guard: regex.Pattern[str] | None, text: str, start: int, vetted: bool) -> bool:
    """Whether an end-anchored guard matches the 60 characters before ``start``.
    A vetted guard (probed by the shipping package's tests) runs without the time
    limit, which costs several times the search itself on such a short window."""
    if guard is None:
        return False
    window = text[max(0, start - 60) : start]
    if vetted:
        return guard.search(window) is not None
    return guard.search(window, timeout=_PATTERN_TIMEOUT) is not None


def _after_matches(
    guard: regex.Pattern[str] | None, fast: re.Pattern[str] | None, text: str, end: int
) -> bool:
    """Whether a start-anchored guard matches the 60 characters after ``end``."""
    if fast is not None:
        return fast.match(text[end : end + 60]) is not None
    if guard is None:
        return False
    return guard.match(text[end : end + 60], timeout=_PATTERN_TIMEOUT) is not None


def _set_initials(root: _Node) -> None:
    """Fill in every node's :attr:`_Node.initials` (iteratively: terms may be long)."""
    stack = [root]
    while stack:
        node = stack.pop()
        node.initials = frozenset(word[0] for word in node.children if word)
        stack.extend(node.children.values())


def _longest_first(r: tuple[int, int, int]) -> tuple[int, int]:
    return (r[1] - r[2], r[1])


def _overlaps_any(spans: list[tuple[int, int]] | None, start: int, end: int) -> bool:
    if spans:
        for s, e in spans:
            if s < end and start < e:
                return True
    return False


def _contains(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans`` (or equals it)."""
    for s, e in spans:  # noqa: SIM110 (a loop: any() over a generator costs more)
        if s <= start and end <= e:
            return True
    return False


def _hit_order(hit: LexiconHit) -> tuple[int, int]:
    return (hit.start, hit.end)


def _is_word_char(c: str) -> bool:
    """``\\w`` of the ``re`` module, for one character."""
    return c.isalnum() or c == "_"


def _word_end(low: str, start: int, stop: int, n: int) -> int:
    """Where the whole word ``low[start:stop]`` (or its possessive ``'s``) ends, or
    -1 when that substring is part of a longer word. The same boundaries as the
    pattern ``w(?<!\\ww)(?<!\\w'w)(?:'s)?(?!\\w|'\\w)``."""
    if start:
        c = low[start - 1]
        if c.isalnum() or c == "_":
            return -1
        if c == "'" and start > 1 and _is_word_char(low[start - 2]):
            return -1
    if stop == n:
        return stop
    c = low[stop]
    if c.isalnum() or c == "_":
        return -1
    if c != "'":
        return stop
    if stop + 1 == n:
        return stop
    after = low[stop + 1]
    if after == "s" and (stop + 2 == n or _ends_word(low, stop + 2, n)):
        return stop + 2
    return -1 if _is_word_char(after) else stop


def _ends_word(low: str, i: int, n: int) -> bool:
    """Whether ``(?!\\w|'\\w)`` holds at ``i`` (``i < n``)."""
    c = low[i]
    if c.isalnum() or c == "_":
        return False
    return not (c == "'" and i + 1 < n and _is_word_char(low[i + 1]))


def _step(children: dict[str, _Node], low: str, start: int, end: int) -> tuple[_Node | None, int]:
    """The trie node for the word ``low[start:end]`` and where the match ends; a
    possessive (``addict's``) also matches its stem, ending before the ``'s``."""
    node = children.get(low[start:end])
    if node is None and low.endswith("'s", start, end) and end - start > 2:
        return children.get(low[start : end - 2]), end - 2
    return node, end


#: texts up to this many characters find their first words by splitting rather than
#: with the compiled finder (see :meth:`Lexicon._occurrences`)
_SHORT_TEXT = 1_000

#: bytes that end an ASCII word (punctuation, apostrophes, control characters and
#: the ``?`` that stands for any non-ASCII character), mapped to spaces
_BREAKS = bytes(
    32 if c < 0x20 or chr(c) in "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~\x7f" else c for c in range(256)
)


#: past this many candidate hits in one document, :meth:`Lexicon._accept_many` checks
#: each on its own (the accepted spans it would otherwise search could grow long)
_MANY_RAW = 64
#: longer root words are found with ``str.find`` (the trie pattern nests per letter)
_MAX_TRIE_WORD = 40


def trie_pattern(words: Iterable[str]) -> str:
    """A regex source matching exactly ``words``, with the alternation nested as a
    trie (the engine compares one character per branch instead of trying every word);
    a longer word is tried before its prefix. Shared by every plugin that scans for
    a word list.

    >>> trie_pattern(["no", "not", "never"])
    'n(?:ever|ot?)'
    """
    return _trie_source(words, {})


def _trie_source(words: Iterable[str], tails: Mapping[str, str]) -> str:
    """:func:`trie_pattern`, with ``tails[word]`` (a lookahead) required after
    ``word`` where given."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = tails.get(word, "")

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return str(node.get("", ""))
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            tail = node[""]
            if tail:
                return f"(?:{body}|{tail})"
            return body + "?" if len(branches) == 1 and len(body) == 1 else f"(?:{body})?"
        return body

    return build(trie)


def _continuation(root: _Node) -> str:
    """A lookahead (on the text as :meth:`Lexicon._occurrences` spells it) that the
    walk from ``root`` needs to record anything: ``""`` when the root word is itself
    a term, an exception or the end of a prefixed term. Otherwise only a following
    word can, and the separator before it reads as spaces there, so it must start
    with one of the children's first letters (all of them plain ASCII word
    characters, or no lookahead is given)."""
    if root.terms or root.exceptions or root.prefixed or not root.children:
        return ""
    initials = sorted(root.initials)
    if not initials or not all(c in _ASCII_WORD_CHARS for c in initials):
        return ""
    return "(?= +[" + "".join(initials) + "])"


#: the characters :data:`_BREAKS` keeps (lower-cased text has no ASCII capitals)
_ASCII_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


#: the characters a separator (``_SEPARATOR``) can start with
_SEPARATOR_START = frozenset(" \t-‐‑–\n")
#: a separator (``_SEPARATOR``) and the word after it, for walking multiword terms
_NEXT_WORD = re.compile(f"(?:{_SEPARATOR.pattern})({_WORD.pattern})")
#: words too common to start a trie walk from (see ``_Node.prefixed``)
_COMMON_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "being",
        "am",
        "in",
        "on",
        "at",
        "of",
        "to",
        "for",
        "by",
        "with",
        "and",
        "or",
        "not",
        "no",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "their",
        "its",
        "my",
        "our",
        "your",
        "he",
        "she",
        "they",
        "he's",
        "she's",
        "they're",
        "has",
        "have",
        "had",
        "it",
        "as",
        "so",
        "very",
    ]
)
_PREVIOUS_WORD = re.compile(r"(?<![\w'])(\w+(?:'\w+)*)(?:[ \t\-‐‑–]{1,3}|[ \t]*\n[ \t]*)$")


def _preceded_by(low: str, start: int, lead: tuple[str, ...]) -> int | None:
    """Where the words ``lead`` begin if they come right before ``start``."""
    for word in reversed(lead):
        begin = max(0, start - len(word) - 8)
        if low.find(word, begin, start) < 0:  # (cheap) the word is not even there
            return None
        m = _PREVIOUS_WORD.search(low, begin, start)
        if m is None or m.group(1) != word:
            return None
        start = m.start()
    return start


def _fold(text: str) -> str:
    """Lower-case ``text`` without changing its length (so offsets stay valid):
    ``"İ".lower()`` is two code points, so such characters are kept as they are."""
    return lower_keeping_offsets(text).replace("’", "'")


def _longest_per_term(hits: list[LexiconHit]) -> list[LexiconHit]:
    """Drop a hit contained in a longer hit of the same rule (``crack addict`` over
    ``addict``), and all but the first hit of a rule on the same span. Linear after
    the sort: per rule, only the kept hit reaching furthest can contain a later one."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[LexiconHit] = []
    seen: set[tuple[str, int, int]] = set()
    reach: dict[str, tuple[int, int]] = {}
    for hit in hits:
        rule = hit.term.rule
        key = (rule, hit.start, hit.end)
        if key in seen:
            continue
        furthest = reach.get(rule)
        if furthest is not None and furthest[0] <= hit.start and hit.end <= furthest[1]:
            continue
        kept.append(hit)
        seen.add(key)
        if furthest is None or hit.end > furthest[1]:
            reach[rule] = (hit.start, hit.end)
    return kept


def builtin_pack(package: str, filename: str) -> TermPack:
    """Load a term pack shipped as package data (``package``/``filename``)."""
    return load_term_pack(resources.files(package).joinpath(filename), packaged=True)


def hits_for_context(lexicon: Lexicon) -> Callable[[Context], list[LexiconHit]]:
    """The factory the engine gives each :class:`~inquiry_assist.rules.Context`."""

    def factory(ctx: Context) -> list[LexiconHit]:
        return lexicon.match(ctx.text)

    return factory
