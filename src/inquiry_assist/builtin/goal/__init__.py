"""The built-in ``goal`` plugin."""

from __future__ import annotations

from collections.abc import Callable

from ...hookspecs import hookimpl
from ...rules import Rule

RULES: tuple[type[Rule], ...] = ()


@hookimpl
def inquiry_assist_register_rules(register: Callable[[Rule | type[Rule]], None]) -> None:
    for rule in RULES:
        register(rule)
