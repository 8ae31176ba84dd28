"""Shared annotations: sentences, sections, client quotes, negation scopes."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import inquiry_assist.annotations as A
from inquiry_assist.annotations import annotate, find_sections, find_sentences


def spans(text: str, items: list) -> list[str]:  # type: ignore[type-arg]
    return [text[s.start : s.end] for s in items]


def test_sentences_respect_abbreviations_and_lines() -> None:
    text = "Dr. Lee saw pt. today. Mood low!\nPlan: follow up. Next week"
    assert spans(text, find_sentences(text)) == [
        "Dr. Lee saw pt. today.",
        "Mood low!",
        "Plan: follow up.",
        "Next week",
    ]


def test_soap_dap_birp_girp_sections() -> None:
    text = (
        "S: Client reports poor sleep.\nO: Alert.\nA: Low mood.\nP: Follow up in 1 week.\n"
        "Data: x\nBehavior: y\nIntervention: z\nResponse: r\nGoal: g\n## Plan\nmore"
    )
    names = [s.name for s in find_sections(text)]
    assert names == [
        "subjective",
        "objective",
        "assessment",
        "plan",
        "data",
        "behavior",
        "intervention",
        "response",
        "goal",
        "plan",
    ]
    plan = find_sections(text)[3]
    assert text[plan.start : plan.end] == "P: Follow up in 1 week.\n"


def test_prose_is_not_a_section() -> None:
    assert find_sections("Client said the plan was fine.\nAssessment is pending") == []


def test_client_quotes_straight_curly_and_stated_forms() -> None:
    text = 'Client said, "I am fine." She wrote “my words here”. Client stated: I want sleep.'
    ann = annotate(text)
    inner = [text[q.inner.start : q.inner.end] for q in ann.quotes]
    assert inner == ["I am fine.", "my words here", "I want sleep."]
    assert all(q.role == "client" for q in ann.quotes)
    assert ann.in_client_words(text.index("fine"), text.index("fine") + 4)
    assert not ann.in_client_words(0, 6)


def test_apostrophes_are_not_quotes() -> None:
    text = "Client’s mother’s house"
    assert annotate(text).quotes == []


def test_unbalanced_quote_is_ignored() -> None:
    text = 'Client said "I am tired and never closed'
    assert annotate(text).quotes == []


def test_negation_scope() -> None:
    text = "No agitation or hostility observed. Client was tense."
    ann = annotate(text)
    assert ann.negated(text.index("hostility"), text.index("hostility") + 9)
    assert not ann.negated(text.index("tense"), text.index("tense") + 5)


def test_sentence_and_section_lookup() -> None:
    text = "S: One. Two.\nP: Three."
    ann = annotate(text)
    sentence = ann.sentence_at(text.index("Two"))
    assert sentence is not None and text[sentence.start : sentence.end] == "Two."
    section = ann.section_at(text.index("Three"))
    assert section is not None and section.name == "plan"


def test_local_negation_check_agrees_with_all_scopes() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from inquiry_assist.annotations import Annotations

    parts = st.sampled_from(
        [
            "no",
            "not",
            "hostile",
            "calm",
            ",",
            ".",
            "but",
            "and",
            "client",
            "didn't",
            "agitation",
            "\n",
            "without",
        ]
    )

    @settings(max_examples=200, deadline=None)
    @given(st.lists(parts, max_size=40).map(" ".join), st.data())
    def check(text: str, data: st.DataObject) -> None:
        if not text:
            return
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start, len(text)))
        lazy = Annotations(text).negated(start, end)
        eager = Annotations(text)
        _ = eager.negations
        assert lazy == eager.negated(start, end)

    check()


def test_overlaps_client_words_matches_a_linear_scan() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from inquiry_assist.annotations import Annotations

    parts = st.sampled_from(['"', "“", "”", "I", "said", "claims", "Client", ",", ":", "stated"])

    @settings(max_examples=200, deadline=None)
    @given(st.lists(parts, max_size=30).map(" ".join), st.data())
    def check(text: str, data: st.DataObject) -> None:
        if not text:
            return
        ann = Annotations(text)
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        linear = any(q.role == "client" and q.inner.overlaps(start, end) for q in ann.quotes)
        assert ann.overlaps_client_words(start, end) == linear

    check()


# --- fast paths against straightforward references ------------------------------------
#
# The annotations use a few tricks for speed (one regex pass over a copy of the text in
# which every terminator or quotation mark is the same literal character, grouped
# negation cues, an ASCII path for negation scopes, cheap pre-checks before the
# abbreviation and "Client stated:" tests). The references below are the plain
# versions; the properties check that both give the same answers.


_REF_SENTENCE_END = re.compile(r"[.!?][.!?\"'”’)\]]*(?=\s|\Z)")


def _ref_trimmed(text: str, out: list[tuple[int, int]], start: int, end: int) -> None:
    segment = text[start:end]
    if segment.strip():
        lead = len(segment) - len(segment.lstrip())
        out.append((start + lead, start + lead + len(segment.strip())))


def ref_sentences(text: str) -> list[tuple[int, int]]:
    """Line by line; every terminator run checked for an abbreviation in full."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_end = pos + len(line)
        start = pos
        for m in _REF_SENTENCE_END.finditer(text, pos, line_end):
            at = m.start()
            if m.end() - at == 1 and text[at] == ".":
                space = text.rfind(" ", start, at)
                word = text[max(space + 1, start) : at]
                if (len(word) == 1 and word.isupper()) or word.lower() in A._ABBREVIATIONS:
                    continue
            _ref_trimmed(text, out, start, m.end())
            start = m.end()
        _ref_trimmed(text, out, start, line_end)
        pos = line_end + 1
    return out


