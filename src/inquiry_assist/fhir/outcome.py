"""Findings as FHIR: ``$validate``-style ``OperationOutcome`` and ``DetectedIssue``.

Resources are built as plain JSON-ready dicts (fast; no model round trip). Each one
validates with ``fhir.resources`` for the FHIR version of the resource it reports on
(tests/test_fhir_outcome.py checks that over every example).

One ``OperationOutcome`` per linted resource; several go into a ``collection``
Bundle. Each finding becomes one ``issue``:

* ``severity``: error → ``error``, warning → ``warning``, info → ``information``;
* ``code``: ``business-rule`` (input errors: ``invalid``, ``not-supported``,
  ``too-long``, ``required`` or ``processing``);
* ``details.coding``: :data:`~inquiry_assist.fhir.RULES_SYSTEM`, the rule code, its name;
* ``diagnostics``: the message; ``expression``: the element's FHIRPath;
* the ``derivation-reference`` extension: ``reference`` (the resource), ``path`` (the
  element), ``offset``/``length`` in Unicode code points inside the element's text
  (decoded attachment text, or the narrative ``div`` string for XHTML).
"""

from __future__ import annotations

import datetime as _dt
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..model import Document, Finding, InputError, Locator
from . import DERIVATION_REFERENCE, DEVICE_IDENTIFIER_SYSTEM, RULES_SYSTEM
from .extract import ReadContext, ResourceRef, iter_resource
from .reader import json_error_message
from .registry import base_of, recall

if TYPE_CHECKING:
    from ..engine import Linter
    from ..formats import LintedDocument, RenderOptions, Report

__all__ = [
    "ResourceFindings",
    "build_outcome",
    "detected_issue",
    "lint_resource",
    "load_resource",
    "render_fhir",
]

ISSUE_SOURCE = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-source"
MESSAGE_ID = "http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id"
DETECTED_ISSUE_LINK = "http://hl7.org/fhir/StructureDefinition/operationoutcome-detectedIssue"
FILE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/operationoutcome-file"

_SEVERITY = {"error": "error", "warning": "warning", "info": "information"}
_DI_SEVERITY = {"error": "high", "warning": "moderate", "info": "low"}
_NAMESPACE = uuid.UUID("6f1c2a4e-5d1b-4c47-9a53-0c1c4f8e2b7d")


def device_reference() -> dict[str, Any]:
    """A logical Reference to inquiry-assist as a Device."""
    return {
        "type": "Device",
        "identifier": {"system": DEVICE_IDENTIFIER_SYSTEM, "value": "inquiry-assist"},
        "display": f"inquiry-assist {__version__}",
    }


@dataclass
class ResourceFindings:
    """The findings and input errors of one resource (``ref`` ``None``: not FHIR)."""

    ref: ResourceRef | None
    path: str = "-"
    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    segments: Callable[[str], tuple[tuple[int, int], ...]] = lambda location: ()
    #: The message to report for a finding (``--redact`` swaps in the rule summary).
    message: Callable[[Finding], str] = lambda finding: finding.message


def _span(f: Finding, segments: tuple[tuple[int, int], ...]) -> tuple[int, int]:
    if not segments:
        return f.start, f.end - f.start
    locator = Locator(segments=segments)
    start = locator.to_source(f.start)
    end = locator.to_source(f.end - 1) + 1 if f.end > f.start else start
    return start, end - start


def _derivation(
    ref: ResourceRef | None, expression: str | None, offset: int, length: int
) -> dict[str, Any]:
    parts: list[dict[str, Any]] = []
    if ref is not None and ref.reference:
        parts.append({"url": "reference", "valueReference": {"reference": ref.reference}})
    if expression:
        parts.append({"url": "path", "valueString": expression})
    parts.append({"url": "offset", "valueInteger": offset})
    parts.append({"url": "length", "valueInteger": length})
    return {"url": DERIVATION_REFERENCE, "extension": parts}


def _error_code(message: str) -> str:
    if "larger than" in message:
        return "too-long"
    if "no network" in message or "is not text" in message or "is not one" in message:
        return "not-supported"
    if "has no" in message or "nothing to lint" in message or "neither" in message:
        return "required"
    if "not valid" in message or "malformed" in message or "not a " in message:
        return "invalid"
    return "processing"


