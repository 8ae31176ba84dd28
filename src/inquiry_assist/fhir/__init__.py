"""FHIR input and output. Importing this package does not import fhir.resources:
the models load only where a produced resource is validated (tests, :mod:`.validate`).

The canonical URIs below are documented in docs/fhir.md; they identify, they are not
fetched.
"""

from __future__ import annotations

__all__ = [
    "APPLIED_RULE_EXTENSION",
    "CANONICAL_BASE",
    "DERIVATION_REFERENCE",
    "DEVICE_IDENTIFIER_SYSTEM",
    "RULES_SYSTEM",
]

#: Canonical base of inquiry-assist's own FHIR artefacts.
CANONICAL_BASE = "https://inquiry-assist.dev/fhir"
#: Code system of rule codes (``L101``...), used in ``details.coding`` and
#: ``DetectedIssue.code``; the display is the rule's kebab-case name.
RULES_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/rules"
#: Identifier system of the inquiry-assist Device (Provenance/DetectedIssue author).
DEVICE_IDENTIFIER_SYSTEM = f"{CANONICAL_BASE}/device"
#: Extension on Provenance naming a rule whose fix was applied (valueCoding).
APPLIED_RULE_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/applied-rule"
#: Core extension locating a character range inside an element's text.
DERIVATION_REFERENCE = "http://hl7.org/fhir/StructureDefinition/derivation-reference"
