"""The examples in docstrings run, so the documentation cannot drift from the code."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import inquiry_assist

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(inquiry_assist.__path__, "inquiry_assist.")
    if m.name != "inquiry_assist.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD", "1")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
