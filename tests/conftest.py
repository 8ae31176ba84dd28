"""Shared fixtures. Installed plugins are not auto-loaded in tests unless a test
asks for them, so results do not depend on what else is installed."""

from __future__ import annotations

import pytest

from inquiry_assist import Linter


@pytest.fixture(scope="session")
def builtin_linter() -> Linter:
    """A linter with the built-in plugins only and default settings."""
    return Linter(load_entrypoints=False)
