"""The engine: rule loop, failing rules, severities, selection, suppression, fixes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import pytest

from inquiry_assist import Diagnostic, Linter, Rule, RuleMeta, Suggestion, hookimpl
from inquiry_assist.config import Config, ConfigError
from inquiry_assist.engine import INTERNAL_ERROR, RuleFailed
from inquiry_assist.model import Document
from inquiry_assist.plugins import PluginError
from inquiry_assist.rules import Context


class Shouting(Rule):
    meta = RuleMeta(
        code="X101",
        name="shouted-word",
        category="style",
        severity="info",
        summary="A word in capitals.",
        rationale="Capitals read as shouting.",
        flagged=["Client was ANGRY."],
        clean=["Client was angry."],
    )

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        import re

        for m in re.finditer(r"\b[A-Z]{4,}\b", ctx.text):
            yield Diagnostic(
                m.start(),
                m.end(),
                "Write it in lower case.",
                (Suggestion(replacement=m.group().lower(), applicability="safe"),),
            )


class Broken(Rule):
    meta = RuleMeta(code="X102", name="always-broken", category="style", summary="s", rationale="r")

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        raise KeyError(ctx.text)  # the message would carry note text


class StylePlugin:
    name = "style"

    @hookimpl
    def inquiry_assist_register_rules(self, register: Callable[..., None]) -> None:
        register(Shouting)
        register(Broken())


def make(**config: object) -> Linter:
    return Linter(Config(**config), plugins=[StylePlugin()], load_entrypoints=False)  # type: ignore[arg-type]


def test_plugin_rule_runs_and_positions_are_one_based() -> None:
    findings = [f for f in make().lint_text("Fine.\nClient was ANGRY today.") if f.code == "X101"]
    assert len(findings) == 1
    f = findings[0]
    assert (f.line, f.column, f.end_line, f.end_column) == (2, 12, 2, 17)
    assert f.text == "ANGRY" and f.severity == "info" and f.category == "style"


def test_failing_rule_becomes_internal_error_and_others_still_run() -> None:
    secret = "CANARY-PHI-7731"
    findings = make().lint_text(f"Client was ANGRY. {secret}")
    codes = [f.code for f in findings]
    assert INTERNAL_ERROR.code in codes and "X101" in codes
    internal = next(f for f in findings if f.code == INTERNAL_ERROR.code)
    assert "X102" in internal.message and "always-broken" in internal.message
    assert secret not in internal.message


def test_strict_reraises_with_the_rule_named() -> None:
    linter = Linter(plugins=[StylePlugin()], load_entrypoints=False, strict=True)
    with pytest.raises(RuleFailed, match="X102"):
        linter.lint_text("text")


def test_select_by_code_prefix_name_and_category() -> None:
    assert {r.meta.code for r in make(select=["X1"]).enabled_rules} == {"X101", "X102"}
    assert {r.meta.code for r in make(select=["shouted-word"]).enabled_rules} == {"X101"}
    assert {r.meta.code for r in make(select=["style"], ignore=["X102"]).enabled_rules} == {"X101"}
    # an explicit code in select beats an ignore by category
    assert {r.meta.code for r in make(select=["X102"], ignore=["style"]).enabled_rules} == {"X102"}
    extended = make(select=["X101"], extend_select=["L"])
    assert "L101" in {r.meta.code for r in extended.enabled_rules}


def test_unknown_selector_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="'Z999'"):
        make(select=["Z999"])
    with pytest.raises(ConfigError, match="per-file-ignores"):
        make(per_file_ignores={"*.md": ["nope"]})


def test_severity_override_most_specific_wins() -> None:
    linter = make(severity={"style": "error", "X101": "warning"})
    assert linter.severity_of(linter.rule("X101")) == "warning"  # type: ignore[arg-type]
    assert linter.severity_of(linter.rule("X102")) == "error"  # type: ignore[arg-type]


def test_fail_on_threshold() -> None:
    findings = make(select=["X101"]).lint_text("Client was ANGRY.")
    assert not make(select=["X101"]).fails(findings)  # info < warning (default)
    assert make(select=["X101"], fail_on="info").fails(findings)


def test_per_file_ignores_match_glob() -> None:
    linter = make(select=["X101"], per_file_ignores={"intake/*.md": ["X101"]})
    assert linter.lint_text("Client was ANGRY.", path="intake/a.md") == []
    assert linter.lint_text("Client was ANGRY.", path="notes/a.md")


def test_duplicate_codes_fail_loudly_naming_both_plugins() -> None:
    class Again:
        name = "again"

        @hookimpl
        def inquiry_assist_register_rules(self, register: Callable[..., None]) -> None:
            register(Shouting)

    with pytest.raises(PluginError, match=r"X101.*'style'.*'again'"):
        Linter(plugins=[StylePlugin(), Again()], load_entrypoints=False)


def test_non_rule_registration_is_refused() -> None:
    class Bad:
        name = "bad"

        @hookimpl
        def inquiry_assist_register_rules(self, register: Callable[..., None]) -> None:
            register(object())

    with pytest.raises(PluginError, match="not a Rule"):
        Linter(plugins=[Bad()], load_entrypoints=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!-- inquiry-assist: disable-next-line X101 -->\nClient was ANGRY.\nANGRY", [3]),
        ("<!-- inquiry-assist: disable-next-line -->\nClient was ANGRY.\nANGRY", [3]),
        ("<!-- inquiry-assist: disable-next-line L101 -->\nClient was ANGRY.", [2]),
        (
            "ANGRY\n<!-- inquiry-assist: disable shouted-word -->\nANGRY\nANGRY\n"
            "<!-- inquiry-assist: enable shouted-word -->\nANGRY",
            [1, 6],
        ),
        ("<!-- inquiry-assist: disable style -->\nANGRY\nANGRY", []),
        ("ANGRY <!-- inquiry-assist: disable-line -->\nANGRY", [2]),
    ],
)
def test_inline_suppression(text: str, expected: list[int]) -> None:
    lines = [f.line for f in make(select=["X101"]).lint_text(text)]
    assert lines == expected


def test_fix_text_applies_safe_suggestions_only_outside_client_words() -> None:
    linter = make(select=["X101"])
    result = linter.fix_text('Client was ANGRY and said "I am FURIOUS" today.')
    # the quoted words are the client's: never rewritten
    assert result.text == 'Client was angry and said "I am FURIOUS" today.'
    assert [f.code for f in result.applied] == ["X101"]


def test_linter_is_shareable_across_threads() -> None:
    linter = make(select=["X101", "L"])
    text = "Client claims she was ANGRY. " * 20
    expected = linter.lint_text(text)
    results: list[bool] = []

    def work() -> None:
        for _ in range(20):
            results.append(linter.lint_text(text) == expected)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results and all(results)


def test_rule_meta_validation() -> None:
    with pytest.raises(ValueError):
        RuleMeta(code="bad", name="x", category="style", summary="s", rationale="r")
    with pytest.raises(ValueError):
        RuleMeta(code="X100", name="Not Kebab", category="style", summary="s", rationale="r")


def test_unchecked_finding_equals_a_validated_one() -> None:
    from inquiry_assist.model import Finding, Suggestion

    fields = dict(
        code="L101",
        name="doubt-marker",
        category="language",
        severity="warning",
        message="m",
        start=1,
        end=2,
        line=1,
        column=2,
        end_line=1,
        end_column=3,
        text="x",
        suggestions=(Suggestion(replacement="y", applicability="safe"),),
        path="-",
        location=None,
    )
    fast, checked = Finding.unchecked(**fields), Finding(**fields)  # type: ignore[arg-type]
    assert fast == checked and hash(fast) == hash(checked) and repr(fast) == repr(checked)
    assert fast.model_dump() == checked.model_dump()
    assert fast.model_dump_json() == checked.model_dump_json()
    assert set(fields) == set(Finding.model_fields)


# --- the engine's fast paths -----------------------------------------------------------


def test_line_index_matches_counting_line_breaks() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from inquiry_assist.engine import _LineIndex

    def position(text: str, offset: int) -> tuple[int, int]:
        line_start = text.rfind("\n", 0, offset) + 1
        return text.count("\n", 0, offset) + 1, offset - line_start + 1

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="ab\n\r", max_size=40), st.data())
    def check(text: str, data: st.DataObject) -> None:
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        assert _LineIndex(text).span(start, end) == position(text, start) + position(text, end)

    check()


class KindRule(Rule):
    """A rule for goals only, by ``meta.kinds`` (the default ``applies_to``)."""

    meta = RuleMeta(
        code="X103",
        name="goal-word",
        category="style",
        summary="s",
        rationale="r",
        kinds=("goal",),
    )

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        yield Diagnostic(0, 1, "goal", severity="error")


class ChoosyRule(KindRule):
    """Runs on notes that start with "X", whatever ``meta.kinds`` says."""

    meta = RuleMeta(code="X104", name="choosy", category="style", summary="s", rationale="r")

    def applies_to(self, document: Document) -> bool:
        return document.text.startswith("X")


class KindsPlugin:
    name = "kinds"

    @hookimpl
    def inquiry_assist_register_rules(self, register: Callable[..., None]) -> None:
        register(KindRule)
        register(ChoosyRule)


def test_applies_to_overrides_and_kinds_are_honoured() -> None:
    linter = Linter(plugins=[KindsPlugin()], load_entrypoints=False, config=Config(select=["X"]))

    def codes(text: str, kind: str) -> list[str]:
        return [f.code for f in linter.lint_text(text, kind=kind)]  # type: ignore[arg-type]

    assert codes("X note", "note") == ["X104"]
    assert codes("no", "note") == []
    assert codes("X goal", "goal") == ["X103", "X104"]
    assert codes("goal", "goal") == ["X103"]
    # a rule's own severity, unless configured
    assert [f.severity for f in linter.lint_text("goal", kind="goal")] == ["error"]
    configured = Linter(
        plugins=[KindsPlugin()],
        load_entrypoints=False,
        config=Config(select=["X"], severity={"X103": "info"}),
    )
    assert [f.severity for f in configured.lint_text("goal", kind="goal")] == ["info"]
    # an instance may narrow applies_to too
    rule = linter.rule("X104")
    assert rule is not None
    rule.applies_to = lambda document: False  # type: ignore[method-assign]
    linter.enabled_rules = tuple(linter.enabled_rules)  # a new tuple: the plan is rebuilt
    assert codes("X note", "note") == []


def test_replacing_enabled_rules_takes_effect() -> None:
    linter = make(select=["X101"])
    assert [f.code for f in linter.lint_text("ANGRY")] == ["X101"]
    linter.enabled_rules = ()
    assert linter.lint_text("ANGRY") == []


def test_engine_findings_equal_validated_ones() -> None:
    from inquiry_assist.model import Finding

    text = "Client claims she was ANGRY.\nShe is an addict and refused meds.\n“I am FINE”"
    findings = make(select=["X101", "L"]).lint_text(text, path="notes/a.md")
    assert len(findings) >= 3
    for f in findings:
        checked = Finding(**f.model_dump())
        assert f == checked and repr(f) == repr(checked) and hash(f) == hash(checked)
        assert f.model_dump_json() == checked.model_dump_json()
        assert f.model_fields_set == checked.model_fields_set


def test_context_text_and_kind_are_the_documents() -> None:
    doc = Document(text="Client was ANGRY.", kind="goal")
    from inquiry_assist.annotations import annotate

    ctx = Context(doc, annotate(doc.text))
    assert ctx.text is doc.text and ctx.kind == "goal"
