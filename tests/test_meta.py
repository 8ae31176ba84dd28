"""Meta-tests: every registered rule is documented and its examples behave."""

from __future__ import annotations

import inspect

import pytest

from inquiry_assist import Linter, hookspecs
from inquiry_assist.model import BUILTIN_CATEGORIES

LINTER = Linter(load_entrypoints=False)
RULES = LINTER.rules


def test_builtin_categories_are_exactly_the_three() -> None:
    categories = {
        r.meta.category
        for r in RULES
        if LINTER.rule_origin[r.meta.code] in ("language", "goal", "consent")
    }
    assert categories <= set(BUILTIN_CATEGORIES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.meta.code)
def test_rule_is_documented(rule: object) -> None:
    meta = rule.meta  # type: ignore[attr-defined]
    assert meta.summary and meta.rationale
    assert meta.flagged, "every rule needs at least one flagged example"
    assert meta.clean, "every rule needs at least one clean example"


@pytest.mark.parametrize(
    ("code", "text", "kind", "should_flag"),
    [
        (r.meta.code, ex.text, ex.kind, flag)
        for r in RULES
        for flag, examples in ((True, r.meta.flagged), (False, r.meta.clean))
        for ex in examples
    ],
)
def test_rule_examples(code: str, text: str, kind: str, should_flag: bool) -> None:
    codes = {f.code for f in LINTER.lint_text(text, kind=kind)}  # type: ignore[arg-type]
    assert (code in codes) is should_flag


def test_rule_codes_and_names_unique() -> None:
    assert len({r.meta.code for r in RULES}) == len(RULES)
    assert len({r.meta.name for r in RULES}) == len(RULES)


HOOKS = [
    name
    for name, _ in inspect.getmembers(hookspecs, inspect.isfunction)
    if name.startswith("inquiry_assist_")
]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_typed_documented_and_tested(hook: str) -> None:
    fn = getattr(hookspecs, hook)
    assert fn.__doc__ and ":param" in fn.__doc__
    sig = inspect.signature(fn)
    assert all(p.annotation is not inspect.Parameter.empty for p in sig.parameters.values())
    assert sig.return_annotation is not inspect.Signature.empty
    # a test in this suite implements the hook in a temporary plugin
    from pathlib import Path

    tests = "".join(
        p.read_text() for p in Path(__file__).parent.glob("test_*.py") if p.name != "test_meta.py"
    )
    assert f"def {hook}(" in tests, f"no test implements {hook}"
