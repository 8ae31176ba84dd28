"""The built-in ``language`` plugin: client-centred language rules and lexicon."""

from __future__ import annotations

from collections.abc import Callable

from ...hookspecs import hookimpl
from ...lexicon import TermPack, builtin_pack, mark_vetted
from ...rules import Rule
from .rules import RULES

#: the term packs shipped with the plugin, one per rule subtype (data, not code)
TERM_PACKS = (
    "doubt.toml",
    "blame.toml",
    "difficult.toml",
    "identity.toml",
    "substance.toml",
    "suicide.toml",
    "disability.toml",
    "weight_age.toml",
)


@hookimpl
def inquiry_assist_register_rules(register: Callable[[Rule | type[Rule]], None]) -> None:
    for rule in RULES:
        register(rule)


@hookimpl
def inquiry_assist_register_terms(register: Callable[[TermPack], None]) -> None:
    for filename in TERM_PACKS:
        # vetted: tests/test_language.py compiles and probes every pattern in these packs
        register(mark_vetted(builtin_pack(__name__, filename)))
