"""The goal rules' phrase lists (``phrases.toml``) and the structural patterns
(goal labels, timeframes, targets), each compiled once (the larger scans on first use).

Every pattern is precompiled with the standard library's ``re`` and matched
against *case-folded* text (see :func:`fold`), which is several times faster than
case-insensitive matching; gaps are bounded, so matching is linear in the length
of the text.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ...annotations import lower_keeping_offsets
from ...lexicon import trie_pattern
from ...tomlcache import read_toml

__all__ = [
    "CLIENT_SUBJECT",
    "CLIENT_SUBJECT_ANYWHERE",
    "GOAL_GROUPS",
    "GOAL_LABEL",
    "KELVIN",
    "PhraseGroup",
    "find_timeframes",
    "goal_labels",
    "group",
    "groups",
    "has_target",
    "phrase_starts",
    "timeframe",
]

_FLAGS = 0


@dataclass(frozen=True, slots=True)
class PhraseGroup:
    """One list from ``phrases.toml``: a compiled alternation plus its provenance."""

    name: str
    why: str
    sources: tuple[str, ...]
    pattern: re.Pattern[str]
    #: the group's fragments as one alternation (without the leading word check)
    alternation: str = ""


def _compile_group(name: str, table: dict[str, Any]) -> PhraseGroup:
    fragments = [str(p) for p in table["patterns"]]
    alternation = "|".join(fragments)
    pattern = re.compile(r"(?<![\w-])(?:" + alternation + ")", _FLAGS)
    return PhraseGroup(
        name=name,
        why=str(table.get("why", "")),
        sources=tuple(str(s) for s in table.get("sources", ())),
        pattern=pattern,
        alternation=alternation,
    )


@functools.cache
def groups() -> dict[str, PhraseGroup]:
    """Every phrase group, by name (``directive``, ``vague``, ``avoidance``, ...):
    read and compiled on first use, so a start-up that reads no goal pays nothing."""
    data = read_toml(resources.files(__package__).joinpath("phrases.toml"), packaged=True)
    return {name: _compile_group(name, table) for name, table in data.items()}


#: The groups a goal statement is read with (``mandate`` is read per sentence).
GOAL_GROUPS = ("directive", "voice", "avoidance", "approach", "values", "intervention", "vague")


#: KELVIN SIGN, the one character outside ASCII whose lower case is an ASCII letter
KELVIN = "\u212a"


def fold(text: str, utf8_lowered: bytes | None = None) -> str:
    """``text`` as the case-sensitive patterns read it, every offset kept: its
    ASCII letters in lower case (``utf8_lowered``, when given, is
    ``text.encode("utf-8").lower()``, already computed).

    The patterns spell their letters in ASCII, so lower-casing the other letters
    too would change no match (a letter's lower case is a letter, a word character
    as it was), except for the KELVIN SIGN, which lower-cases to "k": a text that
    holds one is lower-cased in full (a character whose lower case is longer, such
    as "İ", is left as it is). Lower-casing only ASCII letters is several times
    faster on text that is not ASCII: the UTF-8 bytes are lower-cased as bytes."""
    if text.isascii():
        return text.lower()
    if KELVIN not in text:
        if utf8_lowered is None:
            utf8_lowered = text.encode("utf-8").lower()
        return utf8_lowered.decode("utf-8")
    return lower_keeping_offsets(text)


def group(name: str) -> re.Pattern[str]:
    """The compiled pattern of phrase group ``name``."""
    return groups()[name].pattern


# --- structure: labels, subjects, timeframes, targets ---------------------------------

#: "Goal:", "Goal 2:", "Objective 1b:", "Treatment plan goal updated:", "Goal (in
#: Mateo's words):", "Jonas's goal in his words:". The label ends at its colon.
GOAL_LABEL = re.compile(
    r"\b(?P<word>goal|objective)s?\b(?:[ \t]*\#?[ \t]*\d+[a-z]?\b)?"
    r"(?:[ \t]*\([^)\n]{0,60}\))?[^:\n.!?\"“]{0,40}:",
    _FLAGS,
)


def goal_labels(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """The :data:`GOAL_LABEL` matches in ``text[start:end]``, as ``finditer`` finds
    them, but tried only where "goal" or "objective" occurs (found with the fast
    ``str.find``) instead of at every position."""
    end = len(text) if end is None else end
    at: list[int] = []
    for word in ("goal", "objective"):
        i = text.find(word, start, end)
        while i != -1:
            at.append(i)
            i = text.find(word, i + 1, end)
    if len(at) > 1:
        at.sort()
    found: list[re.Match[str]] = []
    covered = start
    for i in at:
        if i < covered:
            continue
        m = GOAL_LABEL.match(text, i, end)
        if m is not None:
            found.append(m)
            covered = m.end()
    return found


#: A plan sentence whose subject is the client and whose verb states an outcome
#: for them ("Client will ...", "Patient must ...").
_CLIENT_SUBJECT_CORE = (
    r"(?:client|patient|pt|resident|student|member|youth|consumer)\s+"
    r"(?:will|must|shall|needs\s+to|is\s+(?:required|expected)\s+to)\b"
)
CLIENT_SUBJECT = re.compile(r"\W{0,3}(?:the\s+)?" + _CLIENT_SUBJECT_CORE, _FLAGS)
#: The subject and verb of :data:`CLIENT_SUBJECT` anywhere (searched once in a
#: section: where it is absent, no sentence there starts with them).
CLIENT_SUBJECT_ANYWHERE = re.compile(_CLIENT_SUBJECT_CORE, _FLAGS)

#: Number words, which can start a timeframe ("two weeks") or state a target ("three
#: times a week").
_NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
    ]
)
#: Words that count a duration ("fourteen days", "a few weeks", "a couple of months").
_DURATION_WORDS = (*sorted(_NUMBER_WORDS), "fourteen", "few", "several", "couple")
_NUMBER_WORD = "(?:" + "|".join(w + r"\s+of" if w == "couple" else w for w in _DURATION_WORDS) + ")"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_FULL = (
    r"(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)"
)
_UNIT = r"(?:calendar[- ])?(?:day|week|month|year|wk|mo)s?\b"
#: "5 days a week" and "4 of 5 days" are frequencies, not timeframes.
_NOT_FREQUENCY = r"(?!\s+(?:a|an|per|each|every|of)\s)"

#: Holidays and named occasions that date a goal ("by Thanksgiving", "before Eid",
#: "at Diwali", "over the school holidays"): each falls on a known date.
_HOLIDAY = (
    r"(?:thanksgiving|christmas|xmas|easter|passover|pesach|eid|diwali|deepavali|"
    r"hanukk?ah|chanukk?ah|ramadan|rosh\s+hashanah?|yom\s+kippur|"
    r"(?:lunar\s+|chinese\s+)?new\s+year|halloween|kwanzaa|navratri|holi|vaisakhi|"
    r"baisakhi|purim|hogmanay|matariki|bonfire\s+night|fourth\s+of\s+july|"
    r"(?:valentine|mother|father|st\.?\s+patrick|boxing|memorial|labou?r|independence|"
    r"canada|australia|anzac|waitangi|veterans|remembrance|presidents|mlk)[\x27’]?s?\s+day|"
    r"spring\s+break|(?:summer|winter|easter|christmas)\s+(?:break|vacation|holidays?)|"
    r"school\s+holidays|half[- ]?term)"
)
#: A personal occasion with a date of its own ("by her daughter's wedding").
_OCCASION = (
    r"(?:birthday|anniversary|wedding|reunion|christening|baptism|bar\s+mitzvah|"
    r"bat\s+mitzvah|quincea(?:n|ñ)era|due\s+date|retirement)"
)

#: The key of the timeframe forms that start with a digit (``\d``).
_DIGIT = "0"
_MONTH_WORDS = [
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
]

#: The timeframe forms, each with the words a match of it can start with (a match
#: starts a word, and that whole word is one of these; ``_DIGIT`` stands for any
#: word that starts with a digit). The words are read off the start of each form.
_TIMEFRAME_FORMS: tuple[tuple[frozenset[str], str], ...] = tuple(
    (frozenset(words), form)
    for words, form in (
        (
            [_DIGIT, *_DURATION_WORDS],
            rf"(?<!\bof\s)\b(?:\d+|{_NUMBER_WORD})[- ]"
            rf"(?:(?:straight|consecutive|full|further)\s+{_UNIT}|{_UNIT}{_NOT_FREQUENCY})",
        ),
        (
            ["for", "in", "within", "over", "after"],
            rf"\b(?:for|in|within|over|after)\s+(?:a|an|the\s+next|the\s+coming|the\s+following)"
            rf"\s+(?:few\s+|couple\s+of\s+)?{_UNIT}",
        ),
        ([_DIGIT], rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\b"),
        # "by Friday", "before next Tuesday"; "by the 6th EAP session"
        (
            ["by", "before", "until", "till", "this", "next"],
            r"\b(?:by|before|until|till|this|next)\s+(?:next\s+|this\s+)?"
            r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
        ),
        (
            ["by", "before", "at", "until"],
            r"\b(?:by|before|at|until)\s+(?:the\s+)?\d+(?:st|nd|rd|th)\s+(?:[\w-]+\s+)?"
            r"(?:session|visit|appointment|meeting|review)\b",
        ),
        (_MONTH_WORDS, rf"\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b"),
        (
            [
                "by",
                "before",
                "until",
                "till",
                "through",
                "thru",
                "in",
                "during",
                "early",
                "late",
                "from",
                "starting",
                "since",
                "after",
                "end",
                "middle",
                "start",
                "mid",
            ],
            r"\b(?:(?:by|before|until|till|through|thru|in|during|early|late|from|starting|since|"
            rf"after)\s+"
            rf"(?:the\s+(?:(?:end|middle|start)\s+of\s+)?)?|(?:end|middle|start)\s+of\s+|mid-?\s*)"
            rf"{_MONTH_FULL}\b",
        ),
        ([_DIGIT], r"\b\d{4}-\d{2}-\d{2}\b"),
        ([_DIGIT], r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
        (
            ["by", "before", "until", "at", "within", "on", "over"],
            r"\b(?:by|before|until|at|within|on|over)\s+(?:the\s+)?"
            r"(?:end|middle|start|beginning|close|next|following|first|last|mid)\b",
        ),
        (
            ["by", "through", "until", "till", "over", "during", "before", "after", "this", "next"],
            r"\b(?:by|through|until|till|over|during|before|after|this|next)\s+(?:the\s+)?"
            r"(?:\w+\s+)?(?:winter|spring|summer|fall|autumn|christmas|easter|new\s+year|"
            r"discharge|graduation|half[- ]?term|term|semester|school\s+year|holidays?|break|"
            r"season|finals|exams|midterms|exam\s+(?:period|season|week))\b",
        ),
        # "by Thanksgiving", "before Eid al-Fitr", "at Diwali", "in time for Christmas"
        (
            [
                "by",
                "before",
                "until",
                "till",
                "through",
                "over",
                "during",
                "after",
                "at",
                "on",
                "for",
                "around",
                "this",
                "next",
                "in",
                "ahead",
            ],
            r"\b(?:by|before|until|till|through|over|during|after|at|on|for|around|this|next|"
            rf"in\s+time\s+for|ahead\s+of)\s+(?:the\s+)?(?:\d{{4}}\s+)?{_HOLIDAY}\b",
        ),
        # "by her birthday", "before my daughter's wedding", "in time for their anniversary"
        (
            ["by", "before", "until", "till", "at", "on", "for", "in", "ahead"],
            r"\b(?:by|before|until|till|at|on|for|in\s+time\s+for|ahead\s+of)\s+"
            rf"(?:my|his|her|their|our|the)\s+(?:[\w\x27’-]+\s+){{0,2}}?{_OCCASION}\b",
        ),
        # "before the baby is born", "by the time the baby arrives"
        (
            ["before", "by", "until"],
            r"\b(?:before|by\s+the\s+time|until)\s+(?:the|my|her|his|their|our)\s+baby\s+"
            r"(?:is\s+born|arrives|comes|is\s+due)\b",
        ),
        (
            ["next", "this", "each", "every", "following"],
            r"\b(?:next|this|each|every|following)\s+(?:session|visit|appointment|review|"
            r"week|month|meeting|school\s+year|term|semester)\b",
        ),
        # "the next two gatherings": a time-bounded count (the count stays a target)
        (
            ["next", "coming", "following"],
            rf"\b(?:next|coming|following)(?=\s+(?:\d+|{_NUMBER_WORD})\s+\w)",
        ),
        (["today", "tomorrow", "tonight"], r"\b(?:today|tomorrow|tonight)\b"),
        (
            ["target", "due", "deadline", "timeframe", "time"],
            r"\b(?:target\s+date|due(?:\s+date)?|deadline|timeframe|time\s+frame)\b",
        ),
        (
            [
                "review",
                "reviewed",
                "reassess",
                "reassessed",
                "re",
                "check",
                "checked",
                "revisit",
                "revisited",
            ],
            r"\b(?:review(?:ed)?|re-?assess(?:ed)?|check(?:ed)?\s+in|revisit(?:ed)?)\s+"
            r"(?:\w+\s+){0,2}?(?:weekly|monthly|fortnightly|every|each|at|on|in)\b",
        ),
        ([_DIGIT], rf"\b\d+-{_UNIT}"),
        # "in 8 of the 10 remaining weeks", "the remaining sessions of the term"
        (
            [_DIGIT, *_DURATION_WORDS, "remaining"],
            rf"\b(?:(?:\d+|{_NUMBER_WORD})\s+)?remaining\s+(?:{_UNIT}|sessions?\b)",
        ),
        # "for the rest of the semester", "through the rest of treatment"
        (
            ["for", "through", "until", "over"],
            r"\b(?:for|through|until|over)\s+the\s+rest\s+of\s+(?:the\s+|this\s+)?(?:semester|term|"
            r"year|month|school\s+year|programme|program|treatment|season)\b",
        ),
        # "by week 8", "at session 6", "by the end of week 4"
        (
            ["by", "before", "until", "at", "from", "in", "after", "on", "during"],
            r"\b(?:by|before|until|at|from|in|after|on|during)\s+(?:the\s+)?(?:end\s+of\s+)?"
            r"(?:week|session|month|day|visit)\s+\d{1,3}\b",
        ),
        # "by 12/15", "before the 4/20 review" (a day and a month, no year)
        (
            ["by", "before", "until", "on", "at"],
            r"\b(?:by|before|until|on|at)\s+(?:the\s+)?\d{1,2}/\d{1,2}\b(?!/)",
        ),
    )
)
#: A timeframe: a date, a duration, a deadline or a review point (all forms in one
#: pattern, tried only where a word that can start one of them stands).
#: The words a timeframe can start with (besides a number).
_TIMEFRAME_STARTS = frozenset().union(*(words for words, _ in _TIMEFRAME_FORMS)) - {_DIGIT}


#: Per start word (and ``_DIGIT``), the forms that can start with it, in their order
#: in :func:`timeframe`: at a given position ``timeframe()`` finds the first form that
#: matches there, and the forms left out cannot match there, so the match is the same
#: (and the engine does not enter a dozen alternatives that fail).
@functools.cache
def _timeframe_at() -> dict[str, re.Pattern[str]]:
    return {
        word: re.compile(
            "|".join(f"(?:{form})" for words, form in _TIMEFRAME_FORMS if word in words)
        )
        for word in (_DIGIT, *sorted(_TIMEFRAME_STARTS))
    }


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """``(index, character, group depth after it)`` for each character of ``pattern``
    from ``start`` that is outside escapes and character classes."""
    depth = 0
    in_class = False
    i = start
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            yield i, ch, depth
        i += 1


def _top_level(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (split at ``|`` outside brackets)."""
    parts: list[str] = []
    last = 0
    for i, ch, depth in _structure(pattern):
        if ch == "|" and depth == 0:
            parts.append(pattern[last:i])
            last = i + 1
    parts.append(pattern[last:])
    return parts


