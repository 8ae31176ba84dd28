"""Tests for the session-feedback plugin, with the ``inquiry_assist.testing`` helpers
(the ``register_plugin`` fixture and ``lint``), plus the installed entry point."""

from __future__ import annotations

import io
from collections.abc import Callable
from importlib import metadata

import inquiry_assist_session_feedback as plugin
import pytest
from inquiry_assist_session_feedback import SessionFeedbackNotDocumented

from inquiry_assist import Linter
from inquiry_assist.cli import main
from inquiry_assist.rules import iter_rule_examples
from inquiry_assist.testing import lint

CODE = "FB101"
BODY = "Client described a hard week at work. We practised paced breathing. "


def codes(text: str) -> list[str]:
    return [f.code for f in lint(text, plugins=[plugin], select=[CODE])]


@pytest.mark.parametrize(
    ("text", "kind", "flagged"), list(iter_rule_examples(SessionFeedbackNotDocumented()))
)
def test_documented_examples(text: str, kind: str, flagged: bool) -> None:
    found = [f.code for f in lint(text, kind, plugins=[plugin], select=[CODE])]  # type: ignore[arg-type]
    assert found == ([CODE] if flagged else [])


def test_rule_is_registered_in_its_own_category(
    register_plugin: Callable[[object], Linter],
) -> None:
    linter = register_plugin(plugin)
    rule = linter.rule("session-feedback-not-documented")
    assert rule is not None
    assert rule.meta.code == CODE
    assert rule.meta.category == "feedback"
    assert linter.rule_origin[CODE] == "inquiry_assist_session_feedback"
    # selecting the category selects the rule
    assert [
        f.code for f in lint(BODY + "Meet next week.", plugins=[plugin], select=["feedback"])
    ] == [CODE]


@pytest.mark.parametrize(
    "ending",
    [
        "Asked what was most helpful today; client named the breathing.",
        "Invited feedback on the pace of the session.",
        "Checked in about how today's session went; client said it felt right.",
        "Asked what is working and what is not working for her.",
        "Client said the session felt rushed, so we will slow down.",
        "SRS 38/40.",
        "Reviewed the fit of the approach with the client.",
    ],
)
def test_feedback_documented_is_clean(ending: str) -> None:
    assert codes(BODY + ending) == []


@pytest.mark.parametrize(
    "ending",
    [
        "Meet next week.",
        "Did not ask for feedback due to time.",
        "Homework: practise breathing daily.",
    ],
)
def test_feedback_missing_is_flagged(ending: str) -> None:
    assert codes(BODY + ending) == [CODE]


def test_fragments_and_goals_are_not_checked() -> None:
    assert codes("Client arrived late.") == []
    found = lint(BODY + "Meet next week.", "goal", plugins=[plugin], select=[CODE])
    assert found == []


def test_finding_sits_on_the_plan_section() -> None:
    note = (
        "Subjective:\nClient described a hard week.\nAssessment:\nStress is rising.\n"
        "Plan:\nMeet next week.\n"
    )
    (finding,) = lint(note, plugins=[plugin], select=[CODE])
    assert finding.severity == "info"
    assert note[finding.start : finding.end].startswith("Plan")


# --- installed: the entry point, `inquiry-assist plugins` and `rules` -----------------


def _cli(*args: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    out, err = io.StringIO(), io.StringIO()
    status = main([*args, "--isolated"], stdout=out, stderr=err)
    assert status == 0, err.getvalue()
    return out.getvalue()


def test_entry_point_is_installed() -> None:
    eps = {ep.name: ep.value for ep in metadata.entry_points(group="inquiry_assist")}
    assert eps.get("session-feedback") == "inquiry_assist_session_feedback"


def test_listed_by_plugins_and_rules_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    plugins = _cli("plugins", monkeypatch=monkeypatch)
    assert "session-feedback (inquiry-assist-session-feedback 0.1.0)" in plugins
    assert "inquiry_assist_register_rules" in plugins.split("session-feedback (", 1)[1]
    rules = _cli("rules", monkeypatch=monkeypatch)
    row = next(line for line in rules.splitlines() if line.startswith(CODE))
    assert row.split() == [
        CODE,
        "session-feedback-not-documented",
        "feedback",
        "info",
        "session-feedback",
    ]
