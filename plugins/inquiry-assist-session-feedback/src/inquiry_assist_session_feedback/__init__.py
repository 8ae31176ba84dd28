"""inquiry-assist-session-feedback: an example plugin with a rule of its own.

It adds one rule in a new category, ``feedback``:

``FB101 session-feedback-not-documented``
    a session note that does not document asking the client for feedback on the
    session (what is helping, what is not, how the pace or approach fits).

The plugin is this module: inquiry-assist finds it through the entry point in
``pyproject.toml`` (group ``inquiry_assist``) and calls the hook below.
"""

from __future__ import annotations

from collections.abc import Callable

from inquiry_assist import Rule, hookimpl

from .rule import SessionFeedbackNotDocumented

__all__ = ["SessionFeedbackNotDocumented", "inquiry_assist_register_rules"]
__version__ = "0.1.0"


@hookimpl
def inquiry_assist_register_rules(register: Callable[[Rule | type[Rule]], None]) -> None:
    """Hand the plugin's rule to inquiry-assist."""
    register(SessionFeedbackNotDocumented)
