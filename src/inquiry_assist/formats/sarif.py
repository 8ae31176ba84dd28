"""The ``sarif`` output format: SARIF 2.1.0 for code-scanning tools.

One run, whose ``tool.driver.rules`` lists every enabled rule (plus any other rule
a finding refers to) with its help text and a link to its documentation page.
Each finding is a ``result`` pointing at its rule by ``ruleId`` and ``ruleIndex``.

Locations:

* a finding in a text or Markdown file has a ``physicalLocation`` with the file's
  relative URI and a ``region`` (1-based lines and columns, columns counted in
  Unicode code points, as the report's ``columnKind`` says);
* a finding in a FHIR resource has a ``physicalLocation`` naming the file (no
  region: its line and column count within the element's text, not the JSON file)
  and a ``logicalLocation`` whose ``fullyQualifiedName`` is the FHIRPath of the
  element; the positions inside the element are in the result's ``properties``.

Inputs that could not be read are ``toolExecutionNotifications`` of the run's
``invocation`` (whose ``executionSuccessful`` is then ``false``).

With ``redact`` the matched text, replacements and rule messages that quote them
are left out (see :func:`~inquiry_assist.formats.builtin.display_message`).
"""

from __future__ import annotations

import json
from pathlib import PurePath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..engine import INTERNAL_ERROR
from ..model import Finding, InputError, RuleMeta
from ..plugins import BUILTIN_PLUGINS
from . import RenderOptions, Report
from .builtin import display_message

__all__ = ["DOCS_URL", "SARIF_SCHEMA", "SARIF_VERSION", "render_sarif", "rule_help_uri"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
#: Where the documentation site is published; rule pages are ``rules/<CODE>/``.
DOCS_URL = "https://inquiry-assist.readthedocs.io/en/latest/"
INFORMATION_URI = DOCS_URL

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_BUILTIN = frozenset(name for name, _ in BUILTIN_PLUGINS)


def rule_help_uri(code: str) -> str:
    """The documentation page of a built-in rule (``docs/rules/<code>.md``)."""
    return f"{DOCS_URL}rules/{code}/"


def artifact_uri(path: str) -> str:
    """A relative URI reference for a path as the user gave it (``-`` is stdin)."""
    if path == "-":
        return "-"
    pure: PurePath = PureWindowsPath(path) if "\\" in path else PurePath(path)
    posix = pure.as_posix()
    if pure.is_absolute():
        # file:///C:/... or file:///abs/path
        prefix = "file:///" if not posix.startswith("/") else "file://"
        return prefix + quote(posix, safe="/:")
    if posix.startswith("./"):
        posix = posix[2:]
    return quote(posix, safe="/")


def _rule_descriptor(meta: RuleMeta, plugin: str, level: str) -> dict[str, Any]:
    help_text = meta.rationale
    if meta.sources:
        help_text += "\n\nSources: " + "; ".join(meta.sources)
    descriptor: dict[str, Any] = {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.rationale},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": level},
        "properties": {
            "category": meta.category,
            "plugin": plugin,
            "tags": list(dict.fromkeys((meta.category, *meta.kinds))),
        },
    }
    if plugin in _BUILTIN:
        descriptor["helpUri"] = rule_help_uri(meta.code)
    return descriptor


def _rules(report: Report) -> tuple[list[dict[str, Any]], dict[str, int]]:
    linter = report.linter
    metas: list[tuple[RuleMeta, str, str]] = []
    seen: set[str] = set()
    for rule in linter.enabled_rules:
        metas.append((rule.meta, linter.rule_origin[rule.meta.code], linter.severity_of(rule)))
        seen.add(rule.meta.code)
    # a finding may come from a rule another configuration enabled, or be an internal error
    for finding in report.findings:
        if finding.code in seen:
            continue
        seen.add(finding.code)
        if finding.code == INTERNAL_ERROR.code:
            metas.append((INTERNAL_ERROR, "inquiry_assist", "error"))
            continue
        other = linter.rule(finding.code)
        if other is not None:
            metas.append((other.meta, linter.rule_origin[finding.code], other.meta.severity))
        else:
            placeholder = RuleMeta(
                code=finding.code,
                name=finding.name,
                category=finding.category,
                severity=finding.severity,
                summary=finding.name,
                rationale=finding.name,
            )
            metas.append((placeholder, "unknown", finding.severity))
    descriptors = [_rule_descriptor(m, plugin, _LEVELS[sev]) for m, plugin, sev in metas]
    return descriptors, {m.code: i for i, (m, _, _) in enumerate(metas)}


def _result(finding: Finding, index: int, report: Report, options: RenderOptions) -> dict[str, Any]:
    span = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
    }
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(finding.path)}}
    location: dict[str, Any] = {"physicalLocation": physical}
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": _LEVELS[finding.severity],
        "message": {"text": display_message(finding, report, options.redact)},
        "locations": [location],
    }
    properties: dict[str, Any] = {"category": finding.category, "name": finding.name}
    if finding.location:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.location, "kind": "element"}]
        properties["elementRegion"] = span
    else:
        physical["region"] = span
    if finding.suggestions:
        properties["fixable"] = any(s.applicability == "safe" for s in finding.suggestions)
        if not options.redact:
            properties["suggestions"] = [
                {"replacement": s.replacement, "applicability": s.applicability}
                for s in finding.suggestions
            ]
    result["properties"] = properties
    return result


def _notification(error: InputError) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": artifact_uri(error.path)}}
    }
    if error.location:
        location["logicalLocations"] = [{"fullyQualifiedName": error.location, "kind": "element"}]
    return {
        "level": "error",
        "message": {"text": error.message},
        "locations": [location],
        "descriptor": {"id": "input-error"},
    }


def render_sarif(report: Report, options: RenderOptions) -> str:
    """The report as a SARIF 2.1.0 log (one run), indented JSON."""
    rules, index = _rules(report)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "inquiry-assist",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [
            {
                "executionSuccessful": not report.errors,
                "toolExecutionNotifications": [_notification(e) for e in report.errors],
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.code], report, options) for f in report.findings],
        "properties": {"summary": report.summary(), "redacted": options.redact},
    }
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
