"""The engine: :class:`Linter` runs the enabled rules over documents.

A ``Linter`` is built once (plugins loaded, rules selected, lexicon compiled) and is
then immutable: share one across threads and calls. Rules run in the engine's own
loop, not through one pluggy call per rule.

>>> from inquiry_assist import Linter
>>> linter = Linter(load_entrypoints=False)
>>> [f.code for f in linter.lint_text("Client claims she slept well.")]
['L101']
"""

from __future__ import annotations

import bisect
import contextlib
import fnmatch
import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import regex

from .annotations import Annotations, annotate
from .config import Config, ConfigError
from .formats import Format
from .lexicon import Lexicon, LexiconError, TermPack, hits_for_context, term_pack_from_dict
from .model import (
    Document,
    Finding,
    InputError,
    Kind,
    RuleMeta,
    Severity,
    severity_rank,
    unchecked_finding,
)
from .plugins import PluginError, PluginHost, PluginInfo, make_plugin_manager
from .readers import Source
from .rules import Context, Diagnostic, LexiconRule, Rule

__all__ = ["INTERNAL_ERROR", "FixResult", "Linter", "RuleFailed"]

#: The finding reported when a rule raises; it cannot be selected or ignored.
INTERNAL_ERROR = RuleMeta(
    code="IA900",
    name="internal-error",
    category="internal",
    severity="error",
    summary="A rule failed on this document; the other rules still ran.",
    rationale="A failing rule is a bug in that rule's plugin. Run with --strict to see the "
    "traceback.",
)


class RuleFailed(Exception):
    """Raised in ``strict`` mode when a rule raises: names the rule, not the text."""


@dataclass(frozen=True)
class FixResult:
    """The outcome of :meth:`Linter.fix_text`."""

    text: str
    applied: tuple[Finding, ...]
    remaining: tuple[Finding, ...]


@dataclass(frozen=True)
class _Suppression:
    start: int
    end: int
    selectors: tuple[str, ...]


#: per enabled rule: the rule, its metadata, its kinds if its ``applies_to`` is the
#: default (a test of ``meta.kinds``; else ``None``), and its configured severity
_Planned = tuple[Rule, RuleMeta, "tuple[Kind, ...] | None", "Severity | None"]
_DOCUMENT_ORDER = operator.attrgetter("start", "end", "code")


def _pick_severity(
    configured: Severity | None, given: Severity | None, default: Severity
) -> Severity:
    """A finding's severity: the configured one, else the diagnostic's own, else the
    rule's default."""
    return configured or given or default


_SUPPRESSION = regex.compile(
    r"<!--\s*inquiry-assist:\s*(?P<verb>disable-next-line|disable-line|disable|enable)"
    r"(?P<codes>[^>]{0,400}?)-->",
    regex.IGNORECASE,
)


