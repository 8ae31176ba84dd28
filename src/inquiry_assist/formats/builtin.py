"""The built-in output formats: ``text``, ``json``, ``sarif`` and ``github``.

Every format honours :attr:`RenderOptions.redact`: the matched note text, the
suggested replacements and any message that quotes them are left out, so a
redacted report can leave the clinic (see :func:`display_message`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..engine import INTERNAL_ERROR
from ..hookspecs import hookimpl
from ..model import Finding
from . import Format, RenderOptions, Report

#: Version of the JSON output contract (docs/json-output.md, docs/json-output.schema.json).
JSON_VERSION = 1


def display_message(finding: Finding, report: Report, redact: bool) -> str:
    """The message to print for ``finding``.

    A rule's message may quote the matched words (a lexicon rule says which term it
    found and what to write instead), so a redacted report shows the rule's summary
    instead: rule metadata, never note text.
    """
    if not redact or finding.code == INTERNAL_ERROR.code:
        return finding.message
    rule = report.linter.rule(finding.code)
    if rule is not None:
        return rule.meta.summary
    return f"{finding.name} (message redacted)"


def finding_dict(finding: Any, redact: bool, report: Report | None = None) -> dict[str, Any]:
    """A finding as the JSON contract describes it."""
    message = finding.message
    if redact:
        message = (
            display_message(finding, report, redact)
            if report is not None
            else f"{finding.name} (message redacted)"
        )
    return {
        "path": finding.path,
        "location": finding.location,
        "code": finding.code,
        "name": finding.name,
        "category": finding.category,
        "severity": finding.severity,
        "message": message,
        "start": finding.start,
        "end": finding.end,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "text": None if redact else finding.text,
        "suggestions": [
            {
                "replacement": None if redact else s.replacement,
                "applicability": s.applicability,
            }
            for s in finding.suggestions
        ],
    }


def render_json(report: Report, options: RenderOptions) -> str:
    payload = {
        "version": JSON_VERSION,
        "findings": [finding_dict(f, options.redact, report) for f in report.findings],
        "errors": [
            {"path": e.path, "location": e.location, "message": e.message} for e in report.errors
        ],
        "summary": report.summary(),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render_text(report: Report, options: RenderOptions) -> str:
    lines: list[str] = []
    if not options.quiet:
        for f in report.findings:
            where = f"{f.path}:{f.line}:{f.column}:"
            if f.location:
                where = f"{f.path}:{f.location}:{f.line}:{f.column}:"
            fix = " [*]" if any(s.applicability == "safe" for s in f.suggestions) else ""
            message = display_message(f, report, options.redact)
            lines.append(f"{where} {f.code}{fix} [{f.name}] {message}")
    if options.statistics:
        summary = report.summary()
        names = {f.code: f.name for f in report.findings}
        for code, count in sorted(summary["by_code"].items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"{count:>5}\t{code}\t[{names[code]}]")
    summary = report.summary()
    if report.findings:
        sev = summary["by_severity"]
        lines.append(
            f"Found {_plural(len(report.findings), 'finding')} "
            f"({sev['error']} error, {sev['warning']} warning, {sev['info']} info) "
            f"in {_plural(report.documents, 'document')} from {_plural(report.files, 'input')}."
        )
        if summary["fixable"]:
            lines.append(f"[*] {summary['fixable']} fixable with `inquiry-assist fix`.")
    elif not options.quiet:
        lines.append(f"All checks passed ({_plural(report.documents, 'document')}).")
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(report: Report, options: RenderOptions) -> str:
    """SARIF 2.1.0 (imported on use: see :mod:`inquiry_assist.formats.sarif`)."""
    from .sarif import render_sarif as render

    return render(report, options)


def render_github(report: Report, options: RenderOptions) -> str:
    """GitHub Actions workflow commands (see :mod:`inquiry_assist.formats.github`)."""
    from .github import render_github as render

    return render(report, options)


BUILTIN_FORMATS: tuple[tuple[str, str, Callable[[Report, RenderOptions], str]], ...] = (
    ("text", "path:line:col: CODE [name] message, with a summary", render_text),
    ("json", "the versioned JSON contract (docs/json-output.md)", render_json),
    ("sarif", "SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDEs)", render_sarif),
    ("github", "GitHub Actions annotations (::warning file=...::message)", render_github),
)


@hookimpl
def inquiry_assist_register_formats(register: Callable[[Format], None]) -> None:
    for name, description, render in BUILTIN_FORMATS:
        register(Format(name=name, description=description, render=render))