_REF_CUES = [
    re.compile(cue + r"\b")
    for cue in (
        "no",
        "not",
        "never",
        "without",
        "none",
        "neither",
        "nor",
        "denies",
        "denied",
        "absent",
        r"negative\s+for",
        r"absence\s+of",
        r"free\s+of",
        r"rules?\s+out",
        r"ruled\s+out",
    )
]


def ref_negations(text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int]]:
    """One pattern per cue, each scope searched case-insensitively in the text itself
    and its words counted one by one."""
    endpos = len(text) if endpos is None else endpos
    stop = min(len(text), endpos + 20)
    low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text[pos:stop])
    cues = []
    for cue in _REF_CUES:
        for m in cue.finditer(low):
            i = m.start()
            if i < endpos - pos and not (i and re.match(r"\w", low[i - 1])):
                cues.append((pos + i, pos + m.end()))
    cues += [(pos + m.start(), pos + m.end()) for m in re.finditer(r"n['’]t\b", low)]
    out = []
    for cue_start, start in sorted(c for c in cues if c[0] < endpos):
        limit = min(len(text), start + 120)
        stop_at = A._SCOPE_END.search(text, start, limit)
        end = stop_at.start() if stop_at else limit
        words = list(re.finditer(r"\S+", text[start:end]))
        if len(words) >= 8:
            end = start + words[7].end()
        if end > start:
            out.append((cue_start, end))
    return out


_REF_QUOTE_CHARS = re.compile("[\n\"'\u201c\u201d\u00ab\u00bb\u2018\u2019]")


def ref_quote_marks(text: str) -> list[tuple[int, int]]:
    """The pairing of quotation marks, one regex match per mark or line break."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    single: int | None = None
    for m in _REF_QUOTE_CHARS.finditer(text):
        i, ch = m.start(), m.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        apostrophe = before.isalnum() and after.isalnum()
        if ch == "\n":
            single = None
            if text.startswith("\n", i + 1):
                straight = None
                stack.clear()
        elif ch == "'":
            if (
                single is not None
                and not after.isalnum()
                and (before.isalnum() or before in ".,!?")
                and i - single <= 60
            ):
                pairs.append((single, i + 1))
                single = None
            elif not before.isalnum() and after.isalpha():
                single = i
        elif ch == '"':
            if straight is None:
                straight = i
            else:
                pairs.append((straight, i + 1))
                straight = None
        elif ch in A._PAIRS and not (ch == "\u2018" and apostrophe):
            stack.append((A._PAIRS[ch], i))
        elif stack and ch == stack[-1][0] and not (ch == "\u2019" and apostrophe):
            pairs.append((stack.pop()[1], i + 1))
    return sorted(pairs)


def ref_client_said(text: str) -> list[tuple[int, int]]:
    """Every colon's look-back tested in full; each sentence end searched afresh."""
    spans = []
    for colon in (m.start() for m in re.finditer(":", text)):
        if text[max(0, colon - 12) : colon].rstrip().lower().endswith(
            A.SAID_VERBS
        ) and A._CLIENT_SAID.search(text, max(0, colon - 40), colon):
            start = colon + 1
            while start < len(text) and text[start] in " \t":
                start += 1
            stop = A._SAID_END.search(text, start)
            end = (
                len(text) if stop is None else stop.end() if stop.group() != "\n" else stop.start()
            )
            if end > start and text[start] != "\n":
                spans.append((start, end))
    return spans