class Linter:
    """Lints documents with the built-in and installed plugins.

    :param config: settings (see :class:`~inquiry_assist.config.Config`); defaults
        if omitted.
    :param plugins: extra plugin objects (modules or instances with hookimpls).
    :param load_entrypoints: load installed plugins; ``None`` follows
        ``$INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD``.
    :param blocked: plugin names not to load (``--no-plugin``).
    :param strict: re-raise a failing rule instead of reporting ``internal-error``.
    :raises PluginError: duplicate rule codes or names, or an invalid plugin.
    :raises ConfigError: an unknown rule selector or an invalid config term.
    """

    def __init__(
        self,
        config: Config | None = None,
        *,
        plugins: Iterable[object] = (),
        load_entrypoints: bool | None = None,
        blocked: Iterable[str] = (),
        strict: bool = False,
    ) -> None:
        self.config = config or Config()
        self.strict = strict
        pm, self.load_errors, origins = make_plugin_manager(
            load_entrypoints=load_entrypoints, blocked=blocked, extra_plugins=plugins
        )
        self._host = PluginHost(pm, origins)
        self.rules, self.rule_origin = self._collect_rules()
        self.lexicon = self._compile_lexicon()
        self._hits_factory = hits_for_context(self.lexicon)
        self.enabled_rules = self._select_rules()
        self._severity = self._resolve_severities()
        self.formats = self._collect_formats()
        self._planned: tuple[tuple[Rule, ...], tuple[_Planned, ...]] | None = None
        self._per_file = {
            glob: self._resolve(selectors, f"per-file-ignores[{glob!r}]")
            for glob, selectors in self.config.per_file_ignores.items()
        }

    # --- start-up ---------------------------------------------------------------------

    def _collect_rules(self) -> tuple[tuple[Rule, ...], dict[str, str]]:
        rules: list[Rule] = []
        origin: dict[str, str] = {}
        by_name: dict[str, str] = {}
        for plugin, given in self._host.rules():
            rule = given() if isinstance(given, type) else given
            if not isinstance(rule, Rule) or not isinstance(getattr(rule, "meta", None), RuleMeta):
                raise PluginError(f"plugin {plugin!r} registered {given!r}, which is not a Rule")
            code, name = rule.meta.code, rule.meta.name
            if code in origin or code == INTERNAL_ERROR.code:
                raise PluginError(
                    f"duplicate rule code {code}: registered by "
                    f"{origin.get(code, 'inquiry_assist')!r} and by {plugin!r}"
                )
            if name in by_name:
                raise PluginError(
                    f"duplicate rule name {name!r}: registered by {origin[by_name[name]]!r}"
                    f" and by {plugin!r}"
                )
            origin[code] = plugin
            by_name[name] = code
            rules.append(rule)
        return tuple(rules), origin

    def _compile_lexicon(self) -> Lexicon:
        packs: list[TermPack] = [pack for _, pack in self._host.term_packs()]
        if self.config.terms:
            try:
                packs.append(
                    term_pack_from_dict(
                        {"name": "config", "terms": list(self.config.terms)},
                        origin=f"{self.config.origin}: terms",
                    )
                )
            except LexiconError as exc:
                raise ConfigError(str(exc)) from None
        lexicon_rules = {
            key
            for rule in self.rules
            if isinstance(rule, LexiconRule)
            for key in (rule.meta.code, rule.meta.name)
        }
        try:
            return Lexicon(
                (term for pack in packs for term in pack.terms),
                known_rules=lexicon_rules.__contains__,
            )
        except LexiconError as exc:
            raise ConfigError(str(exc)) from None

    def _matches(self, selector: str, meta: RuleMeta) -> bool:
        if selector == "ALL":
            return True
        if selector in (meta.code, meta.name, meta.category):
            return True
        return bool(regex.fullmatch(r"[A-Z]+[0-9]*", selector)) and meta.code.startswith(selector)

    def _resolve(self, selectors: Iterable[str], where: str) -> frozenset[str]:
        """Codes matched by ``selectors``; an unknown selector is a ConfigError."""
        codes: set[str] = set()
        for selector in selectors:
            matched = {r.meta.code for r in self.rules if self._matches(selector, r.meta)}
            if not matched:
                raise ConfigError(
                    f"{self.config.origin}: {where}: unknown rule, code prefix or category "
                    f"{selector!r} (see `inquiry-assist rules`)"
                )
            codes |= matched
        return frozenset(codes)

    def _select_rules(self) -> tuple[Rule, ...]:
        cfg = self.config
        selected = (
            self._resolve(cfg.select, "select")
            if cfg.select is not None
            else frozenset(r.meta.code for r in self.rules)
        )
        selected |= self._resolve(cfg.extend_select, "extend-select")
        ignored = self._resolve(cfg.ignore, "ignore")
        # an explicit code in select beats an ignore by prefix or category, as in ruff
        explicit = {s for s in (cfg.select or ()) + cfg.extend_select}
        return tuple(
            r
            for r in self.rules
            if r.meta.code in selected
            and (r.meta.code not in ignored or r.meta.code in explicit or r.meta.name in explicit)
        )

    def _resolve_severities(self) -> dict[str, Severity]:
        def specificity(selector: str) -> int:
            # category < code prefix (by length) < name or full code
            if any(selector == r.meta.category for r in self.rules):
                return 0
            if any(selector in (r.meta.code, r.meta.name) for r in self.rules):
                return 100
            return len(selector)

        out: dict[str, Severity] = {}
        for selector in sorted(self.config.severity, key=specificity):
            for code in self._resolve([selector], f"severity.{selector}"):
                out[code] = self.config.severity[selector]
        return out

    def _collect_formats(self) -> dict[str, Format]:
        formats: dict[str, Format] = {}
        for plugin, fmt in self._host.formats():
            if fmt.name in formats:
                raise PluginError(f"duplicate output format {fmt.name!r} from plugin {plugin!r}")
            formats[fmt.name] = fmt
        return formats

    # --- introspection ----------------------------------------------------------------

    def plugins(self) -> list[PluginInfo]:
        """The loaded plugins and the hooks each implements."""
        return self._host.plugins()

    def rule(self, key: str) -> Rule | None:
        """The registered rule with this code or name (case-insensitive code)."""
        for r in self.rules:
            if key in (r.meta.name, r.meta.code) or key.upper() == r.meta.code:
                return r
        return None

    def severity_of(self, rule: Rule, diagnostic: Diagnostic | None = None) -> Severity:
        given = diagnostic.severity if diagnostic is not None else None
        return _pick_severity(self._severity.get(rule.meta.code), given, rule.meta.severity)

    def fails(self, findings: Iterable[Finding]) -> bool:
        """Whether any finding reaches the configured ``fail-on`` severity."""
        threshold = severity_rank(self.config.fail_on)
        return any(severity_rank(f.severity) >= threshold for f in findings)

    # --- reading ----------------------------------------------------------------------

    def read(self, source: Source) -> Iterator[Document | InputError]:
        """Documents and input errors from one input, through the reader plugins."""
        try:
            result = self._host.read(source)
            if result is None:
                yield InputError(path=source.path, message="no reader handles this input")
                return
            yield from result
        except OSError as exc:
            yield InputError(path=source.path, message=f"cannot read: {exc.strerror or exc}")
        except Exception as exc:  # a reader plugin bug: report, keep going
            if self.strict:
                raise
            yield InputError(
                path=source.path, message=f"reader failed with {type(exc).__name__}; not linted"
            )

    # --- linting ----------------------------------------------------------------------

    def annotate(self, document: Document) -> Annotations:
        """The shared annotations for ``document`` (built-in plus plugins')."""
        annotations = annotate(document.text)
        annotations.extra.update(self._host.annotate(document, annotations))
        return annotations

    def lint_text(self, text: str, kind: Kind = "note", path: str = "-") -> list[Finding]:
        """Lint a string. ``kind`` is ``note`` or ``goal``; ``path`` is echoed in
        findings (and matched against per-file-ignores)."""
        return self.lint_document(Document(text=text, kind=kind, source=path))

    def lint_document(self, document: Document) -> list[Finding]:
        """Run every enabled rule on ``document``; findings in document order."""
        text = document.text
        size = len(text)
        ctx = Context(document, self.annotate(document), self._hits_factory, self.lexicon)
        ignored = self._ignored_for(document.source)
        suppressions = _suppressions(text)
        lines: _LineIndex | None = None  # built at the first finding
        kind, path, location = document.kind, document.source, document.location
        findings: list[Finding] = []
        for rule, meta, kinds, configured in self._plan():
            if (ignored and meta.code in ignored) or not (
                kind in kinds if kinds is not None else rule.applies_to(document)
            ):
                continue
            try:
                diagnostics = list(rule.check(ctx))
            except Exception as exc:
                if self.strict:
                    raise RuleFailed(
                        f"rule {meta.code} ({meta.name}) from plugin "
                        f"{self.rule_origin[meta.code]!r} raised {type(exc).__name__}"
                    ) from exc
                findings.append(self._internal_error(rule, exc, document))
                continue
            for d in diagnostics:
                start, end = d.start, d.end
                if not 0 <= start <= end <= size:
                    findings.append(self._internal_error(rule, ValueError("span"), document))
                    break
                if suppressions and _suppressed(suppressions, start, meta):
                    continue
                if lines is None:
                    lines = _LineIndex(text)
                line, column, end_line, end_column = lines.span(start, end)
                # unchecked: every field comes from validated metadata and checked
                # offsets, and validation would cost more than the rule that found it.
                findings.append(
                    unchecked_finding(
                        {
                            "code": meta.code,
                            "name": meta.name,
                            "category": meta.category,
                            "severity": _pick_severity(configured, d.severity, meta.severity),
                            "message": d.message,
                            "start": start,
                            "end": end,
                            "line": line,
                            "column": column,
                            "end_line": end_line,
                            "end_column": end_column,
                            "text": text[start:end],
                            "suggestions": d.suggestions,
                            "path": path,
                            "location": location,
                        }
                    )
                )
        findings.sort(key=_DOCUMENT_ORDER)
        return findings

    def _plan(self) -> tuple[_Planned, ...]:
        """Per enabled rule: the rule, its metadata, ``meta.kinds`` when its
        ``applies_to`` is the default test of them (``None`` when it is its own), and
        its configured severity. Rebuilt if ``enabled_rules`` is replaced."""
        rules = self.enabled_rules
        planned = self._planned
        if planned is None or planned[0] is not rules:
            planned = (
                rules,
                tuple(
                    (
                        rule,
                        rule.meta,
                        rule.meta.kinds
                        if type(rule).applies_to is Rule.applies_to
                        and "applies_to" not in getattr(rule, "__dict__", {})
                        else None,
                        self._severity.get(rule.meta.code),
                    )
                    for rule in rules
                ),
            )
            self._planned = planned
        return planned[1]

    def _internal_error(self, rule: Rule, exc: Exception, doc: Document) -> Finding:
        # The exception's own message may quote note text: name the type only.
        return Finding(
            code=INTERNAL_ERROR.code,
            name=INTERNAL_ERROR.name,
            category=INTERNAL_ERROR.category,
            severity="error",
            message=f"rule {rule.meta.code} ({rule.meta.name}) from plugin "
            f"{self.rule_origin[rule.meta.code]!r} failed with {type(exc).__name__}; "
            "the other rules still ran (use --strict for the traceback)",
            start=0,
            end=0,
            line=1,
            column=1,
            end_line=1,
            end_column=1,
            text="",
            path=doc.source,
            location=doc.location,
        )

    def _ignored_for(self, source: str) -> frozenset[str]:
        if not self._per_file or source == "-":
            return frozenset()
        candidates = {PurePath(source).as_posix(), PurePath(source).name}
        root = self.config.root
        if root is not None:
            with contextlib.suppress(ValueError):
                candidates.add(Path(source).resolve().relative_to(root).as_posix())
        out: set[str] = set()
        for glob, codes in self._per_file.items():
            if any(fnmatch.fnmatchcase(c, glob) for c in candidates):
                out |= codes
        return frozenset(out)

    # --- fixing -----------------------------------------------------------------------

    def fix_text(self, text: str, kind: Kind = "note", *, unsafe: bool = False) -> FixResult:
        """Apply the first suggestion of each finding (``safe`` ones, and ``unsafe``
        ones too when ``unsafe``), never inside the client's own words; overlapping
        fixes are applied left to right, the later one skipped."""
        document = Document(text=text, kind=kind)
        findings = self.lint_document(document)
        annotations = annotate(text)
        applicable = {"safe", "unsafe"} if unsafe else {"safe"}
        applied: list[Finding] = []
        pieces: list[str] = []
        cursor = 0
        for f in findings:
            suggestion = next((s for s in f.suggestions if s.applicability in applicable), None)
            if suggestion is None or f.start < cursor or f.start == f.end:
                continue
            if annotations.overlaps_client_words(f.start, f.end):
                continue
            pieces.append(text[cursor : f.start])
            pieces.append(suggestion.replacement)
            cursor = f.end
            applied.append(f)
        pieces.append(text[cursor:])
        new_text = "".join(pieces)
        remaining = self.lint_document(Document(text=new_text, kind=kind)) if applied else findings
        return FixResult(new_text, tuple(applied), tuple(remaining))

    def describe(self) -> dict[str, Any]:
        """Rules and plugins as plain data (``inquiry-assist rules --format json``)."""
        enabled = {r.meta.code for r in self.enabled_rules}
        return {
            "rules": [
                {
                    **r.meta.model_dump(
                        mode="json", include={"code", "name", "category", "summary"}
                    ),
                    "severity": self.severity_of(r),
                    "plugin": self.rule_origin[r.meta.code],
                    "enabled": r.meta.code in enabled,
                }
                for r in self.rules
            ]
        }

    # --- FHIR (issue 6) ---------------------------------------------------------------

    def lint_resource(self, resource: object, *, persist: bool = False) -> dict[str, Any]:
        """Lint a FHIR resource (dict, JSON text or ``fhir.resources`` model; R4, R4B or
        R5) and return a ``$validate``-style ``OperationOutcome`` as a JSON-ready dict:
        one per linted resource, a ``collection`` Bundle of them for a Bundle input
        (``persist`` adds a ``DetectedIssue`` per finding). See docs/fhir.md."""
        from .fhir.outcome import lint_resource

        return lint_resource(self, resource, persist=persist, fhir_version=self.config.fhir_version)

    def fix_resource(self, resource: object, *, unsafe: bool = False) -> dict[str, Any]:
        """Fix the notes of a FHIR resource: a ``transaction`` Bundle holding a new
        ``DocumentReference`` per changed note (``relatesTo`` replaces the original) and
        a ``Provenance``; the input is never modified. See docs/fhir.md."""
        from .fhir.fix import fix_resource

        return fix_resource(self, resource, unsafe=unsafe).bundle


