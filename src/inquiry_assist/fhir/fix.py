"""Fixes written back as FHIR: a new DocumentReference version plus a Provenance.

The input resource is never modified (not in memory, not on disk). For each
DocumentReference whose note text changes, :func:`fix_resource` returns, in one
``transaction`` Bundle:

* a NEW DocumentReference: a deep copy of the original with only these changes: a new
  ``id`` (a UUID, also its ``urn:uuid:`` fullUrl), ``docStatus = preliminary``,
  ``relatesTo`` = ``replaces`` the original (other non-``replaces`` links kept),
  server-managed ``meta.versionId``/``meta.lastUpdated`` dropped, and in each fixed
  attachment the new ``data`` (same charset) with ``size``/``hash`` recomputed when the
  original had them. Everything else, extensions and unknown elements included, is
  JSON-equal to the original;
* a ``Provenance``: ``target`` the new version, ``entity`` (role ``revision``) the
  original (``/_history/n`` when ``meta.versionId`` is known), ``agent`` inquiry-assist
  as a Device (type ``assembler``), ``activity`` UPDATE, and one ``applied-rule``
  extension (``valueCoding`` in the rules code system) per rule whose fix was applied.

Text is fixed with :meth:`inquiry_assist.Linter.fix_text` (``safe`` suggestions;
``unsafe`` ones only when asked; never inside the client's quoted words).
``text/plain`` and ``text/markdown`` attachments are fixed; HTML attachments, XHTML
narrative and Goal/CarePlan text are reported by ``check`` but not rewritten.
"""

from __future__ import annotations

import argparse
import base64
import copy
import difflib
import gzip
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, TextIO

from ..model import Finding, InputError
from ..readers import InputTooLarge, Source
from . import APPLIED_RULE_EXTENSION, RULES_SYSTEM
from .extract import ResourceRef, decode_attachment, make_ref
from .jsonutil import as_list
from .outcome import _now, device_reference, load_resource
from .reader import _kind_of, json_error_message
from .versions import detect_version

if TYPE_CHECKING:
    from ..engine import Linter

__all__ = ["AttachmentFix", "FixOutcome", "fix_cli", "fix_resource"]

_RELATIONSHIP_SYSTEM = "http://hl7.org/fhir/document-relationship-type"
_DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
_PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"


@dataclass(frozen=True)
class AttachmentFix:
    """One attachment whose text was fixed."""

    ref: ResourceRef
    location: str
    before: str
    after: str
    applied: tuple[Finding, ...]
    remaining: tuple[Finding, ...]


@dataclass
class FixOutcome:
    """What :func:`fix_resource` did: the transaction ``bundle`` and the details."""

    bundle: dict[str, Any]
    fixes: list[AttachmentFix] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: Findings left in notes that had nothing to fix.
    unfixed: list[Finding] = field(default_factory=list)


