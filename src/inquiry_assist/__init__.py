"""inquiry-assist: lint behavioural-health notes and goals for empathic inquiry.

>>> from inquiry_assist import Linter
>>> linter = Linter()
>>> for finding in linter.lint_text("Client claims she slept well."):
...     print(finding.code, finding.name, finding.text)
L101 doubt-marker claims
"""

from __future__ import annotations

from .hookspecs import hookimpl, hookspec
from .model import Document, Example, Finding, InputError, Locator, RuleMeta, Suggestion
from .rules import Context, Diagnostic, LexiconRule, Rule

__version__ = "0.1.0"

__all__ = [
    "Context",
    "Diagnostic",
    "Document",
    "Example",
    "Finding",
    "InputError",
    "LexiconRule",
    "Linter",
    "Locator",
    "Rule",
    "RuleMeta",
    "Suggestion",
    "__version__",
    "hookimpl",
    "hookspec",
]


def __getattr__(name: str) -> object:
    # Linter pulls in the plugin layer; keep `import inquiry_assist` light for plugins.
    if name == "Linter":
        from .engine import Linter

        return Linter
    raise AttributeError(name)


from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from .engine import Linter