def _group_end(pattern: str, start: int) -> int:
    """The index of the ``)`` that closes the group opened at ``pattern[start]``."""
    for i, ch, depth in _structure(pattern, start):
        if ch == ")" and depth == 0:
            return i
    raise ValueError("unbalanced group in a phrase pattern")


_LETTERS = re.compile(r"[a-z]+")


def lead_words(pattern: str) -> list[str] | None:
    """Letters every match of ``pattern`` starts with, one string per alternative
    (a match of the pattern starts with one of them), or None when some
    alternative can start otherwise (with a class, an optional part, ...)."""
    leads = _leads(pattern, "")
    return None if leads is None else [word for word, _ in leads]


def _leads(pattern: str, follow: str | None) -> list[tuple[str, str | None]] | None:
    """:func:`lead_words`, each with the rest of its alternative: the pattern that
    the text right after the word matches wherever the alternative matches
    (``follow``, what must follow a match of ``pattern`` itself, appended), or None
    where that is not known (after a repeated group)."""
    out: list[tuple[str, str | None]] = []
    for alt in _top_level(pattern):
        if alt.startswith("(?:"):
            end = _group_end(alt, 0)
            quantifier = alt[end + 1 : end + 2]
            if quantifier in ("?", "*", "{"):
                return None  # an optional leading group
            # after a repeated group ("+") the group itself may follow
            after = None if quantifier == "+" or follow is None else alt[end + 1 :] + follow
            inner = _leads(alt[3:end], after)
            if inner is None:
                return None
            out.extend(inner)
            continue
        m = _LETTERS.match(alt)
        if m is None:
            return None
        word = m.group()
        if alt[m.end() : m.end() + 1] in ("?", "*", "{", "+"):
            word = word[:-1]  # the quantified last letter is left to the rest
        if not word:
            return None
        # the alternative is the word's letters followed by the rest of its source
        out.append((word, None if follow is None else alt[len(word) :] + follow))
    return out


