"""The lexicon matcher: variants, inflections, exceptions, guards, speed-safety."""

from __future__ import annotations

import pytest

from inquiry_assist.lexicon import Lexicon, LexiconError, Term, TermPack, match_case


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
