"""The built-in ``consent`` plugin: consent and pacing documentation (C301–C305).

Triggers, satisfiers and cues are TOML data in this package (see :mod:`.schema` for the
schema); term packs (config ``[[terms]]`` or a plugin's) may add triggers and
satisfiers as terms with ``subtype = "trigger"`` or ``"satisfier"`` and ``rule`` set to
a consent rule's code or name.
"""

from __future__ import annotations

from collections.abc import Callable

from ...hookspecs import hookimpl
from ...rules import Rule
from .rules import RULES


@hookimpl
def inquiry_assist_register_rules(register: Callable[[Rule | type[Rule]], None]) -> None:
    for rule in RULES:
        register(rule)