def _lookahead(rests: set[str | None]) -> str:
    """A lookahead that holds after a lead word wherever one of the alternatives
    it leads (with the rests ``rests``) matches, or "" when one of them asks for
    nothing or for what is not known."""
    if None in rests or "" in rests:
        return ""
    return "(?=" + "|".join(f"(?:{rest})" for rest in sorted(r for r in rests if r)) + ")"


def _tree(words: dict[str, str]) -> str:
    """A regex source matching exactly the keys of ``words``, each only where its
    value (a lookahead, or "") holds after it, as a prefix tree: a longer word is
    tried before its prefix (as with :func:`~inquiry_assist.lexicon.trie_pattern`),
    so at a position it matches the longest word whose lookahead holds there."""
    root: dict[str, Any] = {}
    for word, tail in words.items():
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = tail

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        tail = node.get("")
        if not branches:
            return str(tail)
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if tail is None:
            return body
        if tail:
            return f"(?:{body}|{tail})"
        return body + "?" if len(branches) == 1 and len(body) == 1 else f"(?:{body})?"

    return build(root)


def _phrase_starts() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """The scan for phrase starts, and the groups that may match where it matched
    each text."""
    leads: dict[str, list[tuple[str, str | None]]] = {}
    for name in GOAL_GROUPS:
        words = _leads(groups()[name].alternation, "")
        if words is None:  # some phrase can start without a letter: test every position
            alternation = "|".join(f"(?:{groups()[g].alternation})" for g in GOAL_GROUPS)
            scan = re.compile(r"(?<![\w-])(?=" + alternation + ")", _FLAGS)
            return scan, {"": frozenset(GOAL_GROUPS)}
        leads[name] = words
    rests: dict[str, set[str | None]] = {}
    for words in leads.values():
        for word, rest in words:
            rests.setdefault(word, set()).add(rest)
    # the scan matches the longest lead word there after which the rest of one of
    # the phrases it leads matches; every group with a lead word that the matched
    # text starts with may match there
    may_match = {
        text: frozenset(
            g for g, words in leads.items() if any(text.startswith(w) for w, _ in words)
        )
        for text in rests
    }
    tree = _tree({word: _lookahead(r) for word, r in rests.items()})
    return re.compile(r"(?<![\w-])" + tree, _FLAGS), may_match