def _document_references(obj: object, base: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    if not isinstance(obj, Mapping):
        return
    rtype = obj.get("resourceType")
    if rtype == "DocumentReference":
        yield obj, base
    elif rtype == "Bundle":
        for i, entry in enumerate(as_list(obj.get("entry"))):
            if isinstance(entry, Mapping):
                yield from _document_references(
                    entry.get("resource"), f"{base}.entry[{i}].resource"
                )


def _encode(text: str, charset: str, had_bom: bool) -> bytes | None:
    try:
        raw = text.encode(charset)
    except (UnicodeEncodeError, LookupError):
        return None
    if had_bom:
        raw = "\ufeff".encode(charset) + raw
    return raw


def _had_bom(attachment: Mapping[str, Any], charset: str) -> bool:
    try:
        raw = base64.b64decode("".join(str(attachment["data"]).split()), validate=True)
        return raw.decode(charset).startswith("\ufeff")
    except (ValueError, LookupError, UnicodeDecodeError):
        return False


def _relates_to(original: str, version: str) -> dict[str, Any]:
    if version == "R5":
        code: object = {
            "coding": [{"system": _RELATIONSHIP_SYSTEM, "code": "replaces", "display": "Replaces"}]
        }
    else:
        code = "replaces"
    return {"code": code, "target": {"reference": original}}


def _is_replaces(link: object) -> bool:
    if not isinstance(link, Mapping):
        return False
    code = link.get("code")
    if isinstance(code, str):
        return code == "replaces"
    if isinstance(code, Mapping):
        return any(
            isinstance(c, Mapping) and c.get("code") == "replaces"
            for c in as_list(code.get("coding"))
        )
    return False


def new_version(
    original: Mapping[str, Any],
    new_id: str,
    attachments: Mapping[int, bytes],
    version: str,
) -> dict[str, Any]:
    """A deep copy of ``original`` as a new version with ``attachments`` (content index ->
    new raw bytes) replaced; see the module docstring for the exact changes."""
    dr: dict[str, Any] = copy.deepcopy(dict(original))
    dr["id"] = new_id
    meta = dr.get("meta")
    if isinstance(meta, dict):
        meta.pop("versionId", None)
        meta.pop("lastUpdated", None)
        if not meta:
            del dr["meta"]
    dr["docStatus"] = "preliminary"
    kept = [link for link in as_list(dr.get("relatesTo")) if not _is_replaces(link)]
    dr["relatesTo"] = [_relates_to(f"DocumentReference/{original['id']}", version), *kept]
    for index, raw in attachments.items():
        attachment = dr["content"][index]["attachment"]
        attachment["data"] = base64.b64encode(raw).decode("ascii")
        if "size" in attachment:
            attachment["size"] = str(len(raw)) if isinstance(attachment["size"], str) else len(raw)
        if "hash" in attachment:
            attachment["hash"] = base64.b64encode(hashlib.sha1(raw).digest()).decode("ascii")
    return dr


def provenance(
    ref: ResourceRef, target: str, applied: list[Finding], *, now: str | None = None
) -> dict[str, Any]:
    """The Provenance of a fix: the new version derives from ``ref`` by inquiry-assist."""
    rules = {f.code: f.name for f in applied}
    return {
        "resourceType": "Provenance",
        "extension": [
            {
                "url": APPLIED_RULE_EXTENSION,
                "valueCoding": {"system": RULES_SYSTEM, "code": code, "display": name},
            }
            for code, name in sorted(rules.items())
        ],
        "target": [{"reference": target}],
        "recorded": now or _now(),
        "activity": {
            "coding": [{"system": _DATA_OPERATION, "code": "UPDATE", "display": "revise"}]
        },
        "agent": [
            {
                "type": {
                    "coding": [
                        {"system": _PARTICIPANT_TYPE, "code": "assembler", "display": "Assembler"}
                    ]
                },
                "who": device_reference(),
            }
        ],
        "entity": [{"role": "revision", "what": {"reference": ref.reference}}],
    }


def fix_resource(
    linter: Linter,
    resource: object,
    *,
    unsafe: bool = False,
    new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    now: str | None = None,
    path: str = "-",
) -> FixOutcome:
    """Fix every DocumentReference in ``resource`` (one, or a Bundle of them).

    :param new_id: makes the new versions' ids (tests pass a deterministic one).
    :return: the transaction Bundle (no entries when nothing changed) and details.
    """
    obj, problem = load_resource(resource)
    outcome = FixOutcome(bundle={"resourceType": "Bundle", "type": "transaction", "entry": []})
    if problem is not None:
        outcome.errors.append(InputError(path=path, message=problem))
        return outcome
    requested = linter.config.fhir_version
    rtype = obj.get("resourceType") if isinstance(obj, Mapping) else None
    for dr, base in _document_references(obj, rtype if isinstance(rtype, str) else ""):
        _fix_one(
            linter,
            dr,
            base,
            outcome,
            unsafe=unsafe,
            new_id=new_id,
            now=now,
            path=path,
            requested=requested,
        )
    return outcome


def _fix_one(
    linter: Linter,
    dr: Mapping[str, Any],
    base: str,
    outcome: FixOutcome,
    *,
    unsafe: bool,
    new_id: Callable[[], str],
    now: str | None,
    path: str,
    requested: str,
) -> None:
    version = detect_version(dr, requested)
    ref = make_ref(dr, base, version)
    changed: dict[int, bytes] = {}
    fixes: list[AttachmentFix] = []
    for i, content in enumerate(as_list(dr.get("content"))):
        attachment = content.get("attachment") if isinstance(content, Mapping) else None
        if not isinstance(attachment, Mapping):
            continue
        location = f"{base}.content[{i}].attachment.data"
        text, media, charset = decode_attachment(attachment, linter.config.max_file_size)
        if text is None or media == "text/html":
            continue  # reported by `check`; nothing this fixer rewrites
        result = linter.fix_text(text, "note", unsafe=unsafe)
        if not result.applied:
            outcome.unfixed.extend(result.remaining)
            continue
        raw = _encode(result.text, charset, _had_bom(attachment, charset))
        if raw is None:
            outcome.errors.append(
                InputError(
                    path=path,
                    location=location,
                    message=f"the fixed text cannot be written in {charset}; not fixed",
                )
            )
            continue
        changed[i] = raw
        fixes.append(
            AttachmentFix(ref, location, text, result.text, result.applied, result.remaining)
        )
    if not changed:
        return
    if ref.resource_id is None:
        outcome.errors.append(
            InputError(
                path=path,
                location=base,
                message="DocumentReference has no valid id, so a new version cannot point to it; "
                "not fixed",
            )
        )
        return
    new = new_id()
    target = f"urn:uuid:{new}"
    outcome.bundle["entry"] += [
        {
            "fullUrl": target,
            "resource": new_version(dr, new, changed, version),
            "request": {"method": "POST", "url": "DocumentReference"},
        },
        {
            "fullUrl": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, target + '#provenance')}",
            "resource": provenance(ref, target, [f for x in fixes for f in x.applied], now=now),
            "request": {"method": "POST", "url": "Provenance"},
        },
    ]
    outcome.fixes += fixes