def _finding_issue(f: Finding, group: ResourceFindings, link: str | None = None) -> dict[str, Any]:
    ref = group.ref
    expression = ref.expression(f.location) if ref is not None else f.location
    offset, length = _span(f, group.segments(f.location) if f.location else ())
    extensions = [
        _derivation(ref, expression, offset, length),
        {"url": ISSUE_SOURCE, "valueString": f"inquiry-assist/{f.category}"},
        {"url": MESSAGE_ID, "valueString": f.code},
    ]
    if link is not None:
        extensions.append({"url": DETECTED_ISSUE_LINK, "valueReference": {"reference": link}})
    issue: dict[str, Any] = {
        "extension": extensions,
        "severity": _SEVERITY.get(f.severity, "warning"),
        "code": "business-rule",
        "details": {"coding": [{"system": RULES_SYSTEM, "code": f.code, "display": f.name}]},
        "diagnostics": group.message(f),
    }
    if expression:
        issue["expression"] = [expression]
    return issue


def _error_issue(e: InputError, ref: ResourceRef | None) -> dict[str, Any]:
    issue: dict[str, Any] = {
        "severity": "error",
        "code": _error_code(e.message),
        "diagnostics": e.message,
    }
    expression = ref.expression(e.location) if ref is not None and e.location else e.location
    if expression:
        issue["expression"] = [expression]
    return issue


def _link_for(group: ResourceFindings, f: Finding) -> str:
    key = f"{group.path}|{group.ref.base if group.ref else ''}|{f.location}|{f.code}|{f.start}"
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"


def build_outcome(group: ResourceFindings, *, persist: bool = False) -> dict[str, Any]:
    """The ``OperationOutcome`` of one resource (an ``information`` issue if clean)."""
    issues = [_error_issue(e, group.ref) for e in group.errors]
    issues += [
        _finding_issue(f, group, _link_for(group, f) if persist else None) for f in group.findings
    ]
    if not issues:
        issues.append(
            {
                "severity": "information",
                "code": "informational",
                "diagnostics": "inquiry-assist: no issues found",
                **({"expression": [group.ref.resource_type]} if group.ref else {}),
            }
        )
    outcome: dict[str, Any] = {"resourceType": "OperationOutcome"}
    extensions: list[dict[str, Any]] = []
    if group.ref is not None:  # which resource of the input this outcome is about
        about: list[dict[str, Any]] = [{"url": "path", "valueString": group.ref.base}]
        if group.ref.reference:
            about.insert(
                0, {"url": "reference", "valueReference": {"reference": group.ref.reference}}
            )
        extensions.append({"url": DERIVATION_REFERENCE, "extension": about})
    if group.path != "-":
        extensions.append({"url": FILE_EXTENSION, "valueString": group.path})
    if extensions:
        outcome["extension"] = extensions
    outcome["issue"] = issues
    return outcome


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def detected_issue(
    group: ResourceFindings, f: Finding, *, now: str | None = None
) -> dict[str, Any]:
    """A ``DetectedIssue`` persisting one finding, linked to the resource it is about."""
    ref = group.ref
    expression = ref.expression(f.location) if ref is not None else f.location
    offset, length = _span(f, group.segments(f.location) if f.location else ())
    issue: dict[str, Any] = {
        "resourceType": "DetectedIssue",
        "extension": [_derivation(ref, expression, offset, length)],
        "status": "preliminary",
        "code": {"coding": [{"system": RULES_SYSTEM, "code": f.code, "display": f.name}]},
        "severity": _DI_SEVERITY.get(f.severity, "moderate"),
    }
    if ref is not None and ref.subject:
        issue["subject" if ref.version == "R5" else "patient"] = {"reference": ref.subject}
    issue["identifiedDateTime"] = now or _now()
    issue["author"] = device_reference()
    if ref is not None and ref.reference:
        issue["implicated"] = [{"reference": ref.reference}]
    issue["detail"] = group.message(f)
    return issue


def bundle_of(
    groups: Sequence[ResourceFindings], *, persist: bool = False, always_bundle: bool = False
) -> dict[str, Any]:
    """One OperationOutcome, or a ``collection`` Bundle of them (and DetectedIssues)."""
    if not groups:
        groups = [ResourceFindings(ref=None)]
    if len(groups) == 1 and not persist and not always_bundle:
        return build_outcome(groups[0])
    now = _now()
    entries: list[dict[str, Any]] = []
    for group in groups:
        entries.append({"resource": build_outcome(group, persist=persist)})
        if persist:
            for f in group.findings:
                entries.append(
                    {"fullUrl": _link_for(group, f), "resource": detected_issue(group, f, now=now)}
                )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


# --- the CLI format ------------------------------------------------------------------------


