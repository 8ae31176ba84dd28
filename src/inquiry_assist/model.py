"""The data that flows through inquiry-assist: documents in, findings out.

Every model here is an immutable pydantic model. Offsets are Unicode code points
(Python ``str`` indices), never bytes or UTF-16 units.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "BUILTIN_CATEGORIES",
    "SEVERITIES",
    "Applicability",
    "Document",
    "Example",
    "Finding",
    "InputError",
    "Kind",
    "Locator",
    "RuleMeta",
    "Severity",
    "Suggestion",
    "severity_rank",
]

Severity = Literal["error", "warning", "info"]
Kind = Literal["note", "goal"]
Applicability = Literal["safe", "unsafe"]

#: Severities from least to most severe.
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
#: The categories the built-in plugins use. Plugins may add their own.
BUILTIN_CATEGORIES: tuple[str, ...] = ("language", "goal", "consent")


def severity_rank(severity: str) -> int:
    """Order severities: ``info`` < ``warning`` < ``error``."""
    return SEVERITIES.index(severity)  # type: ignore[arg-type,unused-ignore]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Locator(_Frozen):
    """Maps offsets in a document's ``text`` back to where the text came from.

    ``location`` is the FHIRPath of the element the text was read from (``None`` for a
    plain file). ``segments`` is a sorted tuple of ``(text_offset, source_offset)``
    anchors: an offset is mapped through the last anchor at or before it. An empty
    tuple means the text *is* the source (offsets map to themselves).
    """

    location: str | None = None
    segments: tuple[tuple[int, int], ...] = ()

    def to_source(self, offset: int) -> int:
        """Return the offset in the source that ``offset`` in the text came from."""
        if not self.segments:
            return offset
        keys = [t for t, _ in self.segments]
        i = bisect.bisect_right(keys, offset) - 1
        if i < 0:
            return offset
        text_at, source_at = self.segments[i]
        return source_at + (offset - text_at)


class Document(_Frozen):
    """One unit of text to lint.

    ``source`` is the input as the user named it (a path, or ``-`` for stdin).
    ``facts`` carries structured context from the reader that rules may use (for
    a FHIR Goal: whether ``expressedBy``/``source`` is the Patient, whether a target
    or due date exists; for a Bundle: active Consents). Keys are documented in
    docs/fhir.md.
    """

    text: str
    kind: Kind = "note"
    source: str = "-"
    locator: Locator = Field(default_factory=Locator)
    resource_type: str | None = None
    resource_id: str | None = None
    media_type: str = "text/plain"
    facts: Mapping[str, Any] = Field(default_factory=dict)

    @property
    def location(self) -> str | None:
        """FHIRPath of the element this text came from, if any."""
        return self.locator.location


class Suggestion(_Frozen):
    """A proposed rewrite of a finding's span.

    ``safe`` means applying it cannot change the clinical meaning of the note;
    ``unsafe`` suggestions are only applied when the user asks for them.
    """

    replacement: str
    applicability: Applicability = "unsafe"
    description: str | None = None


class Finding(_Frozen):
    """One problem found in one document."""

    code: str
    name: str
    category: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    suggestions: tuple[Suggestion, ...] = ()
    path: str = "-"
    location: str | None = None

    @classmethod
    def unchecked(cls, **fields: Any) -> Finding:
        """Build a finding from values the engine has already validated, without
        pydantic's validation (it costs more than most rules). Every field must be
        given; the result equals ``Finding(**fields)`` (a test keeps it so)."""
        return unchecked_finding(fields)


_FINDING_FIELDS = frozenset(Finding.model_fields)


def unchecked_finding(fields: dict[str, Any]) -> Finding:
    """:meth:`Finding.unchecked` for a dict the caller made (and gives up): every
    field, in field order. The engine's fast path, one call per finding."""
    finding = object.__new__(Finding)
    object.__setattr__(finding, "__dict__", fields)
    object.__setattr__(finding, "__pydantic_fields_set__", _FINDING_FIELDS)
    object.__setattr__(finding, "__pydantic_extra__", None)
    object.__setattr__(finding, "__pydantic_private__", None)
    return finding


class InputError(_Frozen):
    """An input that could not be (fully) read: reported, never raised past the CLI."""

    path: str
    message: str
    location: str | None = None


class Example(_Frozen):
    """A documented example for a rule: ``text`` linted as ``kind``."""

    text: str
    kind: Kind = "note"


_CODE_PATTERN = r"^[A-Z]{1,4}[0-9]{3}$"
_NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


class RuleMeta(_Frozen):
    """What a rule is, independent of how it checks.

    ``code`` is stable and unique (letters then three digits, e.g. ``L101``);
    ``name`` is kebab-case and names the problem (``doubt-marker``).
    """

    code: str = Field(pattern=_CODE_PATTERN)
    name: str = Field(pattern=_NAME_PATTERN)
    category: str = Field(pattern=_NAME_PATTERN)
    severity: Severity = "warning"
    summary: str
    rationale: str
    sources: tuple[str, ...] = ()
    flagged: tuple[Example, ...] = ()
    clean: tuple[Example, ...] = ()
    kinds: tuple[Kind, ...] = ("note", "goal")

    @model_validator(mode="before")
    @classmethod
    def _examples(cls, data: Any) -> Any:
        """Accept plain strings as examples, linted as the rule's first kind."""
        if isinstance(data, Mapping):
            data = dict(data)
            kind = next(iter(data.get("kinds") or ("note",)))
            for key in ("flagged", "clean"):
                value = data.get(key)
                if isinstance(value, list | tuple):
                    data[key] = tuple(
                        {"text": v, "kind": kind} if isinstance(v, str) else v for v in value
                    )
        return data
