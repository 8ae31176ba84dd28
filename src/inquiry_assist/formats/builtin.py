"""The built-in output formats: ``text`` and ``json``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..hookspecs import hookimpl
from . import Format, RenderOptions, Report

#: Version of the JSON output contract (docs/json-output.md, docs/json-output.schema.json).
JSON_VERSION = 1


def finding_dict(finding: Any, redact: bool) -> dict[str, Any]:
    """A finding as the JSON contract describes it."""
    return {
        "path": finding.path,
        "location": finding.location,
        "code": finding.code,
        "name": finding.name,
        "category": finding.category,
        "severity": finding.severity,
        "message": finding.message,
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
        "findings": [finding_dict(f, options.redact) for f in report.findings],
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
            lines.append(f"{where} {f.code}{fix} [{f.name}] {f.message}")
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
            lines.append(
                f"[*] {summary['fixable']} fixable with `inquiry-assist fix`."
            )
    elif not options.quiet:
        lines.append(f"All checks passed ({_plural(report.documents, 'document')}).")
    return "\n".join(lines) + ("\n" if lines else "")


BUILTIN_FORMATS: tuple[tuple[str, str, Callable[[Report, RenderOptions], str]], ...] = (
    ("text", "path:line:col: CODE [name] message, with a summary", render_text),
    ("json", "the versioned JSON contract (docs/json-output.md)", render_json),
)


@hookimpl
def inquiry_assist_register_formats(register: Callable[[Format], None]) -> None:
    for name, description, render in BUILTIN_FORMATS:
        register(Format(name=name, description=description, render=render))