def ref_classify(text: str, start: int, end: int) -> str:
    """Every test computed up front, in the order written."""
    quoted = text[start + 1 : min(end - 1, start + 81)]
    words = quoted.split()
    window = max(0, start - 60)
    clause = max(text.rfind(ch, window, start) for ch in ".!?;\n") + 1
    before = text[max(clause, window) : start]
    after = text[end : end + 40]
    if len(words) >= 4 or not words or not before.strip() or A._FIRST_PERSON.match(quoted):
        return "client"
    if before.rstrip().endswith((":", ",")) or A._ATTRIBUTION_AFTER.match(after):
        return "client"
    words_before = re.findall(r"\w+", before.lower())
    attributed = bool(A._SPEECH_WORDS.intersection(words_before)) or any(
        pair in A._SPEECH_PAIRS for pair in itertools.pairwise(words_before)
    )
    naming = bool(words_before and words_before[-1] in A._NAMING_WORDS) or bool(
        A._NAMING_AFTER.match(after)
    )
    return "client" if (attributed or naming) else "scare"


_REF_HEADING = re.compile(
    r"[ \t]*(?:\#{1,6}[ \t]*)?(?:\*\*)?(?P<name>[A-Za-z][A-Za-z ]{0,24}?)(?:\*\*)?"
    r"[ \t]*(?:\([^)\n]{0,40}\))?[ \t]*(?P<end>:|\n|$)"
)


def ref_sections(text: str) -> list[tuple[int, int, str, int, int]]:
    """The shortest heading name first (a lazy quantifier), on every line."""
    heads = []
    pos = 0
    for line in text.split("\n"):
        m = _REF_HEADING.match(text, pos, pos + len(line))
        if m is not None and (m.group("end") == ":" or "#" in text[pos : m.start("name")]):
            name = A.SECTION_NAMES.get(" ".join(m.group("name").lower().split()))
            if name is not None:
                heads.append((pos + len(m.group()) - len(m.group().lstrip()), m.end(), name))
        pos += len(line) + 1
    ends = [h[0] for h in heads[1:]] + [len(text)] * bool(heads)
    return [(a, end, name, a, b) for (a, b, name), end in zip(heads, ends, strict=True)]


def _texts(*pieces: str) -> st.SearchStrategy[str]:
    """Texts built from ``pieces`` (dense in the cases that matter) or any text."""
    parts = st.sampled_from(pieces + _ODD)
    return st.one_of(
        st.lists(parts, max_size=50).map("".join),
        st.lists(parts, max_size=30).map(" ".join),
        st.text(max_size=60),
    )


#: characters whose lower case is longer or special, and white space besides " "
_ODD = ("İ", "ſ", "K", "Σ", "É", "1", "_", " ", "\t", "\n", "\r\n", "\u00a0", "\u2028")
_SENTENCE_TEXTS = _texts(
    *("Dr", "dR", "PT", "e.g", "A.M", "approx", "Approxx", "etc", "J", "j", "x", "no", "word"),
    *(".", "!", "?", "..", "?!", ".)", '."', "’", "]", "  ", "\n\n"),
)
_NEGATION_TEXTS = _texts(
    *("no", "NO", "not", "none", "Nor", "never", "neither", "non", "don't", "can’t", "N'T"),
    *("without", "Denies", "denied", "absent", "absence of", "negative  for", "free\tof"),
    *("rules out", "ruled OUT", "rule out", "x", "calm", "but", "But", "AND was", "and  is"),
    *(", he", ",and Is", "However", "WHEN", "that", ".", ";", ":", "!", ","),
    *("ſince", ", ſhe", "İnstead", "“", "’"),
)
_QUOTE_TEXTS = _texts(
    *('"', "'", "“", "”", "‘", "’", "«", "»", "x'", "'x", "I", "a", "it's", "'90s"),
    *("\n", "\n\n", '"\n\n', "“\n\n", "\n \n", ".", ",", "!", ":", "said", "my words here"),
)
_SAID_TEXTS = _texts(
    *("Client", "CLIENT", "she", "They", "stated", "STATED", "says", "SAYS", "Explained"),
    *("reported", "noted", ":", " :", "\t", "x", "d", "S", ".", "!", "?", "\n"),
    *("Client STATED:", "she SAYS:", "they said :", "Pt explained:"),
)
_HEADING_LINES = st.lists(
    st.tuples(
        st.sampled_from(["", " ", "\t", "#", "## ", "**", "###### ", "####### ", "x"]),
        st.sampled_from(["S", "Plan", "plan  of care", "Mental Status Exam", "Mse", "Plan "])
        | st.text("ab ", max_size=30),
        st.sampled_from(["", ":", " :", "**:", "** (x):", " (weekly):", "\t**", "*:", " "]),
        st.sampled_from(["", " x", " at 10:30", "\r"]),
    ).map("".join),
    max_size=6,
).map("\n".join)
_FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(_SENTENCE_TEXTS)
@example("Saw DR. Lee.\tDr. Kim e.g. x.\nPT. y?! J. z.) ſt. K. İ. a.m. etc.")
def test_sentences_match_the_line_by_line_reference(text: str) -> None:
    assert [(s.start, s.end) for s in A.find_sentences(text)] == ref_sentences(text)