#: A group's phrases tried at one position: ``(group name, pattern.match)`` pairs.
StartMatchers = dict[str, tuple[tuple[str, Callable[[str, int, int], "re.Match[str] | None"]], ...]]


@functools.cache
def phrase_starts() -> tuple[re.Pattern[str], dict[str, frozenset[str]], StartMatchers]:
    """``(scan, groups, matchers)``: where any of :data:`GOAL_GROUPS` may match.

    Every phrase starts with one of a hundred-odd letter sequences (its lead words,
    read from the patterns), so one ``scan`` with a prefix tree of them finds every
    position a phrase can start at; ``groups`` maps the text it matched to the groups
    that may match there (``matchers``: with their patterns' ``match``, in
    :data:`GOAL_GROUPS` order), and each group's pattern is tried only at those
    positions, which finds exactly what the group's own scan finds. After each lead
    word the scan asks (with a lookahead, inside the regular-expression engine) for
    the rest of one of the phrases that start with it, so it stops only where some
    phrase matches (not at "go" in "goal" or "in" in "in class"), and a failed try
    costs no Python.

    Built on first use, like :func:`timeframe` and the per-word timeframe forms:
    compiling them costs more than linting a short note, and a note without goals
    never needs them (CLI start-up)."""
    scan, may_match = _phrase_starts()
    every = groups()
    matchers: StartMatchers = {
        text: tuple((name, every[name].pattern.match) for name in GOAL_GROUPS if name in names)
        for text, names in may_match.items()
    }
    return scan, may_match, matchers


