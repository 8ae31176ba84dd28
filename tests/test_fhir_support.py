"""Shared helpers for the FHIR tests: a linter with two small, stable test rules.

The FHIR tests check reading, reporting and writing back, not rule quality, so they
lint with their own rules (FX901 flags "claims" with a safe fix; FX902 flags "admits"
with an unsafe one) instead of the built-in rules other work is changing. One test
per area also runs the built-in rules (tests/test_fhir_outcome.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from inquiry_assist import Linter
from inquiry_assist.config import Config
from inquiry_assist.hookspecs import hookimpl
from inquiry_assist.model import Document, InputError, RuleMeta, Suggestion
from inquiry_assist.plugins import BUILTIN_PLUGINS
from inquiry_assist.readers import Source
from inquiry_assist.rules import Context, Diagnostic, Rule

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "fhir_examples"
MALFORMED = EXAMPLES / "malformed"
KEEP_PLUGINS = ("text-reader", "fhir-reader", "formats")


class _WordRule(Rule):
    word: str
    replacement: str
    applicability: str

    def check(self, ctx: Context) -> Iterable[Diagnostic]:
        for m in re.finditer(rf"\b{self.word}\b", ctx.text):
            if ctx.annotations.overlaps_client_words(m.start(), m.end()):
                continue
            yield Diagnostic(
                m.start(),
                m.end(),
                f"test: “{self.word}”",
                (Suggestion(replacement=self.replacement, applicability=self.applicability),),  # type: ignore[arg-type]
            )


class ClaimsRule(_WordRule):
    meta = RuleMeta(
        code="FX901",
        name="fhir-test-claims",
        category="fhir-test",
        summary="Test rule: flags 'claims'.",
        rationale="Stable rule for the FHIR tests.",
    )
    word, replacement, applicability = "claims", "says", "safe"


class AdmitsRule(_WordRule):
    meta = RuleMeta(
        code="FX902",
        name="fhir-test-admits",
        category="fhir-test",
        summary="Test rule: flags 'admits'.",
        rationale="Stable rule for the FHIR tests.",
    )
    word, replacement, applicability = "admits", "says", "unsafe"


class TestRules:
    """A plugin registering the two test rules."""

    __test__ = False

    @hookimpl
    def inquiry_assist_register_rules(self, register: Any) -> None:
        register(ClaimsRule)
        register(AdmitsRule)


def make_linter(**settings: Any) -> Linter:
    """The built-in readers and formats plus the test rules only."""
    blocked = [name for name, _ in BUILTIN_PLUGINS if name not in KEEP_PLUGINS]
    return Linter(
        Config(**settings), plugins=[TestRules()], load_entrypoints=False, blocked=blocked
    )


def read(linter: Linter, path: Path | str, **kwargs: Any) -> list[Document | InputError]:
    """Read a file through the reader plugins."""
    p = str(path)
    return list(linter.read(Source(path=p, open=lambda: open(p, "rb"), **kwargs)))


def read_bytes(linter: Linter, name: str, data: bytes, **kw: Any) -> list[Document | InputError]:
    return list(linter.read(Source.from_bytes(name, data, **kw)))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def valid_examples() -> list[Path]:
    """Every valid example resource file (``.json``) outside ``malformed/``."""
    return sorted(p for p in EXAMPLES.rglob("*.json") if MALFORMED not in p.parents)


def ndjson_resources() -> Iterator[dict[str, Any]]:
    with open(EXAMPLES / "bulk" / "DocumentReference.ndjson", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def test_test_rules_flag_their_words() -> None:
    fhir_linter = make_linter()
    codes = [f.code for f in fhir_linter.lint_text("Client claims X and admits Y.")]
    assert codes == ["FX901", "FX902"]
    assert [r.meta.code for r in fhir_linter.enabled_rules] == ["FX901", "FX902"]
