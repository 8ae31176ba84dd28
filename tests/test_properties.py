"""Property-based robustness: any Unicode text goes through every built-in rule."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inquiry_assist import Linter

LINTER = Linter(load_entrypoints=False)

words = st.sampled_from(
    [
        "Client",
        "claims",
        "refused",
        '"',
        "“",
        "”",
        "no",
        "not",
        "Plan:",
        "S:",
        "\n",
        " ",
        "addict",
        "an",
        "goal",
        "will",
        "recorded",
        "EMDR",
        "-",
        "'",
        "é",
        "😀",
        "\u200b",
        ".",
    ]
)
texty = st.one_of(st.text(), st.lists(words, max_size=60).map(" ".join))


def _check(text: str, kind: str) -> None:
    findings = LINTER.lint_text(text, kind=kind)  # type: ignore[arg-type]
    keys = [(f.start, f.end) for f in findings]
    assert keys == sorted(keys), "findings are in document order"
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.line >= 1 and f.column >= 1
        for line, column, offset in (
            (f.line, f.column, f.start),
            (f.end_line, f.end_column, f.end),
        ):
            assert line == text.count("\n", 0, offset) + 1
            assert column == offset - text.rfind("\n", 0, offset)
        assert f.code != "IA900", f"a rule crashed: {f.message}"
    assert LINTER.lint_text(text, kind=kind) == findings, "deterministic"  # type: ignore[arg-type]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(texty, st.sampled_from(["note", "goal"]))
def test_any_text_lints_without_crash(text: str, kind: str) -> None:
    _check(text, kind)


def test_pathological_inputs() -> None:
    for text in [
        "a" * 1_000_000,
        '"' * 10_000,
        "“" * 5000 + "”" * 3,
        "(" * 5000 + "claims",
        "\x00\x01\x02 claims \x7f",
        "Клиент claims 患者 refused مريض",
        "no " * 20_000,
        "Client stated: " * 2000,
    ]:
        _check(text, "note")
