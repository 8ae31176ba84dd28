"""FHIR resources (parsed JSON) to documents: the element-by-element mapping.

Works on plain ``dict``s from :func:`json.loads`, never on ``fhir.resources`` models, so
an element the models do not know can never make the reader drop data or fail, and the
hot path stays cheap. Each element that is read gets its own targeted checks (strict
base64, charset, content type, size, presence of text); what cannot be read becomes an
:class:`~inquiry_assist.model.InputError` naming the file and the FHIRPath, and the rest
of the resource (and of the file or Bundle) is still read.

See docs/fhir.md for the mapping table and the ``facts`` keys.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import Document, InputError, Kind, Locator
from .consent import active_consent_purposes
from .jsonutil import as_list
from .narrative import xhtml_to_text
from .versions import FhirVersion, detect_version

__all__ = [
    "READ_TYPES",
    "TEXT_MEDIA_TYPES",
    "Item",
    "ReadContext",
    "ResourceRef",
    "goal_facts",
    "iter_resource",
    "parse_content_type",
]

#: Resource types that carry text inquiry-assist lints (Consent only adds facts).
READ_TYPES = ("DocumentReference", "Composition", "Goal", "CarePlan", "Consent", "Bundle")
#: Attachment media types that are read as text (others are reported, not linted).
TEXT_MEDIA_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown", "text/html"})

_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_WS = re.compile(rb"[ \t\r\n]+")
_RESOURCE_TYPE = re.compile(r"^[A-Z][A-Za-z]{1,63}$")


@dataclass(frozen=True)
class ResourceRef:
    """The resource a document (or input error) came from.

    ``base`` is the FHIRPath of the resource inside its input: ``DocumentReference``
    for a file holding one resource, ``Bundle.entry[2].resource`` for a Bundle entry,
    ``DocumentReference.where(id='n1')`` for a line of an NDJSON file. Element
    locations start with it; :meth:`expression` turns them into FHIRPaths relative to
    the resource itself (``DocumentReference.content[0].attachment.data``).
    """

    resource_type: str
    resource_id: str | None
    version: FhirVersion
    base: str
    subject: str | None = None
    version_id: str | None = None

    def facts(self) -> dict[str, str]:
        """The resource's identity as document facts (``fhir.base``, and
        ``fhir.subject``/``fhir.version_id`` when known), so output formats can name
        the resource from the document alone; see :meth:`from_facts`."""
        out = {"fhir.base": self.base}
        if self.subject:
            out["fhir.subject"] = self.subject
        if self.version_id:
            out["fhir.version_id"] = self.version_id
        return out

    @classmethod
    def from_facts(
        cls, resource_type: str | None, resource_id: str | None, facts: Mapping[str, Any]
    ) -> ResourceRef | None:
        """The reference a document's facts describe (``None`` for non-FHIR text)."""
        base = facts.get("fhir.base")
        version = facts.get("fhir.version")
        if not resource_type or not isinstance(base, str) or version not in ("R4", "R4B", "R5"):
            return None
        return cls(
            resource_type=resource_type,
            resource_id=resource_id,
            version=version,
            base=base,
            subject=facts.get("fhir.subject"),
            version_id=facts.get("fhir.version_id"),
        )

    @property
    def reference(self) -> str | None:
        """``Type/id`` (with ``/_history/v`` when ``meta.versionId`` is known)."""
        if not self.resource_id:
            return None
        ref = f"{self.resource_type}/{self.resource_id}"
        return f"{ref}/_history/{self.version_id}" if self.version_id else ref

    def expression(self, location: str | None) -> str:
        """``location`` rewritten relative to the resource root."""
        if location is None or not location.startswith(self.base):
            return location or self.resource_type
        return self.resource_type + location[len(self.base) :]


#: What the reader yields: the resource an item came from, and the item.
Item = tuple[ResourceRef | None, Document | InputError]


