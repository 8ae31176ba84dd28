"""Consent packs: triggers, satisfiers and cues as TOML data, compiled once.

A *consent pack* is a TOML file with any of these parts (all optional)::

    name = "my-clinic-consent"

    [sets]                     # named regex alternatives, used in patterns as {name}
    third_party = ["case\\s+manager"]     # a later pack adds alternatives to a set

    [words]                    # named word lists, used in starts, requires, near and
    parties = ["court", "judge"]  # near_after as "{name}" (a later pack adds words)

    [facts]                    # facts["consent.active"] value -> rule codes it satisfies
    recording = ["C302"]

    [suggestions]              # rule code -> documentation sentence; {trigger} = flagged text
    C303 = "{trigger}, under a signed release"

    [[trigger]]                # an action that needs documentation
    rule = "C303"              # rule code (or name)
    id = "faxed-records"       # unique within its rule
    pattern = '\\bfaxed\\b...'  # regex, case-insensitive; {set} expands
    starts = ["faxed"]         # words a match can begin with (lower case); the pattern
                               # is tried only where one of them starts a word
    requires = ["court"]       # optional: skip unless one of these words is in the text
                               # (or ["{parties}"]: every word of that list)
    near = ["court", "judge"]  # optional: every match holds a word beginning with one of
                               # these (lower-case ASCII words), before ``stop`` and after
                               # ``near_after`` (see below)
    near_after = ["to"]        # optional (with near): a word every match has before it
    stop = '[;!?]'             # optional (with near): a regex no match reaches past
    agent = "clinician"        # optional: only when the clinician is the clause subject
    kinds = ["note"]           # optional: document kinds (default note and goal)
    source = "APA Ethics Code 4.05"

    [[satisfier]]              # documentation that clears triggers of ``rules``
    rules = ["C303"]
    id = "roi-signed"
    scope = "document"         # document | nearby (same or adjacent sentence) | sentence
    pattern = '...'
    source = "..."

    [[cue]]                    # a named signal a rule combines in its own logic
    rule = "C305"
    cue = "request"
    id = "..."
    pattern = '...'

The built-in packs ship with the package (``vocabulary.toml``, ``triggers.toml``,
``satisfiers.toml``, ``cues.toml``) and are read through :mod:`importlib.resources`.
Every pattern is compiled on its own (an error names the pack and entry, never note
text). Matching is anchored: a document's words are collected once, and an entry's
pattern is tried only at the words listed in its ``starts`` (and only when one of its
``requires`` words occurs), so a clean note costs a set intersection and a handful of
anchored ``match`` calls rather than a regex scan per entry. Entries without
``starts`` still work (searched over the whole text) but are slower.

An optional hint, ``near``, lets a costly entry skip places where it cannot match.
It is a promise about every match of the pattern, written from its structure: after
the word the match starts with, it holds a word (of the word index: lower-cased;
punctuation other than hyphens and whitespace separate words) beginning with one of
the ``near`` strings (say, the words its final alternatives begin with), before the
first match of ``stop`` from the anchor (a regex, case-insensitive, run like the
pattern, on the same text with the same engine: say, the characters the pattern can
never match) and after the first of the ``near_after`` words that follows the anchor
(if given). The hint never changes what is found, only how often the pattern is
tried: it pays where an attempt is costly (a long pattern with many ways to fail) and
costs about a microsecond per anchor where it is cheap. A later pack that adds
alternatives to a set the pattern uses turns the entry's hint off, and so does text
holding a character that case-insensitive matching equates with an ASCII letter of
another case family (``ſ``, ``ı``).
"""

from __future__ import annotations

import bisect
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeAlias

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ...model import Kind
from ...tomlcache import read_toml

__all__ = [
    "BUILTIN_PACKS",
    "ConsentData",
    "ConsentPack",
    "ConsentPackError",
    "Cue",
    "EntryGroup",
    "Satisfier",
    "Trigger",
    "WordIndex",
    "builtin_packs",
    "compile_packs",
    "load_consent_pack",
]

BUILTIN_PACKS = ("vocabulary.toml", "triggers.toml", "satisfiers.toml", "cues.toml")
_FLAGS = regex.IGNORECASE | regex.V0
#: how far past an anchor :meth:`WordIndex.reaches` looks (see there)
_HINT_REACH = 2_000
#: "{name}": a set in a pattern, or (as a whole item) a word list in ``starts``,
#: ``requires``, ``near`` or ``near_after``
_SET_REF = regex.compile(r"\{([a-z_][a-z0-9_]*)\}")
Scope = Literal["document", "nearby", "sentence"]
#: A compiled entry pattern: the standard library's ``re`` when it can compile the
#: pattern (its per-call cost is lower), else ``regex`` (variable-width lookbehind).
Pattern: TypeAlias = re.Pattern[str] | regex.Pattern[str]