# --- CLI -----------------------------------------------------------------------------------


def _resources(source: Source, kind: str) -> Iterator[tuple[int | None, bytes | InputError]]:
    """``(line, raw JSON)`` per resource of the input (line ``None`` for ``.json``)."""
    if kind == "json":
        try:
            yield None, source.read_bytes()
        except InputTooLarge as exc:
            yield None, InputError(path=source.path, message=str(exc))
        return
    with source.open() as raw:
        stream: IO[bytes] = (
            gzip.GzipFile(fileobj=raw) if kind == "ndjson.gz" else raw  # type: ignore[assignment]
        )
        for lineno, line in enumerate(stream, start=1):
            if line.strip():
                yield lineno, line


def fix_cli(
    linter: Linter, source: Source, args: argparse.Namespace, stdout: TextIO, stderr: TextIO
) -> int:
    """``inquiry-assist fix`` for a FHIR input: print the transaction Bundle(s) (or, with
    ``--diff``, a diff of each fixed note); the input file is never written."""
    kind = _kind_of(source)
    if kind is None:
        print(f"{source.path}: error: not a FHIR input (.json, .ndjson, .ndjson.gz)", file=stderr)
        return 2
    status = 0
    fixed = remaining = 0
    for lineno, data in _resources(source, kind):
        prefix = f"line {lineno}: " if lineno is not None else ""
        if isinstance(data, InputError):
            print(f"{data.path}: error: {data.message}", file=stderr)
            status = 2
            continue
        try:
            obj = json.loads(data)
        except (ValueError, RecursionError) as exc:
            print(f"{source.path}: error: {prefix}{json_error_message(exc)}", file=stderr)
            status = 2
            continue
        result = fix_resource(
            linter, obj, unsafe=bool(getattr(args, "unsafe_fixes", False)), path=source.path
        )
        for err in result.errors:
            where = f"{err.path}:{err.location}" if err.location else err.path
            print(f"{where}: error: {prefix}{err.message}", file=stderr)
            status = 2
        left = [f for fx in result.fixes for f in fx.remaining] + result.unfixed
        fixed += sum(len(fx.applied) for fx in result.fixes)
        remaining += len(left)
        if status == 0 and linter.fails(left):
            status = 1
        if getattr(args, "diff", False):
            for fx in result.fixes:
                stdout.writelines(
                    difflib.unified_diff(
                        fx.before.splitlines(keepends=True),
                        fx.after.splitlines(keepends=True),
                        fromfile=f"{source.path}:{prefix}{fx.location}",
                        tofile=f"{source.path}:{prefix}{fx.location} (new version)",
                    )
                )
        elif result.fixes:
            indent = 2 if kind == "json" else None
            stdout.write(json.dumps(result.bundle, indent=indent, ensure_ascii=False) + "\n")
    print(f"{source.path}: fixed {fixed}, {remaining} remaining", file=stderr)
    return status
