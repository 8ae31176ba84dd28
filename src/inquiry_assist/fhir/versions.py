"""Which FHIR version a resource is written in: R4 (4.0.1), R4B (4.3.0) or R5 (5.0.0).

Detected per resource from ``meta.profile`` and, failing that, from its shape (elements
that exist in one version only). A resource that shows no sign either way is taken as
R4, the version most EHRs send. The user can override detection (``--fhir-version``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from .jsonutil import as_list

__all__ = ["FhirVersion", "detect_version", "models_release"]

FhirVersion = Literal["R4", "R4B", "R5"]

_R4_KEYS: dict[str, frozenset[str]] = {
    "DocumentReference": frozenset({"masterIdentifier", "authenticator"}),
    "Goal": frozenset({"expressedBy", "outcomeCode", "outcomeReference"}),
    "CarePlan": frozenset({"author"}),
    "Composition": frozenset({"confidentiality"}),
    "Consent": frozenset({"scope", "patient", "dateTime", "policyRule", "organization"}),
    "DetectedIssue": frozenset({"patient"}),
}
_R5_KEYS: dict[str, frozenset[str]] = {
    "DocumentReference": frozenset(
        {"attester", "version", "basedOn", "bodySite", "modality", "event", "facilityType"}
    ),
    "Goal": frozenset({"source", "outcome", "continuous"}),
    "CarePlan": frozenset({"custodian"}),
    "Composition": frozenset({"url", "version", "name", "note", "useContext"}),
    "Consent": frozenset(
        {"decision", "subject", "date", "grantor", "grantee", "regulatoryBasis", "policyBasis"}
    ),
    "Bundle": frozenset({"issues"}),
}


def _from_profiles(resource: Mapping[str, Any]) -> FhirVersion | None:
    meta = resource.get("meta")
    profiles = meta.get("profile") if isinstance(meta, Mapping) else None
    if not isinstance(profiles, list):
        return None
    for profile in profiles:
        if not isinstance(profile, str):
            continue
        if "/R5/" in profile or "|5.0" in profile:
            return "R5"
        if "/R4B/" in profile or "|4.3" in profile:
            return "R4B"
        if "/R4/" in profile or "|4.0" in profile or "/us/core/" in profile:
            return "R4"
    return None


def _from_shape(rtype: str, resource: Mapping[str, Any]) -> FhirVersion | None:
    keys = resource.keys()
    if _R5_KEYS.get(rtype, frozenset()) & keys:
        return "R5"
    if _R4_KEYS.get(rtype, frozenset()) & keys:
        return "R4"
    if rtype == "DocumentReference":
        context = resource.get("context")
        if isinstance(context, Mapping):
            return "R4"
        if isinstance(context, list):
            return "R5"
        for rel in as_list(resource.get("relatesTo")):
            if isinstance(rel, Mapping) and isinstance(rel.get("code"), str):
                return "R4"
            if isinstance(rel, Mapping) and isinstance(rel.get("code"), Mapping):
                return "R5"
        for content in as_list(resource.get("content")):
            if isinstance(content, Mapping) and "format" in content:
                return "R4"
            if isinstance(content, Mapping) and "profile" in content:
                return "R5"
    elif rtype == "Composition":
        subject = resource.get("subject")
        if isinstance(subject, Mapping):
            return "R4"
        if isinstance(subject, list):
            return "R5"
    elif rtype == "CarePlan":
        for activity in as_list(resource.get("activity")):
            if isinstance(activity, Mapping):
                if {"detail", "outcomeReference", "outcomeCodeableConcept"} & activity.keys():
                    return "R4"
                if {"performedActivity", "plannedActivityReference"} & activity.keys():
                    return "R5"
    elif rtype == "Consent":
        provision = resource.get("provision")
        if isinstance(provision, Mapping):
            return "R4"
        if isinstance(provision, list):
            return "R5"
    elif rtype == "Bundle":
        for entry in as_list(resource.get("entry")):
            inner = entry.get("resource") if isinstance(entry, Mapping) else None
            if isinstance(inner, Mapping) and isinstance(inner.get("resourceType"), str):
                found = _from_profiles(inner) or _from_shape(inner["resourceType"], inner)
                if found is not None:
                    return found
    return None


def detect_version(resource: Mapping[str, Any], requested: str = "auto") -> FhirVersion:
    """The FHIR version of ``resource``; ``requested`` (``R4``/``R4B``/``R5``) wins.

    >>> detect_version({"resourceType": "Goal", "source": {"reference": "Patient/p1"}})
    'R5'
    >>> detect_version({"resourceType": "Goal", "expressedBy": {"reference": "Patient/p1"}})
    'R4'
    """
    if requested in ("R4", "R4B", "R5"):
        return requested  # type: ignore[return-value]
    rtype = resource.get("resourceType")
    return (
        _from_profiles(resource)
        or (_from_shape(rtype, resource) if isinstance(rtype, str) else None)
        or "R4"
    )


def models_release(version: str) -> str:
    """The ``fhir.resources`` package that models ``version`` (R4 data uses R4B models)."""
    return "fhir.resources" if version == "R5" else "fhir.resources.R4B"