@_FAST
@given(_NEGATION_TEXTS, st.integers(0, 200), st.integers(0, 200))
@example("NO pain But calm; not ill, He said; didn't eat AND was fine", 3, 30)
@example("no pain ſince then, not ill, ſhe said; “none” ok İnstead", 0, 60)
@example(
    "no a not b never c without d none e neither f nor g denies h denied i absent j "
    "negative for k absence of l free of m rules out n rule out o ruled out p can't q",
    0,
    999,
)
def test_negations_match_the_one_pattern_per_cue_reference(text: str, a: int, b: int) -> None:
    assert [(s.start, s.end) for s in A.find_negations(text)] == ref_negations(text)
    pos = a % (len(text) + 1)
    endpos = pos + b % (len(text) - pos + 1)
    got = [(s.start, s.end) for s in A.find_negations(text, pos, endpos)]
    assert got == ref_negations(text, pos, endpos)


@_FAST
@given(_HEADING_LINES | _texts(":", "#", "**", "(x)", "Plan", "S", "\n"))
@example("**Plan ** (x): a\n## Plan\t(x)\n  Risk assessment:\nMental  Status    Exam: y")
@example("Mental         Status Exam: y\nMental        Status Exam: y")  # 26 and 25 long
def test_sections_match_the_shortest_name_reference(text: str) -> None:
    found = [(s.start, s.end, s.name, s.heading.start, s.heading.end) for s in find_sections(text)]
    assert found == ref_sections(text)


@_FAST
@given(_QUOTE_TEXTS)
@example("so 'a\nb' and 'c d' x")
@example('a"\n\nb" c "d"')
@example("“x\n\n«y”» ‘it’s’")
def test_quote_pairing_matches_the_per_mark_reference(text: str) -> None:
    marked = [(q.start, q.end) for q in A.find_quotes(text) if q.marked]
    assert marked == ref_quote_marks(text)


@_FAST
@given(_SAID_TEXTS)
@example("Client STATED: I slept. She SAYS:fine\nThey said :\n ok")
def test_client_said_matches_the_reference(text: str) -> None:
    assert A._client_said(text) == ref_client_said(text)


@_FAST
@given(_QUOTE_TEXTS | _SAID_TEXTS, st.data())
def test_quote_classification_matches_the_reference(text: str, data: st.DataObject) -> None:
    if len(text) >= 2:
        start = data.draw(st.integers(0, len(text) - 2))
        end = data.draw(st.integers(start + 2, len(text)))
        assert A._classify(text, start, end).role == ref_classify(text, start, end)


def test_span_types_stay_frozen_dataclasses() -> None:
    import dataclasses

    span = A.Span(1, 3)
    quote = A.Quote(0, 4, inner=span, role="client")
    section = A.Section(0, 9, name="plan", heading=A.Span(0, 2))
    assert span == A.Span(1, 3) and hash(span) == hash(A.Span(1, 3))
    assert span != A.Quote(1, 3, inner=span, role="client")
    assert span != (1, 3)  # type: ignore[comparison-overlap]
    assert quote.marked and quote == A.Quote(0, 4, span, "client", True)
    assert repr(section) == ("Section(start=0, end=9, name='plan', heading=Span(start=0, end=2))")
    assert dataclasses.replace(quote, role="scare").role == "scare"
    for item in (span, quote, section):
        with pytest.raises(dataclasses.FrozenInstanceError):
            item.start = 5  # type: ignore[misc]