@dataclass
class ReadContext:
    """Per-input reading settings."""

    path: str
    requested_version: str = "auto"
    max_bytes: int = 1024 * 1024
    #: ``fullUrl`` / ``Type/id`` -> resourceType, for references inside a Bundle.
    resolve: dict[str, str] = field(default_factory=dict)


def parse_content_type(value: object) -> tuple[str, str]:
    """``(media type, charset)`` of an attachment ``contentType`` (defaults
    ``text/plain``, ``utf-8``).

    >>> parse_content_type("text/plain; charset=ISO-8859-1")
    ('text/plain', 'iso-8859-1')
    """
    if not isinstance(value, str) or not value.strip():
        return "text/plain", "utf-8"
    media, *params = value.split(";")
    charset = "utf-8"
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip('"').lower()
    return media.strip().lower(), charset


def _reference_type(ref: object, ctx: ReadContext, contained: Mapping[str, str]) -> str | None:
    """The resource type a Reference points to, if it can be told without fetching."""
    if not isinstance(ref, Mapping):
        return None
    if isinstance(ref.get("type"), str):
        return str(ref["type"])
    target = ref.get("reference")
    if not isinstance(target, str) or not target:
        return None
    if target.startswith("#"):
        return contained.get(target[1:])
    if target in ctx.resolve:
        return ctx.resolve[target]
    if target.startswith(("urn:uuid:", "urn:oid:")):
        return None
    parts = [p for p in target.split("/_history/")[0].split("/") if p]
    if len(parts) >= 2 and _RESOURCE_TYPE.match(parts[-2]):
        return parts[-2]
    return None


