"""What an active Consent permits, as the ``consent.active`` fact.

Three purposes matter to the consent rules: ``recording`` (audio/video recording or
transcription of sessions), ``disclosure`` (release of information to others) and
``treatment``. FHIR has no single code for any of them, so the mapping reads codes and
texts (documented in docs/fhir.md):

=============  =================================================================
purpose        evidence (in ``scope``, ``category``, and each provision's
               ``action``, ``purpose``, ``code``, ``class``; text or display)
=============  =================================================================
treatment      scope ``treatment`` (R4); purpose ``TREAT`` or ``ETREAT``; text
               "treatment", "psychotherapy", "therapy"
disclosure     action ``disclose``; LOINC ``64292-6`` (release of information);
               text "disclos…", "release of information"
recording      a code ``recording``; text "record(ing/ed)", "audio", "video",
               "transcri…" (the reference suggests ``action=collect`` plus a
               text such as "Audio recording of sessions")
=============  =================================================================

Only ``status = active`` Consents count. A permit (R5 ``decision``, R4
``provision.type``, default permit) adds its purposes; a ``deny`` provision (an R4
nested provision of type ``deny``, or an R5 Consent whose ``decision`` is ``deny``)
takes its purposes away.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .jsonutil import as_list

__all__ = ["PURPOSES", "active_consent_purposes"]

PURPOSES = ("disclosure", "recording", "treatment")

_TEXT_PATTERNS = {
    "recording": re.compile(
        r"\b(record(?:ing|ings|ed)?\s+(?:of\s+)?(?:the\s+)?sessions?|"
        r"recording|audio|video|transcri\w*)\b",
        re.IGNORECASE,
    ),
    "disclosure": re.compile(r"\b(disclos\w*|release of (?:health )?information)\b", re.IGNORECASE),
    "treatment": re.compile(r"\b(treatment|psychotherapy|therapy)\b", re.IGNORECASE),
}
_CODES = {
    "treatment": frozenset({"treatment", "TREAT", "ETREAT"}),
    "disclosure": frozenset({"disclose", "64292-6"}),
    "recording": frozenset({"recording"}),
}


def _strings(value: object) -> Iterable[tuple[str, str]]:
    """``("code", c)`` and ``("text", t)`` pairs from Coding/CodeableConcept trees."""
    if isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, Mapping):
        for key in ("code",):
            if isinstance(value.get(key), str):
                yield "code", value[key]
        for key in ("text", "display"):
            if isinstance(value.get(key), str):
                yield "text", value[key]
        for key in ("coding", "concept"):
            if key in value:
                yield from _strings(value[key])
    elif isinstance(value, str):
        yield "text", value


def _classify(values: Iterable[object]) -> set[str]:
    found: set[str] = set()
    for value in values:
        for what, s in _strings(value):
            for purpose in PURPOSES:
                hit = (
                    s in _CODES[purpose]
                    if what == "code"
                    else _TEXT_PATTERNS[purpose].search(s) is not None
                )
                if hit:
                    found.add(purpose)
    return found


def _provision_values(p: Mapping[str, Any]) -> list[object]:
    return [p.get(k) for k in ("action", "purpose", "code", "class", "documentType")]


def _walk(provisions: object, inherited: str, permit: set[str], deny: set[str]) -> None:
    items = provisions if isinstance(provisions, list) else [provisions]
    for p in items:
        if not isinstance(p, Mapping):
            continue
        ptype = p["type"] if p.get("type") in ("permit", "deny") else inherited
        (deny if ptype == "deny" else permit).update(_classify(_provision_values(p)))
        _walk(as_list(p.get("provision")), ptype, permit, deny)


def consent_purposes(consent: Mapping[str, Any]) -> set[str]:
    """The purposes one Consent permits (regardless of its status)."""
    decision = consent.get("decision")
    provision = consent.get("provision")
    top = provision.get("type") if isinstance(provision, Mapping) else None
    default = "deny" if "deny" in (decision, top) else "permit"
    permit: set[str] = set()
    deny: set[str] = set()
    resource_level = _classify(
        [consent.get("scope"), consent.get("category"), consent.get("policyText")]
    )
    (deny if default == "deny" else permit).update(resource_level)
    _walk(provision if provision is not None else [], default, permit, deny)
    return permit - deny


def active_consent_purposes(consents: Iterable[object]) -> tuple[str, ...] | None:
    """``consent.active`` for a Bundle: ``None`` when it holds no active Consent, else
    the sorted purposes the active Consents permit (possibly empty).

    >>> active_consent_purposes([{"resourceType": "Consent", "status": "active",
    ...     "scope": {"coding": [{"code": "treatment"}]}}])
    ('treatment',)
    """
    found: set[str] | None = None
    for consent in consents:
        if isinstance(consent, Mapping) and consent.get("status") == "active":
            found = (found or set()) | consent_purposes(consent)
    return None if found is None else tuple(sorted(found))
