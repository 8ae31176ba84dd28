"""Property tests for the language rules: offsets, client quotes, pathological text."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from inquiry_assist import Linter
from inquiry_assist.annotations import NEGATION_CUE_HINT, annotate, find_negations, find_quotes
from inquiry_assist.builtin.language import attribution
from inquiry_assist.builtin.language import rules as language_rules
from inquiry_assist.config import Config
from inquiry_assist.model import Document
from inquiry_assist.rules import Context

LANGUAGE = Linter(Config(select=("language",)), load_entrypoints=False)

_WORDS = st.sampled_from(
    [
        "Client",
        "claims",
        "refused",
        "non-compliant",
        "an",
        "addict",
        "alcoholic",
        "committed",
        "suicide",
        "clean",
        "dirty",
        "urine",
        "wheelchair-bound",
        "obese",
        "elderly",
        "hostile",
        "no",
        "not",
        "her",
        "father",
        "is",
        "a",
        "schizophrenic",
        "forgot",
        '"',
        "“",
        "”",
        "‘",
        "’",
        "'",
        ":",
        ",",
        ".",
        "\n",
        "\n\n",
        "é",
        "患者",
        "مريض",
        "😀",
        "\u200b",
        "\x00",
        "\x7f",
        "İ",
        "-",
        "said,",
    ]
)
_TEXT = st.one_of(st.text(), st.lists(_WORDS, max_size=80).map(" ".join))
_SETTINGS = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@_SETTINGS
@given(_TEXT)
def test_offsets_slice_back_to_the_matched_text(text: str) -> None:
    for f in LANGUAGE.lint_text(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.code != "IA900", f.message


@_SETTINGS
@given(st.lists(_WORDS.filter(lambda w: w not in {'"', "“", "”", "\n\n"}), max_size=30))
def test_never_flags_inside_client_quotes(words: list[str]) -> None:
    quoted = " ".join(words)
    text = f'Client said, "{quoted}" and we talked.'
    inner_start = text.index('"') + 1
    inner_end = inner_start + len(quoted)
    for f in LANGUAGE.lint_text(text):
        assert not (f.start < inner_end and inner_start < f.end), (f.code, f.text)


@_SETTINGS
@given(_TEXT)
def test_fix_never_rewrites_client_quotes(text: str) -> None:
    assume('"' not in text and "\n\n" not in text)  # the quotation must stay one quotation
    fixed = LANGUAGE.fix_text(f'Client said, "{text}"', unsafe=True).text
    assert fixed.endswith(f'"{text}"')


@_SETTINGS
@given(_TEXT)
def test_quotes_and_negation_scopes_are_well_formed(text: str) -> None:
    for q in find_quotes(text):
        assert 0 <= q.start <= q.inner.start <= q.inner.end <= q.end <= len(text)
    for s in find_negations(text):
        assert 0 <= s.start < s.end <= len(text)


#: adversarial shapes, each built at a size ``k`` (about ``k`` characters or more)
_PATHOLOGICAL: tuple[Callable[[int], str], ...] = (
    lambda k: "x" * (k * 10),  # a long run without spaces
    lambda k: "claims" * k,
    lambda k: "“" * k + "”" * k,  # deeply nested
    lambda k: '"' * (2 * k + 1),  # unbalanced
    lambda k: "‘“«" * k,
    lambda k: '"a ' * k + "refused",
    lambda k: "Клиент claims 患者 refused مريض an addict 😀" * (k // 20),  # mixed scripts
    lambda k: "\x00\x01\x02\x1b[31m claims \x7f\u202e refused \ufeff" * (k // 20),  # controls
    lambda k: "no " * k + "hostile",
    lambda k: "Client stated:" * (k // 5),
    lambda k: ("a" * 59 + " ") * (k // 30),
    lambda k: "an " * k + "addict",
    lambda k: "'s " * k,
    lambda k: "her father is an alcoholic and " * (k // 10),  # many hits, many clauses
    lambda k: "Mom is an addict and the baby " * (k // 10),  # perinatal: the mother is the client
    lambda k: "He signed 'finish' and 'more' " * (k // 10),  # signed words among scare quotes
    lambda k: "her Centrelink claim, her claim that " * (k // 10),  # claim noun guards
)


def _best_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        LANGUAGE.lint_text(text)
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.parametrize("shape", range(len(_PATHOLOGICAL)))
def test_pathological_text_does_not_crash_or_hang(shape: int) -> None:
    """Adversarial text lints without errors, and four times the text takes about
    four times as long (quadratic work would take sixteen): linearity is shown by
    the ratio, not by one huge input."""
    make = _PATHOLOGICAL[shape]
    small, large = make(2_500), make(10_000)
    for f in LANGUAGE.lint_text(large):
        assert large[f.start : f.end] == f.text
        assert f.code != "IA900", f.message
    t_small, t_large = _best_seconds(small), _best_seconds(large)
    # generous bound (noise on a shared machine); the slack covers tiny timings
    assert t_large <= 9 * t_small + 0.02, (shape, t_small, t_large)


def test_scare_quote_classification_is_linear_on_many_quotes() -> None:
    text = 'Pt "forgot" it. ' * 20_000
    quotes = find_quotes(text)
    assert len(quotes) == 20_000
    assert all(q.role == "scare" for q in quotes)


# --- the rules' shortcuts give the answers of the plain computation ------------------

_CONTEXT_WORDS = st.sampled_from(
    [
        "no", "not", "NOT", "none", "nor", "never", "neither", "without", "denies", "denied",
        "absent", "absence", "of", "negative", "for", "free", "rules", "ruled", "rule", "out",
        "don't", "can’t", "isn't", "n't", "know", "piano", "hostile", "addict", "father",
        "mother's", "ex-wife", "step-mother", "stepson", "grandmother", "another", "other",
        "patient", "patients", "client", "she", "but", "her", "the", "pharmacy", "has",
        "refused", "and", "which", ".", ";", ":", "!", "?", ",", "\n", "-", "\t", "’", "'",
        "mom", "Mom", "baby", "custody", "client's", "crack-addicted", "pregnant",
        "İ", "é", "K",
    ]
)  # fmt: skip
_CONTEXT_TEXT = st.lists(_CONTEXT_WORDS, max_size=60).map(" ".join) | st.lists(
    _CONTEXT_WORDS, max_size=60
).map("".join)


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+", text)]


@_SETTINGS
@given(_CONTEXT_TEXT)
def test_negation_questions_agree_with_the_negation_scopes(text: str) -> None:
    """The rules answer from the clause before a term (and skip clauses without a
    cue): the same answers as the document's negation scopes."""
    scopes = find_negations(text)
    for start, end in _word_spans(text):
        expected = any(s.start < start and end <= s.end for s in scopes)
        ctx = Context(Document(text=text), annotate(text))
        assert language_rules._negated(ctx, language_rules._state(ctx), start, end) == expected


@_SETTINGS
@given(_CONTEXT_TEXT)
def test_attribution_hints_change_nothing(text: str) -> None:
    """The quick tests that skip most clauses and following words give the answers
    of the full token walk."""
    spans = _word_spans(text)
    fast = [attribution.about_another_person(text, s, e) for s, e in spans]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(attribution, "_OTHER_HINT", re.compile(""))
        patch.setattr(attribution, "_FOLLOWED_HINT", re.compile(""))
        assert [attribution.about_another_person(text, s, e) for s, e in spans] == fast


def test_the_negation_cue_hint_covers_every_cue() -> None:
    """Every negation cue of the annotations starts a match of the rules' quick test."""
    for cue in (
        "no", "not", "none", "nor", "never", "neither", "negative for", "without",
        "denies", "denied", "absent", "absence of", "free of", "rule out", "rules out",
        "ruled out", "n't", "n’t",
    ):  # fmt: skip
        text = f"x {cue} y"
        assert find_negations(text), cue  # still a cue for the annotations
        assert NEGATION_CUE_HINT.search(text.lower()) is not None, cue