def _contained_types(resource: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for inner in as_list(resource.get("contained")):
        if isinstance(inner, Mapping) and isinstance(inner.get("id"), str):
            rtype = inner.get("resourceType")
            if isinstance(rtype, str):
                out[inner["id"]] = rtype
    return out


def goal_facts(
    goal: Mapping[str, Any], ctx: ReadContext, contained: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The ``goal.*`` facts of a Goal resource (see docs/fhir.md)."""
    who = goal.get("expressedBy", goal.get("source"))  # R4/R4B expressedBy, R5 source
    expressed: bool | None = None
    if who is not None:
        rtype = _reference_type(who, ctx, contained or _contained_types(goal))
        expressed = None if rtype is None else rtype == "Patient"
    targets = [t for t in as_list(goal.get("target")) if isinstance(t, Mapping)]
    return {
        "goal.expressed_by_patient": expressed,
        "goal.has_target": any(
            t.get("measure") is not None or any(k.startswith("detail") for k in t) for t in targets
        ),
        "goal.has_due": any(any(k.startswith("due") for k in t) for t in targets),
        "goal.from_fhir": True,
    }


def _subject(resource: Mapping[str, Any]) -> str | None:
    for key in ("subject", "patient"):
        value = resource.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, Mapping) and isinstance(value.get("reference"), str):
            return str(value["reference"])
    return None


def make_ref(resource: Mapping[str, Any], base: str, version: FhirVersion) -> ResourceRef:
    """The :class:`ResourceRef` of ``resource`` read at ``base``."""
    rid = resource.get("id")
    meta = resource.get("meta")
    vid = meta.get("versionId") if isinstance(meta, Mapping) else None
    return ResourceRef(
        resource_type=str(resource.get("resourceType")),
        resource_id=rid if isinstance(rid, str) and _ID.match(rid) else None,
        version=version,
        base=base,
        subject=_subject(resource),
        version_id=vid if isinstance(vid, str) else None,
    )


def ndjson_base(resource: Mapping[str, Any]) -> str:
    """The base FHIRPath of a resource read from one NDJSON line."""
    rtype = resource.get("resourceType")
    rtype = rtype if isinstance(rtype, str) and _RESOURCE_TYPE.match(rtype) else "Resource"
    rid = resource.get("id")
    if isinstance(rid, str) and _ID.match(rid):
        return f"{rtype}.where(id='{rid}')"
    return rtype


def iter_resource(
    resource: object,
    ctx: ReadContext,
    *,
    base: str | None = None,
    top_level: bool = True,
    facts: Mapping[str, Any] | None = None,
) -> Iterator[Item]:
    """Documents and input errors from one resource (recursing into Bundles).

    :param base: the resource's FHIRPath in its input (default: its resourceType).
    :param top_level: a resource type that carries no text is an error at the top of a
        file, and silently skipped inside a Bundle or an NDJSON file.
    :param facts: facts shared by every document (a Bundle's consent facts).
    """
    if not isinstance(resource, Mapping):
        yield (
            None,
            InputError(
                path=ctx.path,
                message="not a FHIR resource (expected a JSON object); not linted",
                location=base,
            ),
        )
        return
    rtype = resource.get("resourceType")
    if not isinstance(rtype, str) or not _RESOURCE_TYPE.match(rtype):
        yield (
            None,
            InputError(
                path=ctx.path,
                message="not a FHIR resource: no valid resourceType; not linted",
                location=base,
            ),
        )
        return
    version = detect_version(resource, ctx.requested_version)
    ref = make_ref(resource, base or rtype, version)
    shared = {**(facts or {}), "fhir.version": version}
    if rtype == "Bundle":
        yield from _bundle(resource, ref, ctx, shared)
    elif rtype == "DocumentReference":
        yield from _document_reference(resource, ref, ctx, shared)
    elif rtype == "Composition":
        yield from _composition(resource, ref, ctx, shared)
    elif rtype == "Goal":
        yield from _goal(resource, ref, ref.base, ctx, shared, _contained_types(resource))
    elif rtype == "CarePlan":
        yield from _care_plan(resource, ref, ctx, shared)
    elif rtype == "Consent":
        return  # read for the consent facts of its Bundle only
    elif top_level:
        yield (
            ref,
            InputError(
                path=ctx.path,
                message=f"resourceType {rtype!r} is not one inquiry-assist reads "
                f"({', '.join(READ_TYPES)}); not linted",
                location=ref.base,
            ),
        )


def _error(ref: ResourceRef, ctx: ReadContext, location: str, message: str) -> Item:
    return ref, InputError(path=ctx.path, message=message, location=location)


def _document(
    ref: ResourceRef,
    ctx: ReadContext,
    location: str,
    text: str,
    *,
    kind: Kind = "note",
    facts: Mapping[str, Any],
    media_type: str = "text/plain",
    segments: tuple[tuple[int, int], ...] = (),
) -> Item:
    return ref, Document(
        text=text,
        kind=kind,
        source=ctx.path,
        locator=Locator(location=location, segments=segments),
        resource_type=ref.resource_type,
        resource_id=ref.resource_id,
        media_type=media_type,
        facts={**facts, **ref.facts()},
    )


def _plain_text(
    ref: ResourceRef,
    ctx: ReadContext,
    location: str,
    value: object,
    what: str,
    *,
    kind: Kind,
    facts: Mapping[str, Any],
    required: bool,
) -> Iterator[Item]:
    """A ``string``/``markdown`` element as a document (or a missing-text error)."""
    if isinstance(value, str) and value.strip():
        yield _document(ref, ctx, location, value, kind=kind, facts=facts)
    elif required:
        yield _error(ref, ctx, location, f"{what} has no text; nothing to lint")


# --- DocumentReference ---------------------------------------------------------------------


def _document_reference(
    dr: Mapping[str, Any], ref: ResourceRef, ctx: ReadContext, facts: Mapping[str, Any]
) -> Iterator[Item]:
    content = dr.get("content")
    if not isinstance(content, list) or not content:
        yield _error(
            ref, ctx, f"{ref.base}.content", "DocumentReference has no content; nothing to lint"
        )
        return
    for i, entry in enumerate(content):
        where = f"{ref.base}.content[{i}].attachment"
        attachment = entry.get("attachment") if isinstance(entry, Mapping) else None
        if not isinstance(attachment, Mapping):
            yield _error(ref, ctx, where, "content has no attachment; nothing to lint")
            continue
        yield _attachment(attachment, where, ref, ctx, facts)


def _too_large(max_bytes: int) -> str:
    return f"attachment is larger than the {max_bytes:,}-byte limit (max-file-size); not linted"


def decode_attachment(
    attachment: Mapping[str, Any], max_bytes: int
) -> tuple[str, str, str] | tuple[None, str, str]:
    """Decode a text attachment's ``data``.

    :return: ``(text, media type, charset)``, or ``(None, element, message)`` naming
        the element at fault (``data``, ``url``, ``contentType``) and why.
    """
    media, charset = parse_content_type(attachment.get("contentType"))
    data = attachment.get("data")
    if data is None:
        if isinstance(attachment.get("url"), str):
            return (
                None,
                "url",
                (
                    "attachment is given only by url; not fetched (inquiry-assist makes no "
                    "network calls); not linted"
                ),
            )
        return None, "data", "attachment has neither data nor url; nothing to lint"
    if media not in TEXT_MEDIA_TYPES:
        return None, "contentType", f"content type {media[:80]!r} is not text; not linted"
    if not isinstance(data, str):
        return None, "data", "attachment data is not a base64 string; not linted"
    if len(data) // 4 * 3 > max_bytes + 3:
        return None, "data", _too_large(max_bytes)
    try:
        raw = base64.b64decode(_WS.sub(b"", data.encode("ascii")), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
        padding = "padding" in str(exc).lower()
        reason = "bad padding" if padding else "characters outside the base64 alphabet"
        return None, "data", f"attachment data is not valid base64 ({reason}); not linted"
    if len(raw) > max_bytes:
        return None, "data", _too_large(max_bytes)
    try:
        text = raw.decode(charset)
    except LookupError:
        return None, "contentType", f"unknown charset {charset[:40]!r}; not linted"
    except UnicodeDecodeError as exc:
        return (
            None,
            "data",
            f"attachment is not valid {charset} text at byte {exc.start}; not linted",
        )
    if "\x00" in text:
        return None, "data", "attachment holds binary data (NUL characters); not linted"
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return None, "data", "attachment text is empty; nothing to lint"
    return text, media, charset


def _attachment(
    attachment: Mapping[str, Any],
    where: str,
    ref: ResourceRef,
    ctx: ReadContext,
    facts: Mapping[str, Any],
) -> Item:
    text, media_or_element, charset_or_message = decode_attachment(attachment, ctx.max_bytes)
    if text is None:
        return _error(ref, ctx, f"{where}.{media_or_element}", charset_or_message)
    location = f"{where}.data"
    if media_or_element == "text/html":
        plain, anchors = xhtml_to_text(text)
        if not plain.strip():
            return _error(ref, ctx, location, "HTML attachment has no text; nothing to lint")
        return _document(ref, ctx, location, plain, facts=facts, segments=anchors)
    media = "text/markdown" if "markdown" in media_or_element else "text/plain"
    return _document(ref, ctx, location, text, facts=facts, media_type=media)


# --- Composition ---------------------------------------------------------------------------


def _sections(
    sections: object, where: str, ref: ResourceRef, ctx: ReadContext, facts: Mapping[str, Any]
) -> Iterator[Item]:
    if not isinstance(sections, list):
        return
    for i, section in enumerate(sections):
        if not isinstance(section, Mapping):
            continue
        here = f"{where}.section[{i}]"
        narrative = section.get("text")
        div = narrative.get("div") if isinstance(narrative, Mapping) else None
        if isinstance(div, str):
            text, anchors = xhtml_to_text(div)
            if text.strip():
                section_facts = dict(facts)
                if isinstance(section.get("title"), str):
                    section_facts["fhir.section_title"] = section["title"]
                yield _document(
                    ref, ctx, f"{here}.text.div", text, facts=section_facts, segments=anchors
                )
        yield from _sections(section.get("section"), here, ref, ctx, facts)


def _composition(
    comp: Mapping[str, Any], ref: ResourceRef, ctx: ReadContext, facts: Mapping[str, Any]
) -> Iterator[Item]:
    found = False
    for item in _sections(comp.get("section"), ref.base, ref, ctx, facts):
        found = True
        yield item
    if not found:
        yield _error(
            ref,
            ctx,
            f"{ref.base}.section",
            "Composition has no section narrative text; nothing to lint",
        )


# --- Goal and CarePlan ---------------------------------------------------------------------


def _goal(
    goal: Mapping[str, Any],
    ref: ResourceRef,
    where: str,
    ctx: ReadContext,
    facts: Mapping[str, Any],
    contained: Mapping[str, str],
) -> Iterator[Item]:
    gfacts = {**facts, **goal_facts(goal, ctx, contained)}
    description = goal.get("description")
    text = description.get("text") if isinstance(description, Mapping) else None
    yield from _plain_text(
        ref,
        ctx,
        f"{where}.description.text",
        text,
        "Goal.description",
        kind="goal",
        facts=gfacts,
        required=True,
    )
    yield from _notes(goal, where, ref, ctx, gfacts)


def _notes(
    resource: Mapping[str, Any],
    where: str,
    ref: ResourceRef,
    ctx: ReadContext,
    facts: Mapping[str, Any],
) -> Iterator[Item]:
    for j, note in enumerate(as_list(resource.get("note"))):
        if isinstance(note, Mapping):
            yield from _plain_text(
                ref,
                ctx,
                f"{where}.note[{j}].text",
                note.get("text"),
                "Annotation",
                kind="note",
                facts=facts,
                required=False,
            )


def _care_plan(
    plan: Mapping[str, Any], ref: ResourceRef, ctx: ReadContext, facts: Mapping[str, Any]
) -> Iterator[Item]:
    base = ref.base
    yield from _plain_text(
        ref,
        ctx,
        f"{base}.description",
        plan.get("description"),
        "CarePlan.description",
        kind="note",
        facts=facts,
        required=False,
    )
    yield from _notes(plan, base, ref, ctx, facts)
    for a, activity in enumerate(as_list(plan.get("activity"))):
        detail = activity.get("detail") if isinstance(activity, Mapping) else None
        if isinstance(detail, Mapping):  # R4 inline activity detail
            yield from _plain_text(
                ref,
                ctx,
                f"{base}.activity[{a}].detail.description",
                detail.get("description"),
                "CarePlan.activity.detail",
                kind="note",
                facts=facts,
                required=False,
            )
    contained = _contained_types(plan)
    for k, inner in enumerate(as_list(plan.get("contained"))):
        if isinstance(inner, Mapping) and inner.get("resourceType") == "Goal":
            yield from _goal(inner, ref, f"{base}.contained[{k}]", ctx, facts, contained)


# --- Bundle --------------------------------------------------------------------------------


def _bundle(
    bundle: Mapping[str, Any], ref: ResourceRef, ctx: ReadContext, facts: Mapping[str, Any]
) -> Iterator[Item]:
    entries = bundle.get("entry")
    if not isinstance(entries, list):
        return
    resources: list[object] = []
    for entry in entries:
        inner = entry.get("resource") if isinstance(entry, Mapping) else None
        resources.append(inner)
        if isinstance(inner, Mapping) and isinstance(inner.get("resourceType"), str):
            rtype = inner["resourceType"]
            if isinstance(entry.get("fullUrl"), str):
                ctx.resolve[entry["fullUrl"]] = rtype
            if isinstance(inner.get("id"), str):
                ctx.resolve[f"{rtype}/{inner['id']}"] = rtype
    consents = [
        r for r in resources if isinstance(r, Mapping) and r.get("resourceType") == "Consent"
    ]
    shared = dict(facts)
    purposes = active_consent_purposes(consents)
    if purposes is not None:
        shared["consent.active"] = purposes
    for i, inner in enumerate(resources):
        if inner is None:
            continue  # e.g. a DELETE in a transaction: nothing to read
        yield from iter_resource(
            inner, ctx, base=f"{ref.base}.entry[{i}].resource", top_level=False, facts=shared
        )