class _LineIndex:
    """1-based line and column (in code points) for offsets of one text."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def span(self, start: int, end: int) -> tuple[int, int, int, int]:
        """Line and column of ``start``, then of ``end`` (``start <= end``): one
        search when both are on the same line, as most findings are."""
        starts = self._starts
        line = bisect.bisect_right(starts, start) - 1
        first = starts[line]
        if line + 1 == len(starts) or end < starts[line + 1]:
            return line + 1, start - first + 1, line + 1, end - first + 1
        end_line = bisect.bisect_right(starts, end, line + 1) - 1
        return line + 1, start - first + 1, end_line + 1, end - starts[end_line] + 1


def _suppressions(text: str) -> list[_Suppression]:
    # "<" first: a one-character search, and no comment can match without it
    if "<" not in text or "inquiry-assist:" not in text:
        return []
    out: list[_Suppression] = []
    open_regions: list[tuple[int, tuple[str, ...]]] = []
    for m in _SUPPRESSION.finditer(text):
        verb = m.group("verb").lower()
        selectors = tuple(regex.findall(r"[\w-]+", m.group("codes")))
        if verb == "disable-next-line":
            line_end = text.find("\n", m.end())
            if line_end == -1:
                continue
            start = line_end + 1
            while start < len(text) and text[start] == "\n":
                start += 1
            end = text.find("\n", start)
            out.append(_Suppression(start, len(text) if end == -1 else end, selectors))
        elif verb == "disable-line":
            line_start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            out.append(_Suppression(line_start, len(text) if end == -1 else end, selectors))
        elif verb == "disable":
            open_regions.append((m.end(), selectors))
        else:  # enable: closes the regions it names (all, if it names none)
            still_open = []
            for start, sel in open_regions:
                if not selectors or set(sel) & set(selectors) or not sel:
                    out.append(_Suppression(start, m.start(), sel))
                else:
                    still_open.append((start, sel))
            open_regions = still_open
    out.extend(_Suppression(start, len(text), sel) for start, sel in open_regions)
    return out


def _suppressed(suppressions: Sequence[_Suppression], offset: int, meta: RuleMeta) -> bool:
    for s in suppressions:
        if s.start <= offset <= s.end and (
            not s.selectors
            or any(
                sel in (meta.code, meta.name, meta.category) or meta.code.startswith(sel)
                for sel in s.selectors
            )
        ):
            return True
    return False
