"""What a rule is: metadata plus a ``check`` over an annotated document.

A rule yields :class:`Diagnostic` objects (a span, a message, suggestions); the
engine turns them into :class:`~inquiry_assist.model.Finding` objects, adding the
code, name, category, configured severity, line/column and source location. Rules
never see configuration or output formats.

Example::

    from inquiry_assist import Diagnostic, Rule, RuleMeta, hookimpl

    class ShoutingRule(Rule):
        meta = RuleMeta(code="X101", name="all-caps-word", category="style",
                        summary="A word in capitals reads as shouting.",
                        rationale="...", flagged=["Client was ANGRY."],
                        clean=["Client was angry."])

        def check(self, ctx):
            for m in re.finditer(r"\\b[A-Z]{4,}\\b", ctx.text):
                yield Diagnostic(m.start(), m.end(), "Write the word in lower case.")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from .annotations import Annotations
from .model import Document, RuleMeta, Severity, Suggestion

if TYPE_CHECKING:
    from .lexicon import Lexicon, LexiconHit

__all__ = ["Context", "Diagnostic", "LexiconRule", "Rule"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """What a rule reports: ``[start, end)`` in the document text, a message
    (never containing note text beyond the matched words' rule-level description)
    and suggested rewrites of that span."""

    start: int
    end: int
    message: str
    suggestions: tuple[Suggestion, ...] = ()
    #: overrides the rule's default severity for this one diagnostic (a lexicon
    #: term's own severity); the user's configuration still wins.
    severity: Severity | None = None


class Context:
    """A document plus its shared annotations, handed to every rule.

    ``lexicon_hits`` are computed on first use with the linter's compiled lexicon,
    once per document, and shared by all lexicon-backed rules.
    """

    __slots__ = (
        "_hits",
        "_hits_factory",
        "annotations",
        "cache",
        "document",
        "kind",
        "lexicon",
        "text",
    )

    def __init__(
        self,
        document: Document,
        annotations: Annotations,
        hits_factory: Callable[[Context], list[LexiconHit]] | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.document = document
        #: ``document.text`` and ``document.kind``, as plain attributes (rules read
        #: them often; an attribute is cheaper than a property)
        self.text: str = document.text
        self.kind: str = document.kind
        self.annotations = annotations
        self._hits_factory = hits_factory
        self._hits: list[LexiconHit] | None = None
        #: the linter's compiled lexicon (``None`` outside a Linter): lets a rule ask
        #: ``ctx.lexicon.rule_keys`` whether any term targets it before matching
        self.lexicon = lexicon
        #: per-document scratch space shared by the rules of one plugin (key it by
        #: your plugin's name): compute an analysis once, read it from every rule
        self.cache: dict[str, object] = {}

    @property
    def lexicon_hits(self) -> list[LexiconHit]:
        """Every lexicon match in the document, in document order."""
        if self._hits is None:
            self._hits = self._hits_factory(self) if self._hits_factory else []
        return self._hits


class Rule:
    """Base class for rules. Subclasses set ``meta`` and implement ``check``.

    A rule instance is shared across threads: keep per-document state in locals.
    """

    meta: ClassVar[RuleMeta]

    def applies_to(self, document: Document) -> bool:
        """Whether the rule runs on ``document`` (default: by ``meta.kinds``)."""
        return document.kind in self.meta.kinds

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        """Yield the problems in ``ctx.document``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.meta.code} {self.meta.name}>"


def iter_rule_examples(rule: Rule) -> Iterator[tuple[str, str, bool]]:
    """``(text, kind, should_flag)`` for each documented example of ``rule``."""
    for ex in rule.meta.flagged:
        yield ex.text, ex.kind, True
    for ex in rule.meta.clean:
        yield ex.text, ex.kind, False


class LexiconRule(Rule):
    """A rule that reports the lexicon terms assigned to it (``term.rule`` is the
    rule's name or code).

    The default filter keeps the non-negotiables: nothing inside the client's own
    words is reported, and a negated term (``no agitation``) is not reported unless
    the term says ``negatable = false``. Subclasses refine :meth:`keep` (for
    example to skip words about other people) and :meth:`message`.
    """

    def owns(self, hit: LexiconHit) -> bool:
        return hit.term.rule in (self.meta.name, self.meta.code)

    def keep(self, hit: LexiconHit, ctx: Context) -> bool:
        ann = ctx.annotations
        if ann.overlaps_client_words(hit.start, hit.end):
            return False
        return not (hit.term.negatable and ann.negated(hit.start, hit.end))

    def message(self, hit: LexiconHit) -> str:
        """The term, why it is a problem, and the first replacement in the matched
        inflection (``claims`` -> “reports”)."""
        term = hit.term
        why = term.why or self.meta.summary
        replacements = hit.replacements()
        if replacements:
            return f"“{term.phrase}”: {why} Consider “{replacements[0]}”."
        return f"“{term.phrase}”: {why}"

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        for hit in ctx.lexicon_hits:
            if self.owns(hit) and self.keep(hit, ctx):
                yield Diagnostic(
                    hit.start, hit.end, self.message(hit), hit.suggestions(), hit.term.severity
                )