class ConsentPackError(ValueError):
    """A consent pack that cannot be used; the message names the pack and entry."""


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    pattern: str = Field(min_length=1)
    starts: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    near_after: tuple[str, ...] = ()
    stop: str = ""
    kinds: tuple[Kind, ...] = ("note", "goal")
    source: str = ""
    note: str = ""

    @field_validator("starts", "requires")
    @classmethod
    def _words(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        if any(not word.strip() for word in words):
            raise ValueError("a word must not be empty")
        return words

    @field_validator("near", "near_after")
    @classmethod
    def _hint_words(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        for word in words:
            if _SET_REF.fullmatch(word) is None:  # a list is checked once expanded
                _check_hint_word(word)
        return words


def _check_hint_word(word: str) -> None:
    # what a hint compares with the lower-cased word index: ASCII words only
    if not word.isascii() or word.lower() != word or flatten(word).split() != [word]:
        raise ValueError(f"hint word {word!r} is not one lower-case ASCII word")


class Trigger(_Entry):
    """An action that needs consent documentation (reported when unsatisfied)."""

    rule: str
    agent: Literal["any", "clinician"] = "any"


class Satisfier(_Entry):
    """Documentation that clears the triggers of ``rules`` within ``scope``."""

    rules: tuple[str, ...] = Field(min_length=1)
    scope: Scope = "document"


class Cue(_Entry):
    """A named signal (``cue``) for one rule's own logic."""

    rule: str
    cue: str = Field(min_length=1)


class ConsentPack(BaseModel):
    """One TOML file's worth of consent data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    description: str = ""
    source: str = ""
    sets: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    words: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    facts: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    suggestions: dict[str, str] = Field(default_factory=dict)
    trigger: tuple[Trigger, ...] = ()
    satisfier: tuple[Satisfier, ...] = ()
    cue: tuple[Cue, ...] = ()


def load_consent_pack(
    path: str | Path | resources.abc.Traversable, *, packaged: bool = False
) -> ConsentPack:
    """Read and validate one consent pack (errors name the file and entry);
    ``packaged``: it ships inside an installed package (see :mod:`...tomlcache`)."""
    try:
        data: Mapping[str, Any] = read_toml(path, packaged=packaged)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConsentPackError(f"{path}: cannot read consent pack: {exc}") from exc
    try:
        return ConsentPack.model_validate(data)
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConsentPackError(f"{path}: invalid consent pack: {where}") from None


def builtin_packs() -> list[ConsentPack]:
    """The packs shipped with the built-in ``consent`` plugin."""
    root = resources.files(__package__ or "inquiry_assist.builtin.consent")
    return [load_consent_pack(root.joinpath(name), packaged=True) for name in BUILTIN_PACKS]


_PUNCTUATION = "".join(ch for ch in "!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~’‘“”«»—–…·" if ch != "-")
# every character str.split() treats as whitespace, apart from the space itself
_SPACES = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace() and ch != " ")
_FLATTEN = str.maketrans(_PUNCTUATION + _SPACES, " " * (len(_PUNCTUATION) + len(_SPACES)))
# the same for text that is not ASCII (str.translate is only fast on ASCII text)
_TYPOGRAPHIC = "’‘“”—–…\xa0"
_SEPARATOR = re.compile("[" + re.escape(_PUNCTUATION + _SPACES) + "]")
# an uppercase escape (\S, \W, ...) is fine in a pattern matched on lower-cased text
_UPPER_ESCAPE = re.compile(r"\\[ABDSWZ]")


def flatten(lowered: str) -> str:
    """``lowered`` with every separator (punctuation other than hyphens, whitespace)
    turned into one space, padded with a space on both sides; offsets shift by one."""
    if not lowered.isascii():
        # the usual non-ASCII punctuation of pasted notes, so translate stays fast
        for ch in _TYPOGRAPHIC:
            if ch in lowered:
                lowered = lowered.replace(ch, " ")
    flat = lowered.translate(_FLATTEN) if lowered.isascii() else _SEPARATOR.sub(" ", lowered)
    return f" {flat} "


class WordIndex:
    """Which words of a vocabulary a document holds, as lower-cased whole words
    (punctuation other than hyphens separates words), and where each occurs. Built
    once per document and shared by all rules; ``words`` are the vocabulary words
    present. Positions are found on request (a ``str.find`` loop on the flattened
    text), so only the words some entry actually needs are located. (A single pass
    locating every vocabulary word at once, a trie-shaped alternation, was measured:
    a full regex pass over a note costs about as much as twenty to thirty such loops,
    so it paid only on notes that locate more words than that.)

    Without a vocabulary ``words`` holds every word of the document; for exotic text
    whose lower case changes its length matching falls back to a regex scan."""

    __slots__ = (
        "_exotic",
        "_flat",
        "_positions",
        "lowered",
        "required",
        "text",
        "usable",
        "words",
    )

    def __init__(
        self,
        text: str,
        vocabulary: AbstractSet[str] | None = None,
        flat: str | None = None,
        tokens: Sequence[str] | None = None,
        *,
        lowered: str | None = None,
        present: AbstractSet[str] | None = None,
    ) -> None:
        """``flat``, ``tokens``, ``lowered`` and ``present`` (the vocabulary words in
        ``tokens``) may be passed when the caller has already worked them out."""
        self.text = text
        if lowered is None:
            lowered = text.lower()
        # lower-casing can change the length of exotic text; then scan the slow way
        self.usable = len(lowered) == len(text)
        self.lowered = lowered if self.usable else text
        self._flat = (flat or flatten(lowered)) if self.usable else "  "
        self._positions: dict[str, list[int]] = {}
        #: per ``requires`` set (see :meth:`EntryGroup.find`), whether one of its words
        #: is among :attr:`words`: worked out once per document
        self.required: dict[frozenset[str], bool] = {}
        # text a ``near`` hint cannot judge (see :data:`_FOLDS_TO_ASCII`)
        self._exotic = _FOLDS_TO_ASCII[0] in text or _FOLDS_TO_ASCII[1] in text
        self.words: AbstractSet[str]
        if present is not None and self.usable:
            self.words = present
            return
        if tokens is None or not self.usable:
            tokens = self._flat.split()
        if vocabulary is None:
            self.words = frozenset(tokens)
        else:
            self.words = frozenset(vocabulary).intersection(tokens)

    def positions(self, word: str) -> list[int]:
        """Start offsets of ``word`` as a whole word."""
        found = self._positions.get(word)
        if found is None:
            # pad so that every word has a space on both sides: " word " finds whole words
            flat, needle = self._flat, f" {word} "
            found = []
            i = flat.find(needle)
            while i >= 0:
                found.append(i)
                i = flat.find(needle, i + len(word) + 1)
            self._positions[word] = found
        return found

    def reaches(self, near: Near, pos: int) -> bool:
        """Whether an entry with the hint ``near`` can match at ``pos``: a word that
        begins with one of its strings starts after the word at ``pos``, before the
        first ``stop`` from ``pos`` and after the first of its ``after`` words from
        ``pos`` (when it has any)."""
        if self._exotic:
            return True
        flat = self._flat
        stop, after, words = near.compiled or near.compile()
        # look no further than _HINT_REACH: where the answer lies beyond it, say "may"
        # (the entry's own pattern decides), so a long text with no stop in sight
        # costs each anchor a bounded search, not a scan to its end
        size = len(self.text)
        reach = pos + _HINT_REACH
        m = (
            stop(self.lowered if near.lowered else self.text, pos, reach)
            if stop is not None
            else None
        )
        hi = m.start() if m is not None else min(size, reach)
        unsure = m is None and reach < size
        lo = pos + 1  # after the anchor's own word
        if after:
            # " word " at ``t`` in the flattened text is the word at offset ``t``
            lo = -1
            for needle in after:
                t = flat.find(needle, pos, hi + len(needle))
                if t >= 0 and (lo < 0 or t < lo):
                    lo = t
            if lo < 0:
                return unsure
            lo += 1
        # a word at offset ``p`` is " word" at ``p`` in the flattened text
        if lo < hi and words(flat, lo, hi + 1) is not None:
            return True
        return unsure

    def positions_within(self, word: str, windows: Sequence[tuple[int, int]]) -> list[int]:
        """Start offsets of ``word`` inside ``windows`` (``[lo, hi)`` ranges), in order:
        only the windows are searched unless the word's positions are already known."""
        windows = _merged(windows)
        known = self._positions.get(word)
        if known is not None:
            return [pos for pos in known if _inside(windows, pos)]
        flat, needle = self._flat, f" {word} "
        found: list[int] = []
        last = -1
        for lo, hi in windows:
            # a match starting at ``i`` in flattened text is the word at offset ``i``
            i = flat.find(needle, max(lo, last + 1), hi + len(needle) - 1)
            while i >= 0:
                found.append(i)
                last = i
                i = flat.find(needle, i + len(word) + 1, hi + len(needle) - 1)
        return found


#: characters that case-insensitive matching (``re`` or ``regex``) equates with an ASCII
#: letter although their lower case is not that letter (a ``near`` hint cannot see them)
_FOLDS_TO_ASCII = ("\u017f", "\u0131")  # long s, dotless i


_Search: TypeAlias = Callable[..., "re.Match[str] | regex.Match[str] | None"]


class Near:
    """An entry's ``near`` hint (see the module docstring), compiled on first use."""

    __slots__ = ("after", "compiled", "lowered", "stop", "words")

    def __init__(self, words: Iterable[str], after: Iterable[str], stop: str) -> None:
        #: a space and then a word beginning with any of ``words``, in flattened text
        self.words = _prefixes(words)
        #: `` word `` for each ``after`` word, as found in the flattened text
        self.after = tuple(f" {w} " for w in after)
        self.stop = stop
        #: whether ``stop`` is searched for in the lower-cased text (as the pattern is)
        self.lowered = False
        #: ``(stop search or None, after, words search)`` once compiled
        self.compiled: tuple[_Search | None, tuple[str, ...], _Search] | None = None

    def compile(
        self, engine: Any = re, lowered: bool = False
    ) -> tuple[_Search | None, tuple[str, ...], _Search]:
        """Compile the hint's patterns: ``stop`` case-insensitively, for the text the
        entry's pattern runs on (``lowered`` or not) and with its ``engine`` (so that
        classes such as ``\\w`` mean the same) where that accepts it, else ``regex``."""
        stop: _Search | None = None
        if self.stop:
            try:
                stop = (
                    re.compile(self.stop, re.IGNORECASE)
                    if engine is re
                    else regex.compile(self.stop, _FLAGS)
                ).search
            except re.error:
                stop = regex.compile(self.stop, _FLAGS).search
        self.lowered = lowered
        self.compiled = (stop, self.after, re.compile(self.words).search)
        return self.compiled


def _prefixes(words: Iterable[str]) -> str:
    """A regex for a space followed by a word beginning with any of ``words`` (a
    trie, so that each space costs a character test or two rather than one per word)."""
    trie: dict[str, Any] = {}
    for word in sorted(set(words)):
        node = trie
        for ch in word:
            if "" in node:  # a shorter word already covers this one
                break
            node = node.setdefault(ch, {})
        else:
            node.clear()
            node[""] = {}

    def build(node: dict[str, Any]) -> str:
        if "" in node:
            return ""
        alternatives = [re.escape(ch) + build(child) for ch, child in sorted(node.items())]
        return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"

    return " " + build(trie)


#: a match already tried at a position (``None``: none there), shared by the groups that
#: hold the same entry
Memo: TypeAlias = dict[tuple[int, int], int | None]
_Matcher: TypeAlias = tuple[
    Callable[[str, int], "re.Match[str] | regex.Match[str] | None"], bool, int
]
#: one entry to try at an anchor word: its index, ``requires`` words and ``near`` hint
_Step: TypeAlias = tuple[int, "frozenset[str] | None", "Near | None"]


@dataclass(frozen=True)
class EntryGroup:
    """Compiled entries of one role for one rule (or one cue of one rule).

    An entry with ``starts`` is tried only where one of those words begins (a handful
    of anchored ``match`` calls per document); one without is searched for over the
    whole text (correct, but slower: give extension entries ``starts``)."""

    entries: tuple[Trigger | Satisfier | Cue, ...]
    patterns: tuple[Pattern, ...]
    by_start: Mapping[str, tuple[int, ...]]
    unanchored: tuple[int, ...]
    anchors: frozenset[str]
    requires: tuple[frozenset[str], ...]
    #: the pattern without IGNORECASE for lower-cased text (faster), where equivalent
    lowered: tuple[Pattern | None, ...] = ()
    #: per entry, its ``near`` hint (if any)
    near: tuple[Near | None, ...] = ()
    #: per entry, filled on first use: the compiled ``match`` method, whether it runs
    #: on the lower-cased text, and the memo key of the pattern
    _matchers: list[_Matcher | None] = field(default_factory=list, compare=False, repr=False)
    #: per set of entries (``find``'s ``only``), their anchors and :attr:`plan`
    _subsets: dict[frozenset[int], tuple[frozenset[str], dict[str, tuple[_Step, ...]]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        self._matchers.extend([None] * len(self.patterns))

    @cached_property
    def document_scope(self) -> frozenset[int]:
        """The entries that are satisfiers of scope ``document``."""
        return frozenset(
            i
            for i, e in enumerate(self.entries)
            if isinstance(e, Satisfier) and e.scope == "document"
        )

    @cached_property
    def other_scope(self) -> frozenset[int]:
        """The entries not in :attr:`document_scope`."""
        return frozenset(range(len(self.entries))) - self.document_scope

    def _matcher(self, i: int) -> _Matcher:
        """Entry ``i``'s matcher (compiling its pattern now if needed)."""
        fast = self.lowered[i] if self.lowered else None
        pattern = fast or self.patterns[i]
        compiled = _compiled(pattern)
        matcher = self._matchers[i] = (compiled.match, fast is not None, id(pattern))
        near = self.near[i] if self.near else None
        if near is not None:  # its stop, like the pattern (engine and text)
            near.compile(regex if isinstance(compiled, regex.Pattern) else re, fast is not None)
        return matcher

    @cached_property
    def plan(self) -> dict[str, tuple[_Step, ...]]:
        """Per anchor word, the entries that may start there, each with its ``requires``
        words (``None`` when it has none) and its ``near`` hint: worked out once."""
        requires, nears = self.requires, self.near or (None,) * len(self.entries)
        return {
            word: tuple((i, requires[i] or None, nears[i]) for i in indices)
            for word, indices in self.by_start.items()
        }

    def _subset(self, only: frozenset[int]) -> tuple[frozenset[str], dict[str, tuple[_Step, ...]]]:
        """The anchors and :attr:`plan` of the entries in ``only``."""
        subset = self._subsets.get(only)
        if subset is None:
            plan = {
                word: kept
                for word, steps in self.plan.items()
                if (kept := tuple(step for step in steps if step[0] in only))
            }
            subset = self._subsets[only] = (frozenset(plan), plan)
        return subset

    def find(
        self,
        words: WordIndex,
        memo: Memo | None = None,
        windows: Sequence[tuple[int, int]] | None = None,
        everywhere: frozenset[int] = frozenset(),
        only: frozenset[int] | None = None,
        until: Callable[[int, int], bool] | None = None,
    ) -> list[tuple[int, int, int]]:
        """``(entry_index, start, end)`` of every match (at most one per entry and
        start position) of the entries in ``only`` (default: all). ``memo`` shares
        matches between groups holding one entry (with the places its ``near`` hint
        ruled out, so the hint is not checked again there); whether a ``requires`` set
        is present is worked out once per document (``words.required``), and each
        group's per-word entries are prepared once (:attr:`plan`). ``windows``
        (``[lo, hi)`` ranges) limits where a match may start, except for the entries
        in ``everywhere``.
        With ``until``, the search may stop at the first anchored match for which
        ``until(entry_index, start)`` is true: then the last one returned."""
        text = words.text
        out: list[tuple[int, int, int]] = []
        if windows is not None:
            windows = _merged(windows)
        if not words.usable:
            for i, pattern in enumerate(self.patterns):
                if only is None or i in only:
                    out.extend((i, m.start(), m.end()) for m in pattern.finditer(text))
            return _within(out, windows, everywhere)
        present = words.words
        low = words.lowered
        matchers = self._matchers
        anchors, plan = (self.anchors, self.plan) if only is None else self._subset(only)
        # whether some word of a ``requires`` set is present, once per set and document
        required = words.required
        for word in anchors.intersection(present):
            steps = []
            for step in plan[word]:
                needs = step[1]
                if needs is not None:
                    ok = required.get(needs)
                    if ok is None:
                        ok = required[needs] = not needs.isdisjoint(present)
                    if not ok:
                        continue
                steps.append(step)
            if not steps:
                continue
            if windows is not None and not everywhere:
                where = words.positions_within(word, windows)
            else:
                where = words.positions(word)
            for pos in where:
                tried = steps
                if windows is not None and not _inside(windows, pos):
                    tried = [step for step in steps if step[0] in everywhere]
                for i, _, near in tried:
                    matcher = matchers[i] or self._matcher(i)
                    if memo is None:
                        if near is not None and not words.reaches(near, pos):
                            continue  # cannot match here
                        m = matcher[0](low if matcher[1] else text, pos)
                        end = m.end() if m else None
                    else:
                        key = (matcher[2], pos)
                        if key in memo:
                            end = memo[key]
                        elif near is not None and not words.reaches(near, pos):
                            end = memo[key] = None  # cannot match here
                        else:
                            m = matcher[0](low if matcher[1] else text, pos)
                            end = memo[key] = m.end() if m else None
                    if end is not None:
                        out.append((i, pos, end))
                        if until is not None and until(i, pos):
                            return out
        if not self.unanchored:
            return out
        extra: list[tuple[int, int, int]] = []
        for i in self.unanchored:
            if only is not None and i not in only:
                continue
            extra.extend((i, m.start(), m.end()) for m in self.patterns[i].finditer(text))
        return out + _within(extra, windows, everywhere)


def _merged(windows: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``windows`` sorted, with overlapping or touching ranges joined: the same
    offsets, so that each is searched once and :func:`_inside` can bisect (many
    windows over a long text stay linear)."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(windows):
        if lo >= hi:
            continue
        if out and lo <= out[-1][1]:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _inside(windows: Sequence[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` lies in one of ``windows`` (as :func:`_merged` gives them)."""
    i = bisect.bisect_right(windows, (pos, sys.maxsize)) - 1
    return i >= 0 and pos < windows[i][1]


def _within(
    found: list[tuple[int, int, int]],
    windows: Sequence[tuple[int, int]] | None,
    everywhere: frozenset[int] = frozenset(),
) -> list[tuple[int, int, int]]:
    if windows is None:
        return found
    return [f for f in found if f[0] in everywhere or _inside(windows, f[1])]


_ESCAPE_OR_CAPITAL = re.compile(r"\\.|[^\W\d_]", re.DOTALL)
_ESCAPE = re.compile(r"(\\.)", re.DOTALL)


def _lowered(pattern: Pattern) -> Pattern | None:
    """``pattern`` compiled case-sensitively for lower-cased text, when that is
    equivalent: its letters lower-cased (escapes kept), with no inline flags and no
    named properties or characters (``\\p{Lu}``, ``\\N{...}``)."""
    source = pattern.pattern
    bare = source.replace("(?:", "").replace("(?=", "").replace("(?!", "").replace("(?<", "")
    if "(?" in bare or "\\p" in source or "\\P" in source or "\\N" in source:
        return None
    if source.isascii():
        # str.lower() changes only A-Z here: lower-case all but the escapes (one C call
        # per piece rather than a Python call per letter; start-up cost)
        pieces = _ESCAPE.split(source)
        lowered = "".join(p if i % 2 else p.lower() for i, p in enumerate(pieces))
    else:
        lowered = _ESCAPE_OR_CAPITAL.sub(
            lambda m: m.group() if m.group().startswith("\\") else m.group().lower(), source
        )
    return LazyPattern(lowered, 0)


def _compiled(pattern: Pattern) -> Pattern:
    return pattern.compiled() if isinstance(pattern, LazyPattern) else pattern


def _group(
    items: Sequence[tuple[Trigger | Satisfier | Cue, Pattern]],
    shared: dict[int, Pattern | None],
    interned: dict[frozenset[str], frozenset[str]],
) -> EntryGroup:
    by_start: dict[str, list[int]] = {}
    unanchored: list[int] = []
    for i, (entry, _) in enumerate(items):
        if not entry.starts:
            unanchored.append(i)
        for word in entry.starts:
            by_start.setdefault(word.lower(), []).append(i)
    lowered = tuple(
        shared[id(p)] if id(p) in shared else shared.setdefault(id(p), _lowered(p))
        for _, p in items
    )
    return EntryGroup(
        entries=tuple(e for e, _ in items),
        patterns=tuple(p for _, p in items),
        by_start={k: tuple(v) for k, v in by_start.items()},
        unanchored=tuple(unanchored),
        anchors=frozenset(by_start),
        # one object per distinct set, so a document's answer for it is worked out once
        requires=tuple(
            interned.setdefault(words, words)
            for words in (frozenset(w.lower() for w in e.requires) for e, _ in items)
        ),
        # one lower-case pattern per entry, so groups sharing an entry share a memo key
        lowered=lowered,
        near=tuple(Near(e.near, e.near_after, e.stop) if e.near else None for e, _ in items),
    )


@dataclass(frozen=True)
class ConsentData:
    """Everything the consent rules need, compiled and grouped by rule."""

    triggers: Mapping[str, EntryGroup]
    satisfiers: Mapping[str, EntryGroup]
    cues: Mapping[tuple[str, str], EntryGroup]
    facts: Mapping[str, frozenset[str]]
    suggestions: Mapping[str, str]
    rule_names: Mapping[str, str]
    #: every ``starts`` and ``requires`` word of every entry (that can be one word)
    vocabulary: frozenset[str] | None = None
    #: words at least one of which a document must contain for any rule to report
    #: (triggers' and gate cues' ``starts``); ``None`` when an entry has no ``starts``
    gate: frozenset[str] | None = None

    def code(self, key: str) -> str:
        """The rule code for a code or a name used in a pack."""
        return self.rule_names.get(key, key)

    @cached_property
    def rule_keys(self) -> frozenset[str]:
        """Every rule name and code the packs know (what a lexicon term may target)."""
        return frozenset(self.rule_names) | frozenset(self.rule_names.values())

    def keys_of(self, code: str) -> frozenset[str]:
        """``code`` and the names that stand for it."""
        keys = self._keys.get(code)
        if keys is None:
            keys = frozenset([code, *(n for n, c in self.rule_names.items() if c == code)])
            self._keys[code] = keys
        return keys

    @cached_property
    def _keys(self) -> dict[str, frozenset[str]]:
        return {}


def _expand(pattern: str, sets: Mapping[str, Sequence[str]], where: str) -> str:
    def sub(m: regex.Match[str]) -> str:
        name = m.group(1)
        if name not in sets:
            raise ConsentPackError(f"{where}: unknown set {{{name}}}")
        return "(?:" + "|".join(sets[name]) + ")"

    return str(_SET_REF.sub(sub, pattern))


#: the packs shipped here, whose patterns a test compiles (so they compile lazily)
_BUILTIN_PACK_NAMES = frozenset(
    ["consent-triggers", "consent-satisfiers", "consent-cues", "consent-vocabulary"]
)


def _builtin_pack(name: str) -> bool:
    return name in _BUILTIN_PACK_NAMES


class LazyPattern:
    """A pattern compiled on first use: most entries never run on a given note, and
    compiling all of them costs more than linting a short note (which matters for the
    CLI's start-up). Uses the faster ``re`` engine when it accepts the pattern, else
    the ``regex`` module. ``tests/test_consent.py`` compiles every built-in pattern,
    so an invalid one cannot hide until a note happens to use it."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags  # re.IGNORECASE or 0; the regex fallback adds V0
        self._compiled: Pattern | None = None

    def compiled(self) -> Pattern:
        """The compiled pattern (compiling it now if needed)."""
        if self._compiled is None:
            try:
                self._compiled = re.compile(self.pattern, self.flags)
            except re.error:
                regex_flags = regex.V0 | (regex.IGNORECASE if self.flags else 0)
                self._compiled = regex.compile(self.pattern, regex_flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)


def _compile(
    entry: Trigger | Satisfier | Cue, sets: Mapping[str, Sequence[str]], pack: str
) -> Pattern:
    where = f"consent pack {pack!r}, entry {entry.id!r}"
    expanded = _expand(entry.pattern, sets, where)
    if not _builtin_pack(pack):  # packs from elsewhere are checked when loaded
        try:
            regex.compile(expanded, _FLAGS)
        except regex.error as exc:
            raise ConsentPackError(f"{where}: invalid pattern: {exc}") from None
        if entry.stop:
            try:
                regex.compile(entry.stop, _FLAGS)
            except regex.error as exc:
                raise ConsentPackError(f"{where}: invalid stop: {exc}") from None
    return LazyPattern(expanded, re.IGNORECASE)


def _expand_words(
    entry: Trigger | Satisfier | Cue, lists: Mapping[str, Sequence[str]], pack: str
) -> Trigger | Satisfier | Cue:
    """``entry`` with each "{name}" item of its word fields replaced by that list."""
    update: dict[str, tuple[str, ...]] = {}
    for key in ("starts", "requires", "near", "near_after"):
        items: tuple[str, ...] = getattr(entry, key)
        if not any(_SET_REF.fullmatch(item) for item in items):
            continue
        out: dict[str, None] = {}  # in order, without repeats
        for item in items:
            ref = _SET_REF.fullmatch(item)
            if ref is None:
                out[item] = None
                continue
            if ref.group(1) not in lists:
                raise ConsentPackError(
                    f"consent pack {pack!r}, entry {entry.id!r}: {key} names an unknown "
                    f"word list {item!r}"
                )
            for word in lists[ref.group(1)]:
                if key in ("near", "near_after"):
                    try:
                        _check_hint_word(word)
                    except ValueError as exc:
                        raise ConsentPackError(
                            f"consent pack {pack!r}, entry {entry.id!r}: {key}: {exc}"
                        ) from None
                elif not word.strip():
                    raise ConsentPackError(
                        f"consent pack {pack!r}, entry {entry.id!r}: word list "
                        f"{item!r} holds an empty word"
                    )
                out[word] = None
        update[key] = tuple(out)
    return entry.model_copy(update=update) if update else entry


def compile_packs(
    packs: Iterable[ConsentPack],
    rule_names: Mapping[str, str],
    gate_cues: Iterable[tuple[str, str]] = (),
) -> ConsentData:
    """Merge packs (sets and facts extend, suggestions override, entries append) and
    compile them. ``rule_names`` maps rule names to codes so packs may use either;
    ``gate_cues`` are the ``(rule code, cue)`` groups that, like triggers, can make a
    rule report (the rest only refine a report)."""
    sets: dict[str, list[str]] = {}
    words_lists: dict[str, list[str]] = {}
    facts: dict[str, set[str]] = {}
    suggestions: dict[str, str] = {}
    entries: list[tuple[str, int, Trigger | Satisfier | Cue]] = []
    extended: dict[str, int] = {}  # set name -> the last pack that added alternatives

    def code(key: str) -> str:
        return rule_names.get(key, key)

    for number, pack in enumerate(packs):
        for name, alternatives in pack.sets.items():
            sets.setdefault(name, []).extend(alternatives)
            extended[name] = number
        for name, listed in pack.words.items():
            words_lists.setdefault(name, []).extend(listed)
        for value, codes in pack.facts.items():
            facts.setdefault(value, set()).update(code(c) for c in codes)
        suggestions.update({code(k): v for k, v in pack.suggestions.items()})
        entries += [(pack.name, number, t) for t in pack.trigger]
        entries += [(pack.name, number, s) for s in pack.satisfier]
        entries += [(pack.name, number, c) for c in pack.cue]
    triggers: dict[str, list[tuple[Trigger | Satisfier | Cue, Pattern]]] = {}
    satisfiers: dict[str, list[tuple[Trigger | Satisfier | Cue, Pattern]]] = {}
    cues: dict[tuple[str, str], list[tuple[Trigger | Satisfier | Cue, Pattern]]] = {}
    for pack_name, number, entry in entries:
        entry = _expand_words(entry, words_lists, pack_name)
        compiled = _compile(entry, sets, pack_name)
        if entry.near and any(
            extended.get(name, -1) > number for name in _SET_REF.findall(entry.pattern)
        ):
            # a later pack widened a set the pattern uses: the hint may no longer hold
            entry = entry.model_copy(update={"near": ()})
        if isinstance(entry, Trigger):
            triggers.setdefault(code(entry.rule), []).append((entry, compiled))
        elif isinstance(entry, Satisfier):
            for rule in entry.rules:
                satisfiers.setdefault(code(rule), []).append((entry, compiled))
        else:
            cues.setdefault((code(entry.rule), entry.cue), []).append((entry, compiled))
    shared: dict[int, Pattern | None] = {}
    interned: dict[frozenset[str], frozenset[str]] = {}
    trigger_groups = {k: _group(v, shared, interned) for k, v in triggers.items()}
    cue_groups = {k: _group(v, shared, interned) for k, v in cues.items()}
    groups = [*trigger_groups.values(), *cue_groups.values()]
    satisfier_groups = {k: _group(v, shared, interned) for k, v in satisfiers.items()}
    groups += satisfier_groups.values()
    words: set[str] = set()
    for group in groups:
        words.update(group.anchors, *group.requires)
    gating = [*trigger_groups.values(), *(cue_groups[k] for k in gate_cues if k in cue_groups)]
    gate: frozenset[str] | None = None
    if not any(g.unanchored for g in gating):
        # an entry matches only where one of its ``starts`` words is, and only when one
        # of its ``requires`` words is present: either set is a necessary condition, and
        # ``requires`` (what was recorded, who was told) is the rarer in everyday notes
        gate = frozenset(
            word
            for g in gating
            for i, entry in enumerate(g.entries)
            for word in (g.requires[i] or (w.lower() for w in entry.starts))
        )
    return ConsentData(
        triggers=trigger_groups,
        satisfiers=satisfier_groups,
        cues=cue_groups,
        facts={k: frozenset(v) for k, v in facts.items()},
        suggestions=suggestions,
        rule_names=dict(rule_names),
        # a word that flattening would split can never be found as one word
        vocabulary=frozenset(w for w in words if flatten(w).strip() == w),
        gate=gate,
    )
