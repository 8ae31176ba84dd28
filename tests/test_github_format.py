"""The ``github`` format: workflow-command annotations, escaping, input errors,
redaction and golden output."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from inquiry_assist import Diagnostic, Finding, InputError, Linter, Rule, RuleMeta, hookimpl
from inquiry_assist.cli import main
from inquiry_assist.config import Config
from inquiry_assist.formats import RenderOptions, Report
from inquiry_assist.formats.github import escape_data, escape_property
from inquiry_assist.model import Suggestion
from inquiry_assist.rules import Context

GOLDEN = Path(__file__).parent / "data" / "golden"
COMMAND = re.compile(
    r"^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:]*)(?:,[a-zA-Z]+=[^,:]*)*)::(.*)$"
)


class ShoutRule(Rule):
    meta = RuleMeta(
        code="XT201",
        name="shouting-word",
        category="style",
        summary="A word in capitals reads as shouting.",
        rationale="Capitals add emphasis the client did not give.",
    )

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        for m in re.finditer(r"\b[A-Z]{4,}\b", ctx.text):
            yield Diagnostic(
                m.start(),
                m.end(),
                f"“{m.group()}”: 50%, then: a\nnew line",
                (Suggestion(replacement=m.group().lower()),),
            )


class _Plugin:
    @hookimpl
    def inquiry_assist_register_rules(self, register: Callable[[type[Rule]], None]) -> None:
        register(ShoutRule)


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Config(select=("XT201",)), plugins=[_Plugin()], load_entrypoints=False)


def report_for(linter: Linter) -> Report:
    findings = linter.lint_text("Session, 2.\nClient was ANGRY.", path="notes/a,b:c.md")
    info = Finding(
        code="XT201",
        name="shouting-word",
        category="style",
        severity="info",
        message="FHIR one",
        start=0,
        end=4,
        line=1,
        column=1,
        end_line=1,
        end_column=5,
        text="LOUD",
        path="bundle.json",
        location="Bundle.entry[0].resource.note[0].text",
    )
    errors = [InputError(path="broken.json", message="not valid JSON: line 1, column 2")]
    return Report([*findings, info], errors, files=3, documents=2, linter=linter)


def render(report: Report, redact: bool = False) -> str:
    return report.linter.formats["github"].render(report, RenderOptions(redact=redact))


def test_escaping() -> None:
    assert escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_one_parsable_command_per_finding_and_error(linter: Linter) -> None:
    out = render(report_for(linter))
    lines = out.splitlines()
    assert len(lines) == 3
    for line in lines:
        assert COMMAND.match(line), line
    first = lines[0]
    assert first.startswith(
        "::warning file=notes/a%2Cb%3Ac.md,line=2,col=12,endLine=2,endColumn=17,"
    )
    assert "title=XT201 shouting-word::" in first
    assert first.endswith("::“ANGRY”: 50%25, then: a%0Anew line")


def test_info_is_notice_and_fhir_has_no_line(linter: Linter) -> None:
    line = render(report_for(linter)).splitlines()[1]
    assert line.startswith("::notice file=bundle.json,title=XT201 shouting-word::")
    assert "line=" not in line
    assert line.endswith("::Bundle.entry[0].resource.note[0].text: FHIR one")


def test_input_error_is_error_command(linter: Linter) -> None:
    line = render(report_for(linter)).splitlines()[2]
    assert line == ("::error file=broken.json,title=input error::not valid JSON: line 1, column 2")


def test_redact(linter: Linter) -> None:
    out = render(report_for(linter), redact=True)
    assert "ANGRY" not in out and "angry" not in out
    assert out.splitlines()[0].endswith("::" + ShoutRule.meta.summary)


def test_golden_github(linter: Linter) -> None:
    path = GOLDEN / "report.github.txt"
    actual = render(report_for(linter))
    if os.environ.get("INQUIRY_ASSIST_REGEN_GOLDEN"):
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert actual == path.read_text(encoding="utf-8"), (
        "github output changed; if intended, regenerate with "
        "INQUIRY_ASSIST_REGEN_GOLDEN=1 pytest tests/test_github_format.py and review the diff"
    )


def test_cli_github_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD", "1")
    note = tmp_path / "note.txt"
    note.write_text("Client claims she slept well.\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = main(["check", str(note), "--isolated", "--format", "github"], stdout=out, stderr=err)
    assert status == 1
    (line,) = out.getvalue().splitlines()
    assert line.startswith(f"::warning file={escape_property(str(note))},line=1,col=8,")
    assert "title=L101 doubt-marker::" in line
