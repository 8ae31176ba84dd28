"""Helpers for walking parsed FHIR JSON whose shape cannot be trusted."""

from __future__ import annotations

from typing import Any

__all__ = ["as_list"]


def as_list(value: object) -> list[Any]:
    """``value`` if it is a JSON array, else an empty list (a malformed element is
    reported or skipped by the caller, never iterated character by character)."""
    return value if isinstance(value, list) else []
