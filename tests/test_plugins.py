"""The plugin layer: entry points one at a time, blocking, autoload switch, order."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from importlib import metadata

import pytest

from inquiry_assist import Linter, hookimpl, plugins
from inquiry_assist.formats import Format
from inquiry_assist.lexicon import TermPack


def _module_plugin(name: str, code: str) -> types.ModuleType:
    from inquiry_assist import Rule, RuleMeta

    mod = types.ModuleType(name)

    class R(Rule):
        meta = RuleMeta(
            code=code, name=f"rule-{code.lower()}", category="demo", summary="s", rationale="r"
        )

        def check(self, ctx):  # type: ignore[no-untyped-def]
            return ()

    @hookimpl
    def inquiry_assist_register_rules(register: Callable[..., None]) -> None:
        register(R)

    mod.inquiry_assist_register_rules = inquiry_assist_register_rules  # type: ignore[attr-defined]
    return mod


@pytest.fixture
def fake_entry_points(monkeypatch: pytest.MonkeyPatch) -> list[metadata.EntryPoint]:
    good_b = _module_plugin("ia_demo_b", "D202")
    good_a = _module_plugin("ia_demo_a", "D201")
    monkeypatch.setitem(sys.modules, "ia_demo_b", good_b)
    monkeypatch.setitem(sys.modules, "ia_demo_a", good_a)
    eps = [
        metadata.EntryPoint(name="zeta", value="ia_demo_b", group="inquiry_assist"),
        metadata.EntryPoint(name="broken", value="ia_no_such_module_x", group="inquiry_assist"),
        metadata.EntryPoint(name="alpha", value="ia_demo_a", group="inquiry_assist"),
    ]
    monkeypatch.setattr(plugins.metadata, "entry_points", lambda group: list(eps))
    monkeypatch.delenv(plugins.AUTOLOAD_ENV, raising=False)
    return eps


def test_broken_entry_point_is_reported_by_name_and_others_load(fake_entry_points: object) -> None:
    linter = Linter()
    assert [e.name for e in linter.load_errors] == ["broken"]
    assert "ModuleNotFoundError" in linter.load_errors[0].message
    codes = [r.meta.code for r in linter.rules]
    # deterministic: built-ins first, then entry points sorted by name
    assert codes.index("D201") < codes.index("D202")
    assert linter.rule_origin["D201"] == "alpha"


def test_autoload_can_be_disabled(
    fake_entry_points: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(plugins.AUTOLOAD_ENV, "1")
    linter = Linter()
    assert not linter.load_errors and linter.rule("D201") is None


def test_blocked_entry_point_is_not_loaded(fake_entry_points: object) -> None:
    linter = Linter(blocked=["alpha", "broken"])
    assert not linter.load_errors and linter.rule("D201") is None and linter.rule("D202")


def test_each_linter_has_its_own_plugin_manager() -> None:
    first = Linter(plugins=[_module_plugin("ia_one", "D301")], load_entrypoints=False)
    second = Linter(load_entrypoints=False)
    assert first.rule("D301") is not None and second.rule("D301") is None


def test_plugins_lists_hooks(fake_entry_points: object) -> None:
    infos = {i.name: i for i in Linter().plugins()}
    assert infos["alpha"].hooks == ("inquiry_assist_register_rules",)
    assert infos["language"].origin == "builtin"


def test_term_pack_and_format_hooks() -> None:
    class Pack:
        name = "pack"

        @hookimpl
        def inquiry_assist_register_terms(self, register: Callable[[TermPack], None]) -> None:
            register(TermPack(name="p", terms=[{"phrase": "fibbed", "rule": "doubt-marker"}]))

        @hookimpl
        def inquiry_assist_register_formats(self, register: Callable[[Format], None]) -> None:
            register(Format("count", "number of findings", lambda r, o: f"{len(r.findings)}\n"))

    linter = Linter(plugins=[Pack()], load_entrypoints=False)
    assert [f.text for f in linter.lint_text("He fibbed.")] == ["fibbed"]
    assert "count" in linter.formats


def test_annotate_hook_feeds_rules() -> None:
    from inquiry_assist import Diagnostic, Rule, RuleMeta

    class Speaker:
        name = "speaker"

        @hookimpl
        def inquiry_assist_annotate(self, document, annotations):  # type: ignore[no-untyped-def]
            return {"speaker.first_word_end": document.text.find(" ")}

        @hookimpl
        def inquiry_assist_register_rules(self, register):  # type: ignore[no-untyped-def]
            class FirstWord(Rule):
                meta = RuleMeta(
                    code="S101", name="first-word", category="demo", summary="s", rationale="r"
                )

                def check(self, ctx):  # type: ignore[no-untyped-def]
                    end = ctx.annotations.extra["speaker.first_word_end"]
                    yield Diagnostic(0, end, "first word")

            register(FirstWord)

    linter = Linter(plugins=[Speaker()], load_entrypoints=False, config=None)
    assert [f.text for f in linter.lint_text("Hello there") if f.code == "S101"] == ["Hello"]


def test_read_hook_takes_precedence_with_tryfirst() -> None:
    from inquiry_assist import Document
    from inquiry_assist.readers import Source

    class Upper:
        name = "upper"

        @hookimpl(tryfirst=True)
        def inquiry_assist_read(self, source: Source):  # type: ignore[no-untyped-def]
            if not source.path.endswith(".upper"):
                return None
            return [Document(text=source.read_bytes().decode().lower(), source=source.path)]

    linter = Linter(plugins=[Upper()], load_entrypoints=False)
    docs = list(linter.read(Source.from_bytes("x.upper", b"CLIENT CLAIMS")))
    assert docs[0].text == "client claims"  # type: ignore[union-attr]
    docs = list(linter.read(Source.from_bytes("x.txt", b"CLIENT CLAIMS")))
    assert docs[0].text == "CLIENT CLAIMS"  # type: ignore[union-attr]


def test_testing_plugin_fixtures(
    linter: Linter, register_plugin: Callable[[object], Linter]
) -> None:
    assert linter.rule("L101") is not None
    extended = register_plugin(_module_plugin("ia_fixture", "D401"))
    assert extended.rule("D401") is not None
    from inquiry_assist.testing import lint

    assert [f.code for f in lint("Client claims x.", select=["L101"])] == ["L101"]
