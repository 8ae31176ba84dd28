"""Test helpers for plugin authors, registered as a pytest plugin.

Installed with inquiry-assist, so in any test suite you get:

``linter``
    a :class:`~inquiry_assist.Linter` with the built-in plugins only (installed
    plugins are not auto-loaded, so results do not depend on the environment).

``register_plugin``
    a function: ``register_plugin(plugin)`` returns a fresh ``Linter`` with the
    built-ins plus every plugin registered so far in this test; all of them are
    dropped when the test ends.

:func:`lint` (import it: ``from inquiry_assist.testing import lint``)
    lint a string with the built-ins plus the given plugins and return findings.

Example::

    from inquiry_assist.testing import lint

    def test_my_rule_flags(register_plugin):
        linter = register_plugin(my_plugin)
        assert [f.code for f in linter.lint_text("...")] == ["X101"]

    def test_my_rule_clean():
        assert lint("...", plugins=[my_plugin], select=["X101"]) == []
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import pytest

from .config import Config
from .model import Finding, Kind

if TYPE_CHECKING:
    from .engine import Linter

__all__ = ["lint", "make_linter"]


def make_linter(
    plugins: Iterable[object] = (), select: Sequence[str] | None = None, **config: object
) -> Linter:
    """A linter with the built-in plugins plus ``plugins``; entry points not loaded."""
    from .engine import Linter

    settings = Config(select=tuple(select) if select is not None else None, **config)
    return Linter(settings, plugins=plugins, load_entrypoints=False)


def lint(
    text: str,
    kind: Kind = "note",
    *,
    plugins: Iterable[object] = (),
    select: Sequence[str] | None = None,
) -> list[Finding]:
    """Lint ``text`` with the built-ins plus ``plugins``; optionally only ``select``."""
    return make_linter(plugins, select).lint_text(text, kind=kind)


@pytest.fixture
def linter() -> Linter:
    """A Linter with the built-in plugins only."""
    return make_linter()


@pytest.fixture
def register_plugin() -> Iterator[Callable[[object], Linter]]:
    """Register temporary plugins for one test; returns a Linter including them."""
    registered: list[object] = []

    def register(plugin: object) -> Linter:
        registered.append(plugin)
        return make_linter(registered)

    try:
        yield register
    finally:
        registered.clear()
