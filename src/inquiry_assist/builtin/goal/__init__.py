"""The built-in ``goal`` plugin: collaborative, measurable treatment goals (G201..G206)."""

from __future__ import annotations

from collections.abc import Callable

from ...hookspecs import hookimpl
from ...rules import Rule
from .rules import RULES

__all__ = ["RULES", "inquiry_assist_register_rules"]


@hookimpl
def inquiry_assist_register_rules(register: Callable[[Rule | type[Rule]], None]) -> None:
    for rule in RULES:
        register(rule)
