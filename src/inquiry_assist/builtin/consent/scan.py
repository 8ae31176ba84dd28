"""One scan of a document shared by all consent rules (kept in the annotations).

The first consent rule to run on a document builds a :class:`Scan` and stores it in
``annotations.extra``; the others reuse it. The scan indexes the document's words once
(:class:`~.schema.WordIndex`) and finds, each on first request, a rule's triggers, its
cues and its satisfiers, with clause-level negation ("no release on file", "declined
to sign a release", "nothing was sent") and the client's own quoted words taken into
account. Satisfiers are only looked for when a rule has a trigger candidate, those
of scope "document" first (one clears every trigger, so the rest, and the tests on
each trigger, are then skipped), and the shared sentence and quote annotations are
only consulted when a trigger needs them, so a note with nothing consent-related
costs a set intersection and a few anchored matches.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import regex

from ...annotations import SAID_VERBS, Annotations
from ...lexicon import Lexicon, LexiconHit
from ...rules import Context
from .schema import ConsentData, Cue, Memo, Satisfier, Trigger, WordIndex, flatten

__all__ = [
    "Hit",
    "Scan",
    "clause_negated",
    "clinician_is_agent",
    "scan_for",
    "touches_client_words",
]

_CACHE_KEY = "consent"
# (a double quotation mark too: a negation inside the client's quoted words does not
# reach past them: 'said "no more" and we continued')
_CLAUSE_BREAKS = '.;:!?\n,()[]"“”'
# everything up to the last clause break (greedy, so the match ends on the last one)
_LAST_BREAK = re.compile(r"[\s\S]*[.;:!?\n,()\[\]\"“”]")
_MAX_CLAUSE_LOOKBACK = 160
_MAX_SATISFIER_SPAN = 600  # longer than any satisfier pattern can match
_SENTENCE_LOOKBACK = 120  # how far back a sentence end is looked for
_SENTENCE_REACH = 2_000  # how far ahead Scan.sentences_end looks
# a negation or refusal governing what follows it in the same clause
_NEGATED_PREFIX = regex.compile(
    r"\b(?:no|not|never|nothing|neither|nor|without|none|declined|refused|refuses|refusing|"
    r"unable|revoked|withdrew|withdrawn|expired|didn['’]t|doesn['’]t|wasn['’]t|weren['’]t|"
    r"won['’]t|wouldn['’]t|hasn['’]t|haven['’]t|hadn['’]t|isn['’]t|aren['’]t|"
    r"shouldn['’]t)\b(?!-)(?:\W+\w+){0,4}?\W*$",
    regex.IGNORECASE,
)
# a sentence end: terminal punctuation before whitespace (not after a title or an
# initial), with the line break that may follow it (one end, not two), or a line break
_SENTENCE_END = regex.compile(
    r"(?<!\b(?:dr|mr|mrs|ms|mx|pt|st|vs|etc|approx|no|[a-z]))[.!?]+[\"'”’)\]]*"
    r"(?:[ \t]*\n|(?=\s))|\n",
    regex.IGNORECASE,
)
# a word (a bullet's "-" or a dash between words is none: "- Faxed the letter to ...")
_PREFIX_WORD = regex.compile(r"\w[\w'’-]*")
# a clause that asks or supposes ("asked whether I would tell her supervisor", "if she
# agrees, will call her mother"): what follows in it has not been done
_HYPOTHETICAL = re.compile(r"\b(?:whether|if|unless|in\s+case)\b", re.IGNORECASE)
# a sentence that opens with a condition ("If she agrees, will call her mother")
_CONDITION_START = re.compile(r"(?:^|[.!?\n])\s*(?:if|unless)\b[^.!?\n]*$", re.IGNORECASE)
_CONDITION_REACH = 200
_CLINICIAN = frozenset(
    [
        "clinician",
        "therapist",
        "counselor",
        "counsellor",
        "writer",
        "provider",
        "facilitator",
        "worker",
        "psychologist",
        "psychiatrist",
        "clinicians",
        "staff",
        "team",
        "i",
        "we",
        "nurse",
        "np",
        "md",
        "intern",
        "trainee",
        "coordinator",
        "navigator",
        "caseworker",
        "casemanager",
        "keyworker",
    ]
)
# two-word clinician roles whose last word alone may be someone else ("her manager")
_CLINICIAN_PAIRS = frozenset([("case", "manager"), ("case", "managers"), ("care", "manager")])
# subjects other than the clinician (the client, or someone in the client's life)
_OTHER_SUBJECT = frozenset(
    [
        "client",
        "patient",
        "pt",
        "she",
        "he",
        "they",
        "resident",
        "student",
        "member",
        "mother",
        "father",
        "mom",
        "dad",
        "parent",
        "parents",
        "wife",
        "husband",
        "partner",
        "sister",
        "brother",
        "daughter",
        "son",
        "family",
        "teacher",
        "employer",
        "boss",
        "friend",
        "roommate",
    ]
)
# words that may precede a clinician's verb in note style ("This afternoon faxed ...")
_ADVERBIAL = frozenset(
    [
        "also",
        "then",
        "today",
        "yesterday",
        "this",
        "that",
        "afternoon",
        "morning",
        "evening",
        "later",
        "earlier",
        "subsequently",
        "additionally",
        "briefly",
        "again",
        "next",
        "tomorrow",
        "will",
        "would",
        "plan",
        "plans",
        "planned",
        "to",
        "and",
        "after",
        "before",
        "session",
        "the",
        "visit",
        "per",
        "protocol",
        "week",
        "shortly",
        "afterwards",
        "immediately",
        "further",
        "promptly",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today's",
        "tonight",
        "am",
        "pm",
        "was",
        "were",
        "been",
        "be",
        "continued",
        "began",
        "started",
        "kept",
        "resumed",
        "spent",
        "hour",
        "hours",
        "minutes",
        "most",
        "of",
        "much",
        "part",
    ]
)


class Hit(NamedTuple):
    """One match of a consent-pack entry: ``entry`` index into its role's entries
    (``-1`` for a lexicon term). A named tuple: cheap to make, many per document."""

    entry: int
    start: int
    end: int
    negated: bool


def _clause_start(text: str, start: int) -> int:
    """Where the clause holding ``start`` begins: after the last clause break within
    :data:`_MAX_CLAUSE_LOOKBACK` characters (found by one backtracking match in C
    rather than a Python loop over characters), else that far back."""
    floor = max(0, start - _MAX_CLAUSE_LOOKBACK)
    end = start
    while True:
        m = _LAST_BREAK.match(text, floor, end)
        if m is None:
            return floor
        i = m.end() - 1
        # an abbreviation's full stop ("Mrs.") does not end a clause
        if text[i] == "." and i >= 2 and text[i - 2 : i].lower() in ("mr", "rs", "ms", "dr"):
            end = i
            continue
        return i + 1


def clause_negated(text: str, start: int, clause: int | None = None) -> bool:
    """Whether a negation or refusal cue governs ``start`` within its clause (which
    begins at ``clause``, worked out when not given)."""
    prefix = text[_clause_start(text, start) if clause is None else clause : start]
    return bool(prefix) and _NEGATED_PREFIX.search(prefix) is not None


def clinician_is_agent(text: str, start: int, clause: int | None = None) -> bool:
    """Whether the clause before ``start`` reads as the clinician acting: no subject
    (note style: "Faxed ..."), a clinician subject ("Counselor faxed ..."), or a
    passive ("... were faxed to ..."). The nearest subject wins: in "we practised how
    she will talk to her boss" the client, not the clinician, will talk. ``clause`` is
    where the clause begins, worked out when not given."""
    if clause is None:
        clause = _clause_start(text, start)
    words = [w.lower() for w in _PREFIX_WORD.findall(text[clause:start])]
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if word in _CLINICIAN or (i and (words[i - 1], word) in _CLINICIAN_PAIRS):
            return True
        if word in _OTHER_SUBJECT:
            return False
    return all(w in _ADVERBIAL for w in words)


class Scan:
    """Triggers, cues and satisfiers of one document, each found on first request.

    ``quiet`` is the cheap pre-filter: true when the document has none of the words
    any trigger (or gate cue) starts with and no lexicon term adds a trigger, so no
    consent rule can report and none of the work below is done."""

    def __init__(self, data: ConsentData, ctx: Context) -> None:
        self.data = data
        self.ctx = ctx
        self._words: WordIndex | None = None
        self._memo: Memo = {}
        lexicon = ctx.lexicon
        self._lexicon_roles = _lexicon_roles(lexicon, data) if lexicon is not None else {}
        self.quiet = False
        self._lowered: str | None = None
        self._flat: str | None = None
        self._present: frozenset[str] | None = None
        if data.gate is not None and "trigger" not in self._lexicon_roles:
            lowered = ctx.text.lower()
            if len(lowered) == len(ctx.text):
                self._lowered = lowered
                self._flat = flat = flatten(lowered)
                tokens = flat.split()
                self.quiet = data.gate.isdisjoint(tokens)
                if not self.quiet and data.vocabulary is not None:
                    # the word index's words, from the same tokens
                    self._present = data.vocabulary.intersection(tokens)
        self._matches: dict[str, list[tuple[int, int, int]]] = {}
        self._triggers: dict[str, list[Hit]] = {}
        self._cues: dict[tuple[str, str, tuple[tuple[int, int], ...] | None], list[Hit]] = {}
        self._satisfiers: dict[str, list[tuple[Hit, str]]] = {}
        self._satisfier_spans: dict[str, list[Hit]] = {}
        self._document_matches: dict[str, list[tuple[int, int, int]]] = {}
        self._negation: dict[int, bool] = {}
        self._span_starts: dict[str, list[int]] = {}
        self._scope_starts: dict[str, dict[str, list[int]]] = {}

    @property
    def words(self) -> WordIndex:
        """The document's word index (built on first use: one scan of the text)."""
        if self._words is None:
            self._words = WordIndex(
                self.ctx.text,
                self.data.vocabulary,
                self._flat,
                lowered=self._lowered,
                present=self._present,
            )
        return self._words

    def lexicon_terms(self, code: str, role: str) -> list[LexiconHit]:
        """Lexicon hits of terms with ``subtype = role`` (``trigger`` or ``satisfier``)
        for rule ``code`` (by code or name), not negated in their clause or by the
        shared negation scopes. The lexicon's hits are consulted only when a term
        targets this rule in that role."""
        keys = self._lexicon_roles.get(role)
        if not keys or not (keys & self.data.keys_of(code)):
            return []
        names = self.data.keys_of(code)
        text, ann = self.ctx.text, self.ctx.annotations
        return [
            hit
            for hit in self.ctx.lexicon_hits
            if hit.term.subtype == role
            and hit.term.rule in names
            and not clause_negated(text, hit.start)
            and not (hit.term.negatable and ann.negated(hit.start, hit.end))
        ]

    def _trigger_matches(self, code: str) -> list[tuple[int, int, int]]:
        """Where the trigger entries of rule ``code`` match, before any test."""
        found = self._matches.get(code)
        if found is None:
            group = self.data.triggers.get(code)
            found = self._matches[code] = group.find(self.words) if group else []
        return found

    def may_trigger(self, code: str) -> bool:
        """Whether rule ``code`` has a trigger candidate (a match of a trigger entry or
        a lexicon trigger term): false means :meth:`triggers` is empty, found before
        the tests on each match (quotes, negation, agent) are run."""
        return bool(self._trigger_matches(code)) or bool(self.lexicon_terms(code, "trigger"))

    def triggers(self, code: str) -> list[Hit]:
        """Triggers of rule ``code`` that count: right kind, not the client's own words,
        not negated, and with the clinician as agent where the entry asks for it."""
        found = self._triggers.get(code)
        if found is None:
            found = []
            group = self.data.triggers.get(code)
            text, ann = self.ctx.text, self.ctx.annotations
            for index, start, end in self._trigger_matches(code):
                entry = group.entries[index] if group else None
                assert isinstance(entry, Trigger)
                if self.ctx.kind not in entry.kinds:
                    continue
                if touches_client_words(ann, text, start, end):
                    continue
                clause = _clause_start(text, start)
                if _HYPOTHETICAL.search(text, clause, start) or _CONDITION_START.search(
                    text, max(0, start - _CONDITION_REACH), start
                ):
                    continue
                if entry.agent == "clinician" and not clinician_is_agent(text, start, clause):
                    continue
                if not clause_negated(text, start, clause):
                    found.append(Hit(index, start, end, False))
            found.extend(self.lexicon_hits(code))
            found = self._triggers[code] = _drop_overlaps(found)
        return found

    def cue(
        self, code: str, name: str, windows: Sequence[tuple[int, int]] | None = None
    ) -> list[Hit]:
        """Hits of cue ``name`` for rule ``code`` (negated ones flagged, not dropped),
        only those starting in ``windows`` when given (the only places they matter)."""
        if windows is not None and not windows:
            return []
        key = (code, name, tuple(windows) if windows is not None else None)
        found = self._cues.get(key)
        if found is None:
            found = []
            group = self.data.cues.get((code, name))
            text = self.ctx.text
            for index, start, end in group.find(self.words, None, windows) if group else ():
                entry = group.entries[index] if group else None
                assert isinstance(entry, Cue)
                if self.ctx.kind in entry.kinds:
                    found.append(Hit(index, start, end, clause_negated(text, start)))
            found = self._cues[key] = _drop_overlaps(found)
        return found

    def sentence_window(self, offset: int, ends: int = 1) -> tuple[int, int]:
        """A ``[lo, hi)`` range holding every offset whose :meth:`sentence_distance`
        from ``offset`` is below ``ends`` (1: the same sentence) on or after it, and
        every offset in the same sentence before it (it may be wider)."""
        text = self.ctx.text
        lo = 0  # no sentence end close before: the sentence may start anywhere
        for m in _SENTENCE_END.finditer(text, max(0, offset - _SENTENCE_LOOKBACK), offset):
            lo = m.start()
        return lo, self.sentences_end(offset, ends)

    def sentences_end(self, offset: int, ends: int = 1) -> int:
        """Where the ``ends``-th sentence end from ``offset`` on has been passed: every
        offset before it is fewer than ``ends`` sentence ends away (it may be later)."""
        text = self.ctx.text
        # only so far ahead (then "later": the end of the text), so that many offsets
        # in a long text with no sentence end cost a bounded scan each
        reach = offset + _SENTENCE_REACH
        for count, m in enumerate(_SENTENCE_END.finditer(text, offset, reach), 1):
            if count == ends:
                return int(m.end()) + 2
        return len(text) + 1

    def document_satisfied(self, code: str) -> bool:
        """Whether a non-negated satisfier of scope ``document`` for ``code`` is in the
        document: it clears every trigger of ``code``. Only those entries are tried,
        and negation is tested only until one is found, so when there is one the
        other satisfiers need not be looked for at all (the matches found here are
        kept for :meth:`satisfiers`)."""
        found = self._satisfiers.get(code)
        if found is not None:
            return any(scope == "document" for _, scope in found)
        group = self.data.satisfiers.get(code)
        if group is None or not group.document_scope:
            return False
        matches = self._document_matches.get(code)
        kind = self.ctx.kind

        def clears(index: int, start: int) -> bool:
            return kind in group.entries[index].kinds and not self._negated(start)

        if matches is None:
            only = group.document_scope
            matches = group.find(self.words, self._memo, only=only, until=clears)
            if matches and clears(*matches[-1][:2]):
                return True  # found early: the matches are not all known
            self._document_matches[code] = matches
        return any(clears(index, start) for index, start, _ in matches)

    def _negated(self, start: int) -> bool:
        """:func:`clause_negated` at ``start``, worked out once per offset."""
        negated = self._negation.get(start)
        if negated is None:
            negated = self._negation[start] = clause_negated(self.ctx.text, start)
        return negated

    def satisfiers(self, code: str) -> list[tuple[Hit, str]]:
        """Non-negated satisfier hits for rule ``code`` as ``(hit, scope)``."""
        found = self._satisfiers.get(code)
        if found is None:
            found = []
            spans: list[Hit] = []
            group = self.data.satisfiers.get(code)
            matches: list[tuple[int, int, int]] = []
            if group is not None:
                known = self._document_matches.get(code)
                if known is None:
                    matches = group.find(self.words, self._memo)
                else:  # the entries of scope "document" were tried already
                    only = group.other_scope
                    matches = known + group.find(self.words, self._memo, only=only)
            for index, start, end in matches:
                entry = group.entries[index] if group else None
                assert isinstance(entry, Satisfier)
                if self.ctx.kind not in entry.kinds:
                    continue
                hit = Hit(index, start, end, self._negated(start))
                spans.append(hit)
                if not hit.negated:
                    found.append((hit, entry.scope))
            found.sort(key=lambda pair: pair[0].start)
            spans.sort(key=lambda h: h.start)
            self._satisfiers[code] = found
            self._satisfier_spans[code] = spans
            self._span_starts[code] = [h.start for h in spans]
            self._scope_starts[code] = {
                scope: [h.start for h, sc in found if sc == scope]
                for scope in ("sentence", "nearby")
            }
        return found

    def inside_satisfier(self, code: str, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies within a satisfier of ``code``, negated or not
        ("consent to audio recording", "declined consent to video recording")."""
        self.satisfiers(code)
        spans = self._satisfier_spans[code]
        i = bisect.bisect_right(self._span_starts[code], start)
        while i > 0:
            i -= 1
            hit = spans[i]
            if hit.start < start - _MAX_SATISFIER_SPAN:
                break
            if end <= hit.end:
                return True
        return False

    def sentence_distance(self, a: int, b: int) -> int:
        """How many sentence ends lie between offsets ``a`` and ``b`` (0: the same
        sentence, 1: adjacent; counting stops at 2). Only the text in between is
        scanned, so a full sentence split is never needed."""
        lo, hi = (a, b) if a <= b else (b, a)
        count = 0
        for _ in _SENTENCE_END.finditer(self.ctx.text, lo, hi):
            count += 1
            if count > 1:
                break
        return count

    def satisfied(self, code: str, start: int, end: int, extra_names: Iterable[str] = ()) -> bool:
        """Whether a satisfier for ``code`` covers the trigger at ``[start, end)``."""
        satisfiers = self.satisfiers(code)
        if any(scope == "document" for _, scope in satisfiers):
            return True
        for scope, allowed in (("sentence", 0), ("nearby", 1)):
            # the nearest satisfier of this scope on either side decides
            starts = self._scope_starts[code][scope]
            i = bisect.bisect_left(starts, start)
            for j in (i - 1, i):
                if 0 <= j < len(starts) and self.sentence_distance(start, starts[j]) <= allowed:
                    return True
        return self._lexicon_satisfied(code, extra_names)

    def lexicon_hits(self, code: str, role: str = "trigger") -> list[Hit]:
        """Lexicon terms in ``role`` for ``code`` as hits (entry ``-1``), with the
        client's own words left out as for pack triggers."""
        text, ann = self.ctx.text, self.ctx.annotations
        return [
            Hit(-1, hit.start, hit.end, False)
            for hit in self.lexicon_terms(code, role)
            if not touches_client_words(ann, text, hit.start, hit.end)
        ]

    def _lexicon_satisfied(self, code: str, names: Iterable[str]) -> bool:
        """Satisfier terms from term packs (``subtype = "satisfier"``, ``rule`` = the
        consent rule's code or name) count anywhere in the document."""
        del names  # the rule's name is known from the pack data
        return bool(self.lexicon_terms(code, "satisfier"))

    def fact_satisfies(self, code: str) -> bool:
        """Whether ``facts["consent.active"]`` (e.g. from a FHIR Consent) covers ``code``."""
        active = self.ctx.document.facts.get("consent.active")
        if not active:
            return False
        values = (active,) if isinstance(active, str) else active
        facts: Mapping[str, frozenset[str]] = self.data.facts
        return any(code in facts.get(str(v), frozenset()) for v in values)


#: How far back the quick tests below look for the start of the paragraph or line.
#: Past that they answer "maybe" and the quote annotation (built once, searched by
#: bisection) decides, so each trigger costs a bounded look-back rather than a scan of
#: all the text before it (a long note with no blank line stays linear).
_QUICK_REACH = 2_000


def _block_start(text: str, offset: int, boundary: str) -> int | None:
    """Where the paragraph (``boundary`` a blank line) or line (a line break) holding
    ``offset`` starts, or ``None`` when it starts further back than the reach."""
    low = max(0, offset - _QUICK_REACH)
    at = text.rfind(boundary, low, offset)
    if at < 0:
        return None if low else 0
    return at + len(boundary)


def _maybe_quoted(text: str, offset: int) -> bool:
    """A cheap test that ``offset`` may sit inside quotation marks in its paragraph
    (never false where it is)."""
    para = _block_start(text, offset, "\n\n")
    if para is None:
        return True  # a paragraph longer than the reach: the annotation decides
    if text.count('"', para, offset) % 2:
        return True
    return text.rfind("“", para, offset) > text.rfind("”", para, offset)


def touches_client_words(ann: Annotations, text: str, start: int, end: int) -> bool:
    """Whether the trigger's first or last word is the client's own (a long trigger
    may span a short quotation in between: "discussed her comments about "..." with").
    The full quote annotation is consulted only when quotation marks are near."""
    if not (_maybe_quoted(text, start) or _maybe_quoted(text, end)) and not _said(text, start):
        return False
    first = _PREFIX_WORD.match(text, start)
    last_start = max(text.rfind(" ", start, end) + 1, start)
    head_end = first.end() if first else end
    return ann.overlaps_client_words(start, head_end) or ann.overlaps_client_words(last_start, end)


_CLIENT_SAID = regex.compile(
    r"\b(?:" + "|".join(SAID_VERBS) + r")\s*:[^\n]*$",
    regex.IGNORECASE,
)


def _said(text: str, start: int) -> bool:
    """Whether ``start`` may follow an unquoted "Client stated: ..." on its line
    (never false where it does)."""
    line = _block_start(text, start, "\n")
    if line is None:
        return True  # a line longer than the reach: the annotation decides
    colon = text.find(":", line, start)
    if colon < 0:
        return False
    if text[line:start].isascii():
        # a quick test first: some colon must come right after a speech verb (ASCII
        # text has no other spelling of one under case-insensitive matching)
        while colon >= 0:
            if text[line:colon].rstrip().lower().endswith(SAID_VERBS):
                break
            colon = text.find(":", colon + 1, start)
        else:
            return False
    return _CLIENT_SAID.search(text, line, start) is not None


def _drop_overlaps(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (h.start, -h.end))
    kept: list[Hit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


def scan_for(ctx: Context, data: ConsentData) -> Scan:
    """The document's shared :class:`Scan`, built on first use and kept in
    ``ctx.cache["consent"]`` for the other consent rules."""
    scan = ctx.cache.get(_CACHE_KEY)
    if not isinstance(scan, Scan) or scan.data is not data:
        scan = Scan(data, ctx)
        ctx.cache[_CACHE_KEY] = scan
    return scan


_ROLES: weakref.WeakKeyDictionary[Lexicon, dict[str, frozenset[str]]] = weakref.WeakKeyDictionary()


def _lexicon_roles(lexicon: Lexicon, data: ConsentData) -> dict[str, frozenset[str]]:
    """``{"trigger": keys, "satisfier": keys}``: the rule codes and names that the
    lexicon's terms target in each role (empty when no term targets a consent rule).
    Worked out once per lexicon; ``rule_keys`` answers the common case at once."""
    if data.rule_keys.isdisjoint(lexicon.rule_keys):
        return {}
    try:
        return _ROLES[lexicon]
    except KeyError:
        pass
    roles: dict[str, set[str]] = {}
    for term in lexicon.terms:
        if term.subtype in ("trigger", "satisfier"):
            roles.setdefault(term.subtype, set()).add(term.rule)
    found = {role: frozenset(keys) for role, keys in roles.items()}
    with contextlib.suppress(TypeError):  # a lexicon that cannot be weakly referenced
        _ROLES[lexicon] = found
    return found