@functools.cache
def timeframe() -> re.Pattern[str]:
    """All timeframe forms in one pattern (the reference :func:`find_timeframes`
    agrees with)."""
    return re.compile("|".join(f"(?:{form})" for _, form in _TIMEFRAME_FORMS))


#: Where a timeframe may start: a number, or one of the start words (a word ends
#: at the end of its run of letters, so the prefix tree finds the same starts).
_CANDIDATE = re.compile(r"\b(?:\d|" + trie_pattern(_TIMEFRAME_STARTS) + r"\b)")
#: The same for ASCII text (where "\b" and "\d" without re.ASCII read as with it):
#: several times faster per character.
_CANDIDATE_ASCII = re.compile(r"\b(?:[0-9]|" + trie_pattern(_TIMEFRAME_STARTS) + r"\b)", re.ASCII)


def find_timeframes(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of timeframes in folded ``text[start:end]``.

    Rather than trying every form at every position, one scan finds the places a
    timeframe can start, and at each only the forms that can start with the word
    found there are tried (which finds what :func:`timeframe` anchored there finds)."""
    end = len(text) if end is None else end
    found: list[tuple[int, int]] = []
    covered = start
    forms_at = _timeframe_at()
    digit = forms_at[_DIGIT]
    scan = _CANDIDATE_ASCII if text.isascii() else _CANDIDATE
    for candidate in scan.finditer(text, start, end):
        at = candidate.start()
        if at < covered:
            continue
        # a candidate is a whole start word, or else the first digit of a number
        m = forms_at.get(candidate.group(), digit).match(text, at, end)
        if m is not None and m.end() > at:
            found.append((at, m.end()))
            covered = m.end()
    return found


#: An observable target: a number, an amount, a frequency, a named measure, a
#: checkable action. Tested on words rather than with one big pattern: a search
#: that finds nothing would otherwise try every alternative at every position.
_TARGET_CHARS = re.compile(r"[\d%$£€]")
_TARGET_WORDS = _NUMBER_WORDS | frozenset(
    [
        "once",
        "twice",
        "half",
        "zero",
        "none",
        "daily",
        "nightly",
        "weekly",
        "fortnightly",
        "monthly",
        "weekday",
        "weekdays",
        "morning",
        "mornings",
        "evening",
        "evenings",
        "night",
        "nights",
        "time",
        "times",
        "score",
        "scores",
        "scale",
        "rating",
        "rate",
        "rated",
        "rates",
        "log",
        "logs",
        "diary",
        "journal",
        "chart",
        "tracker",
        "tracked",
        "tracking",
        "track",
        "count",
        "counted",
        "measured",
        "measure",
        "checklist",
        "phq",
        "gad",
        "suds",
        "audit",
        "epds",
        "pcl",
        "bdi",
        "ors",
        "srs",
        "finish",
        "finishes",
        "finished",
        "complete",
        "completes",
        "completed",
        "write",
        "writes",
        "send",
        "sends",
        "mail",
        "mails",
        "mailed",
        "submit",
        "submits",
        "submitted",
        "book",
        "books",
        "booked",
        "open",
        "opens",
        "join",
        "joins",
        "view",
        "views",
        "meet",
        "meets",
        "visit",
        "visits",
        "attend",
        "attends",
        "buy",
        "buys",
        "file",
        "submit",
        "enrol",
        "enroll",
        "enrolled",
        "register",
        "book",
        "schedule",
        "pick",
        "choose",
    ]
)
_TARGET_PAIRS = frozenset(
    [
        *(
            (q, u)
            for q in ("every", "each", "per", "a")
            for u in ("day", "night", "morning", "evening", "week", "weekday", "month", "time")
        ),
        ("at", "least"),
        ("or", "more"),
        ("or", "fewer"),
        ("or", "less"),
        ("more", "than"),
        ("apply", "for"),
        ("sign", "up"),
        ("set", "up"),
    ]
)
_WORDS = re.compile(r"[a-z]+")
#: "each week", "every evening": a frequency is a target even where it also reads as
#: a timeframe (the target test blanks timeframes first)
_FREQUENCY = re.compile(
    r"\b(?:every|each|per)\s+(?:day|night|morning|evening|week|weekday|month|time)\b"
)


def has_frequency(text: str) -> bool:
    """Whether folded ``text`` names a frequency ("each week", "every evening")."""
    return _FREQUENCY.search(text) is not None


def has_target(text: str) -> bool:
    """Whether folded ``text`` names an observable target."""
    if _TARGET_CHARS.search(text):
        return True
    words = _WORDS.findall(text)
    if not _TARGET_WORDS.isdisjoint(words):
        return True
    return not _TARGET_PAIRS.isdisjoint(itertools.pairwise(words))
