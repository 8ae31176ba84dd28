"""The lexicon matcher: variants, inflections, exceptions, guards, speed-safety."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inquiry_assist import Linter
from inquiry_assist import lexicon as lexicon_module
from inquiry_assist.config import Config
from inquiry_assist.lexicon import (
    Lexicon,
    LexiconError,
    Term,
    TermPack,
    mark_vetted,
    match_case,
)


def hits(terms: list[Term], text: str) -> list[str]:
    return [h.text for h in Lexicon(terms).match(text)]


def test_hyphen_space_and_joined_variants() -> None:
    t = Term(phrase="non-compliant", rule="r")
    assert hits([t], "noncompliant; non-compliant; Non compliant; non–compliant") == [
        "noncompliant",
        "non-compliant",
        "Non compliant",
        "non–compliant",
    ]


def test_verb_and_noun_inflections() -> None:
    verb = Term(phrase="refuse", rule="r", inflect="verb", forms=("refusal",))
    assert hits([verb], "refuse refuses refused refusing refusal refuser") == [
        "refuse",
        "refuses",
        "refused",
        "refusing",
        "refusal",
    ]
    assert hits([Term(phrase="admit", rule="r", inflect="verb")], "admitted admits") == [
        "admitted",
        "admits",
    ]
    noun = Term(phrase="crack addict", rule="r", inflect="noun")
    assert hits([noun], "crack addicts") == ["crack addicts"]


def test_whole_words_only_and_case_insensitive() -> None:
    t = Term(phrase="claim", rule="r", inflect="verb")
    assert hits([t], "Reclaimed CLAIMS claimant") == ["CLAIMS"]


def test_multiword_does_not_cross_punctuation() -> None:
    t = Term(phrase="drug seeking", rule="r")
    assert hits([t], "drug. Seeking") == []
    assert hits([t], "drug\nseeking") == ["drug\nseeking"]


def test_exceptions_and_context_guards() -> None:
    t = Term(
        phrase="claim",
        rule="r",
        inflect="verb",
        exceptions=("insurance claim",),
        unless_after=r"denial",
    )
    assert hits([t], "insurance claims; she claims; claim denial") == ["claims"]
    t2 = Term(phrase="admitted", rule="r", unless_after=r"to\s+the\s+(unit|hospital)")
    assert hits([t2], "admitted to the unit. admitted to using") == ["admitted"]


def test_code_point_offsets_with_non_ascii() -> None:
    text = "Ünïcode 😀 client claims"
    (h,) = Lexicon([Term(phrase="claims", rule="r")]).match(text)
    assert text[h.start : h.end] == "claims"


def test_curly_apostrophe_matches() -> None:
    assert hits([Term(phrase="don't care", rule="r")], "he don’t care") == ["don’t care"]


def test_invalid_and_slow_patterns_rejected_naming_the_term() -> None:
    with pytest.raises(LexiconError, match="'broken'"):
        Lexicon([Term(phrase="broken", rule="r", pattern="(unclosed")])
    with pytest.raises(LexiconError, match=r"'slow'.*too slow"):
        Lexicon([Term(phrase="slow", rule="r", pattern=r"(a+)+$")])


def test_pattern_terms_match() -> None:
    t = Term(phrase="n/c", rule="r", pattern=r"\bn/c\b")
    assert hits([t], "pt n/c with meds") == ["n/c"]


def test_unknown_rule_rejected() -> None:
    with pytest.raises(LexiconError, match="no lexicon rule"):
        Lexicon([Term(phrase="x", rule="nope")], known_rules=lambda r: False)


def test_case_preserving_suggestions() -> None:
    assert match_case("Refused", "declined") == "Declined"
    assert match_case("REFUSED", "declined") == "DECLINED"
    assert match_case("refused", "declined") == "declined"
    (h,) = Lexicon([Term(phrase="refused", rule="r", replacements=("declined",))]).match(
        "Refused meds"
    )
    assert h.suggestions()[0].replacement == "Declined"


def test_thousand_terms_compile_into_one_matcher() -> None:
    pack = TermPack(
        name="big", terms=[Term(phrase=f"zzterm{i} word", rule="r") for i in range(1000)]
    )
    lex = Lexicon(pack.terms)
    assert len(lex) == 1000
    assert [h.text for h in lex.match("a zzterm999 word b")] == ["zzterm999 word"]


# --- the matcher's shortcuts give the answers of its general path ------------------------

_PROPERTY_TERMS = (
    Term(phrase="non-compliant", rule="r", forms=("not compliant",)),
    Term(phrase="claim", rule="r", inflect="verb", exceptions=("insurance claim",)),
    Term(phrase="claims", rule="r"),  # the same span as an inflection of "claim"
    Term(phrase="crack addict", rule="r", inflect="noun"),
    Term(phrase="addict", rule="r", inflect="noun", unless_after=r"father"),
    Term(phrase="an addict", rule="s", inflect="noun"),
    Term(phrase="so called", rule="s", unless_before=r"\bthe"),
    Term(phrase="drug seeking behavior", rule="s", if_before=r"\bclient", if_after=r"\w"),
    Term(phrase="drug seeking", rule="s", unless_before=r"\bno", unless_after=r"help"),
    Term(phrase="admitted", rule="s", unless_after=r"to\s+the", unless_before=r"\bwas"),
)
_PROPERTY_WORDS = st.sampled_from(
    [
        "non", "compliant", "not", "claim", "claims", "claim's", "insurance", "crack",
        "addict", "addicts", "addict's", "addict’s", "an", "so", "called", "the", "drug",
        "seeking", "behavior", "client", "no", "help", "admitted", "to", "was", "father",
        " ", "  ", "\t", "\n", " \n ", "-", "‐", "–", "--", ".", ",", "'", "’", "é", "İ",
        "x",
    ]
)  # fmt: skip
_PROPERTY_TEXT = st.lists(_PROPERTY_WORDS, max_size=40).map(" ".join) | st.lists(
    _PROPERTY_WORDS, max_size=40
).map("".join)
_PROPERTY_SETTINGS = settings(
    max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None
)


def _variants(terms: Iterable[Term]) -> tuple[Lexicon, Lexicon, Lexicon, Lexicon]:
    """The lexicon as built, and three that skip one shortcut each: no lookahead on
    roots that only lead into longer terms, every hit through the general path, and
    the guards in their original order."""
    terms = tuple(terms)
    built = Lexicon(terms)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lexicon_module, "_continuation", lambda root: "")
        no_lookahead = Lexicon(terms)
        assert no_lookahead._root_finder is not None  # compiled while patched
    general = Lexicon(terms)
    ordered = Lexicon(terms)
    for c in ordered._compiled:
        if c.pending:
            c.compile(probe=False)
        c.untimed = False
    return built, no_lookahead, general, ordered


def _found(lexicon: Lexicon, text: str) -> list[tuple[str, str, int, int]]:
    return [(h.term.phrase, h.term.rule, h.start, h.end) for h in lexicon.match(text)]


def _assert_same_answers(lexicons: tuple[Lexicon, ...], text: str) -> None:
    """Every variant finds what the lexicon as built finds, with the first words of
    terms found by the compiled finder and (as for short texts) by splitting."""
    built, no_lookahead, general, ordered = lexicons
    expected = _found(built, text)
    for short in (-1, len(text)):  # the finder, then the split
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(lexicon_module, "_SHORT_TEXT", short)
            assert _found(built, text) == expected
            assert _found(no_lookahead, text) == expected
            assert _found(ordered, text) == expected
            patch.setattr(lexicon_module, "_MANY_RAW", -1)
            assert _found(general, text) == expected


_SMALL = _variants(_PROPERTY_TERMS)
_SMALL_VETTED = _variants(
    mark_vetted(TermPack(name="p", terms=tuple(t.model_copy() for t in _PROPERTY_TERMS))).terms
)


@_PROPERTY_SETTINGS
@given(_PROPERTY_TEXT)
def test_shortcuts_agree_with_the_general_path(text: str) -> None:
    _assert_same_answers(_SMALL, text)
    _assert_same_answers(_SMALL_VETTED, text)


def test_shortcuts_agree_on_edge_cases() -> None:
    for text in [
        "insurance claims; she claims; claims claims",  # an exception, equal spans
        "crack addicts and an addict’s crack addict's",  # nested, possessive
        "non\tcompliant non–compliant non \n compliant non--compliant noncompliant",
        "non é compliant; non İcompliant; not compliant; so called; the so called",
        "client drug seeking behavior x; drug seeking help; no drug seeking",
        "admitted to the unit; was admitted; admitted",
        "drug seeking behavior.",  # a longer hit whose guard fails: the shorter counts
    ]:
        _assert_same_answers(_SMALL, text)
        _assert_same_answers(_SMALL_VETTED, text)


def test_short_texts_are_split_long_ones_scanned() -> None:
    """A short text never compiles the finder (CLI start-up); a long one uses it, and
    both find the same terms."""
    lexicon = Lexicon(_PROPERTY_TERMS)
    short = "Client claims she is an addict; insurance claims filed."
    assert _found(lexicon, short) and "_root_finder" not in vars(lexicon)
    long = (short + " ") * (lexicon_module._SHORT_TEXT // len(short) + 1)
    found = _found(lexicon, long)
    assert "_root_finder" in vars(lexicon)
    assert found[: len(_found(lexicon, short))] == _found(lexicon, short)


def test_the_shortcuts_are_in_use() -> None:
    built, no_lookahead, _, ordered = _SMALL_VETTED
    assert built._root_finder is not None and no_lookahead._root_finder is not None
    assert built._root_finder.pattern != no_lookahead._root_finder.pattern  # "insurance"
    built.match("drug seeking; admitted")  # compiles the vetted guards
    assert any(c.untimed for c in built._compiled)
    assert not any(c.untimed for c in ordered._compiled)


_BUILTIN = _variants(Linter(Config(select=("language",)), load_entrypoints=False).lexicon.terms)
_BUILTIN_WORDS = st.sampled_from(
    [
        "client", "claims", "insurance", "claim", "adjuster", "refused", "right", "to",
        "refuse", "non", "compliant", "not", "an", "addict", "a", "crack", "so", "called",
        "drug", "seeking", "demanding", "job", "hostile", "work", "environment", "admitted",
        "the", "unit", "was", "dirty", "urine", "clean", "committed", "suicide", "failed",
        "attempt", "wheelchair", "bound", "suffers", "from", "elderly", "obese", "her",
        "father", "is", "alcoholic", "schizophrenic", "frequent", "flyer", "no",
        " ", "\t", "\n", "-", "–", ".", ",", "'s", "’", "é",
    ]
)  # fmt: skip


@_PROPERTY_SETTINGS
@given(st.lists(_BUILTIN_WORDS, max_size=40).map(" ".join))
def test_shortcuts_agree_with_the_general_path_on_the_builtin_terms(text: str) -> None:
    _assert_same_answers(_BUILTIN, text)
