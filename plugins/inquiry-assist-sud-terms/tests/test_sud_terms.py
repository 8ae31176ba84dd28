"""Tests for the substance-use-services term pack, with the ``inquiry_assist.testing``
helpers (``register_plugin`` fixture, ``lint``), plus the installed entry point."""

from __future__ import annotations

import io
from collections.abc import Callable
from importlib import metadata

import inquiry_assist_sud_terms as plugin
import pytest

from inquiry_assist import LexiconRule, Linter
from inquiry_assist.cli import main
from inquiry_assist.testing import lint

PACK = plugin.term_pack()


def findings(text: str) -> list[tuple[str, str, list[str]]]:
    """(code, matched text, replacements) for what the pack's rules report."""
    return [
        (f.code, f.text, [s.replacement for s in f.suggestions])
        for f in lint(text, plugins=[plugin], select=["L102", "L105"])
    ]


def test_every_term_targets_a_builtin_lexicon_rule(
    register_plugin: Callable[[object], Linter],
) -> None:
    linter = register_plugin(plugin)  # would raise if a term named an unknown rule
    lexicon_rules = {
        key
        for rule in linter.rules
        if isinstance(rule, LexiconRule)
        for key in (rule.meta.code, rule.meta.name)
    }
    assert PACK.terms
    for term in PACK.terms:
        assert term.rule in lexicon_rules, term.phrase
        assert term.source, f"{term.phrase}: every term cites a public source"
        assert term.why, term.phrase


@pytest.mark.parametrize(
    ("text", "code", "matched", "replacement"),
    [
        ("Hx of EtOH abuse, sober since 2019.", "L105", "EtOH abuse", "alcohol use"),
        ("PMH: ETOH abuse.", "L105", "ETOH abuse", "alcohol use"),
        ("Client arrived dope sick and anxious.", "L105", "dope sick", "in opioid withdrawal"),
        ("Client was dopesick on arrival.", "L105", "dopesick", "in opioid withdrawal"),
        (
            "Client chose to relapse after the funeral.",
            "L102",
            "chose to relapse",
            "returned to use",
        ),
        ("Staff think he decided to relapse.", "L102", "decided to relapse", "returned to use"),
    ],
)
def test_pack_terms_are_flagged_with_replacements(
    text: str, code: str, matched: str, replacement: str
) -> None:
    found = [(c, m, [r.lower() for r in reps]) for c, m, reps in findings(text)]
    assert found == [(code, matched, [replacement.lower()])]


def test_info_severity_from_the_term() -> None:
    (finding,) = lint("Client was dope sick on arrival.", plugins=[plugin], select=["L105"])
    assert finding.severity == "info"


def test_client_words_are_never_flagged() -> None:
    assert findings('Client said, "I was dope sick and I chose to relapse."') == []


def test_negated_terms_are_not_flagged() -> None:
    assert findings("Client was not dope sick today.") == []


def test_clean_wording_passes() -> None:
    clean = (
        "Client takes buprenorphine as medication for opioid use disorder. "
        "She was in opioid withdrawal on arrival; hx of alcohol use disorder. She returned to "
        "use after the funeral."
    )
    assert findings(clean) == []


def test_pack_adds_only_terms_the_builtin_lexicon_lacks() -> None:
    """A term in both would be reported twice: the pack keeps to local terms."""
    builtin = {v for t in Linter(load_entrypoints=False).lexicon.terms for v in t.variants()}
    for term in PACK.terms:
        assert not term.variants() & builtin, term.phrase


# --- installed: the entry point, `inquiry-assist plugins`, `rules` and `explain` -------


def _cli(*args: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    out, err = io.StringIO(), io.StringIO()
    status = main([*args, "--isolated"], stdout=out, stderr=err)
    assert status == 0, err.getvalue()
    return out.getvalue()


def test_entry_point_is_installed() -> None:
    eps = {ep.name: ep.value for ep in metadata.entry_points(group="inquiry_assist")}
    assert eps.get("sud-terms") == "inquiry_assist_sud_terms"


def test_listed_by_plugins_and_its_terms_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    plugins = _cli("plugins", monkeypatch=monkeypatch)
    assert "sud-terms (inquiry-assist-sud-terms 0.1.0)" in plugins
    assert "inquiry_assist_register_terms" in plugins.split("sud-terms (", 1)[1]
    rules = _cli("rules", monkeypatch=monkeypatch)
    assert "stigmatizing-substance-term" in rules
    explained = _cli("explain", "stigmatizing-substance-term", monkeypatch=monkeypatch)
    assert "EtOH abuse → alcohol use" in explained
