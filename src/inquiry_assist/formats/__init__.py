"""Output formats. Each is a :class:`Format` registered through the
``inquiry_assist_register_formats`` hook; the built-in ones live beside this file."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from ..model import Document, Finding, InputError

if TYPE_CHECKING:
    from ..engine import Linter

__all__ = ["Format", "RenderOptions", "Report"]


@dataclass(frozen=True)
class RenderOptions:
    """How the user asked for output: ``redact`` leaves matched note text out."""

    redact: bool = False
    statistics: bool = False
    quiet: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class LintedDocument(NamedTuple):
    """What a format may need of a linted document: where it came from, never its text."""

    path: str
    location: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    facts: Mapping[str, Any] = {}
    segments: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, document: Document) -> LintedDocument:
        return cls(
            document.source,
            document.location,
            document.resource_type,
            document.resource_id,
            document.facts,
            document.locator.segments,
        )


@dataclass(frozen=True)
class Report:
    """Everything one run produced, in deterministic order."""

    findings: Sequence[Finding]
    errors: Sequence[InputError]
    files: int
    documents: int
    linter: Linter
    fail_on: str = "warning"
    #: every document linted, in input order (without its text), so a format can
    #: report clean inputs too: the ``fhir`` format gives each linted resource an
    #: OperationOutcome and reads the resource's id, version and subject from here
    linted: Sequence[LintedDocument] = ()

    def summary(self) -> dict[str, Any]:
        by_severity = Counter(f.severity for f in self.findings)
        return {
            "files": self.files,
            "documents": self.documents,
            "findings": len(self.findings),
            "errors": len(self.errors),
            "by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "info")},
            "by_code": dict(sorted(Counter(f.code for f in self.findings).items())),
            "fixable": sum(
                1 for f in self.findings if any(s.applicability == "safe" for s in f.suggestions)
            ),
        }


@dataclass(frozen=True)
class Format:
    """An output format: ``render`` turns a report into the text to print."""

    name: str
    description: str
    render: Callable[[Report, RenderOptions], str]
