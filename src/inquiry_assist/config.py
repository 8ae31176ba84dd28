"""Configuration, ruff-style: ``[tool.inquiry-assist]`` in ``pyproject.toml`` or the
top level of ``inquiry-assist.toml``, found by walking up from the linted file.

Example ``inquiry-assist.toml``::

    select = ["language", "G2"]          # category, code prefix, code or name
    ignore = ["weight-or-age-label"]
    fail-on = "error"
    max-file-size = 2_000_000

    [severity]
    L101 = "error"

    [per-file-ignores]
    "intake/*.md" = ["consent"]

    [[terms]]
    phrase = "frequent attender"
    rule = "difficult-patient-label"
    replacements = ["attends often"]
    why = "Labels the client by how often they come."
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .model import Kind, Severity
from .readers import DEFAULT_MAX_BYTES

__all__ = ["CONFIG_FILENAME", "Config", "ConfigError", "find_config", "load_config"]

CONFIG_FILENAME = "inquiry-assist.toml"
PYPROJECT_TABLE = "inquiry-assist"


class ConfigError(ValueError):
    """Invalid configuration: the message names the file and the key."""


class Config(BaseModel):
    """The settings. Keys use kebab-case in TOML (``fail-on``) and snake_case in
    Python (``fail_on``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = Field(default=(), alias="extend-select")
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = Field(default_factory=dict)
    per_file_ignores: Mapping[str, tuple[str, ...]] = Field(
        default_factory=dict, alias="per-file-ignores"
    )
    fail_on: Severity = Field(default="warning", alias="fail-on")
    max_file_size: int = Field(default=DEFAULT_MAX_BYTES, alias="max-file-size", gt=0)
    kind: Kind | None = None
    exclude: tuple[str, ...] = ()
    fhir_version: Literal["auto", "R4", "R4B", "R5"] = Field(default="auto", alias="fhir-version")
    terms: tuple[Mapping[str, Any], ...] = ()
    #: the directory per-file-ignores are relative to (the config file's folder)
    root: Path | None = Field(default=None, exclude=True)
    #: where the settings came from, for messages
    origin: str = Field(default="defaults", exclude=True)

    def with_overrides(self, **changes: Any) -> Config:
        """A copy with command-line overrides applied (``None`` values are skipped)."""
        data = {k: v for k, v in changes.items() if v is not None}
        return self.model_copy(update=data)


def _parse(data: Mapping[str, Any], origin: str, root: Path | None) -> Config:
    try:
        return Config.model_validate({**data, "root": root, "origin": origin})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or "(top level)"
            if err["type"] == "extra_forbidden":
                problems.append(f"unknown key {key!r}")
            else:
                problems.append(f"{key}: {err['msg']}")
        raise ConfigError(f"{origin}: " + "; ".join(problems)) from None


def load_config(path: Path) -> Config:
    """Read settings from ``inquiry-assist.toml`` or a ``pyproject.toml``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get(PYPROJECT_TABLE, {})
    elif PYPROJECT_TABLE in data.get("tool", {}):
        data = data["tool"][PYPROJECT_TABLE]
    return _parse(data, str(path), path.parent.resolve())


def _has_table(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return PYPROJECT_TABLE in data.get("tool", {})


def find_config(start: Path) -> Path | None:
    """The nearest ``inquiry-assist.toml``, or ``pyproject.toml`` with a
    ``[tool.inquiry-assist]`` table, in ``start``'s folder or above."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        own = folder / CONFIG_FILENAME
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None