def _fallback_ref(base: str) -> ResourceRef:
    rtype = base.split(".", 1)[0]
    rid = None
    if ".where(id='" in base:
        rid = base.split(".where(id='", 1)[1].split("'", 1)[0]
    if ".entry[" in base:
        rtype, rid = "Resource", None
    return ResourceRef(resource_type=rtype, resource_id=rid, version="R4", base=base)


def group_report(
    findings: Iterable[Finding],
    errors: Iterable[InputError],
    message: Callable[[Finding], str] = lambda f: f.message,
    linted: Iterable[LintedDocument] = (),
) -> list[ResourceFindings]:
    """Group findings and errors by ``(path, resource)`` in first-seen order; every
    document in ``linted`` gets a group, with findings or without. A resource's
    identity comes from its documents' facts; for a resource with errors only, from
    what the reader remembered."""
    groups: dict[tuple[str, str | None], ResourceFindings] = {}
    segments: dict[tuple[str, str], tuple[tuple[int, int], ...]] = {}

    def segments_for(path: str) -> Callable[[str], tuple[tuple[int, int], ...]]:
        def lookup(location: str) -> tuple[tuple[int, int], ...]:
            return segments.get((path, location), ())

        return lookup

    def group_for(
        path: str, location: str | None, ref: ResourceRef | None = None
    ) -> ResourceFindings:
        base = base_of(location)
        key = (path, base)
        if key not in groups:
            if base is not None and ref is None:
                ref = recall(path, base) or _fallback_ref(base)
            groups[key] = ResourceFindings(
                ref=ref, path=path, segments=segments_for(path), message=message
            )
        return groups[key]

    for doc in linted:
        if doc.location and doc.segments:
            segments[(doc.path, doc.location)] = doc.segments
        ref = ResourceRef.from_facts(doc.resource_type, doc.resource_id, doc.facts)
        group_for(doc.path, ref.base if ref is not None else doc.location, ref)
    for f in findings:
        group_for(f.path, f.location).findings.append(f)
    for e in errors:
        group_for(e.path, e.location).errors.append(e)
    return list(groups.values())


def render_fhir(report: Report, options: RenderOptions) -> str:
    """The ``fhir`` format: ``check --format fhir [--persist]``."""
    from ..formats.builtin import display_message

    persist = bool(options.extra.get("persist"))
    groups = group_report(
        report.findings,
        report.errors,
        lambda f: display_message(f, report, options.redact),
        report.linted,
    )
    return json.dumps(bundle_of(groups, persist=persist), indent=2, ensure_ascii=False) + "\n"


# --- the API -------------------------------------------------------------------------------


def load_resource(resource: object) -> tuple[object, str | None]:
    """``(parsed JSON, error message)`` from a dict, JSON text/bytes or a
    ``fhir.resources`` model."""
    if isinstance(resource, Mapping):
        return resource, None
    if isinstance(resource, str | bytes | bytearray):
        try:
            return json.loads(resource), None
        except (ValueError, RecursionError) as exc:
            return None, json_error_message(exc)
    dump = getattr(resource, "model_dump_json", None)
    if callable(dump):
        return json.loads(dump()), None
    return None, f"cannot read a {type(resource).__name__} as a FHIR resource"


def lint_resource(
    linter: Linter, resource: object, *, persist: bool = False, fhir_version: str = "auto"
) -> dict[str, Any]:
    """Lint a FHIR resource: see :meth:`inquiry_assist.Linter.lint_resource`."""
    obj, problem = load_resource(resource)
    if problem is not None:
        return bundle_of(
            [ResourceFindings(ref=None, errors=[InputError(path="-", message=problem)])]
        )
    ctx = ReadContext(
        path="-", requested_version=fhir_version, max_bytes=linter.config.max_file_size
    )
    groups: dict[str | None, ResourceFindings] = {}
    locators: dict[str, tuple[tuple[int, int], ...]] = {}
    for ref, item in iter_resource(obj, ctx):
        key = ref.base if ref is not None else None
        if key not in groups:
            groups[key] = ResourceFindings(ref=ref, segments=lambda loc: locators.get(loc, ()))
        group = groups[key]
        if isinstance(item, InputError):
            group.errors.append(item)
            continue
        if item.locator.segments and item.location:
            locators[item.location] = item.locator.segments
        group.findings.extend(_lint(linter, item))
    is_bundle = isinstance(obj, Mapping) and obj.get("resourceType") == "Bundle"
    return bundle_of(list(groups.values()), persist=persist, always_bundle=is_bundle)


def _lint(linter: Linter, document: Document) -> list[Finding]:
    return linter.lint_document(document)
