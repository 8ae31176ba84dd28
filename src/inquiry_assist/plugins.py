"""The plugin layer: a plugin manager per :class:`~inquiry_assist.Linter`, and a typed
facade so the engine never touches the untyped ``pm.hook``.

Plugins come from three places, registered in this order (the order is
deterministic, and it is the order their rules and formats are listed in):

1. the built-in plugins (``BUILTIN_PLUGINS``), through the same hooks as anyone's;
2. entry points in the ``inquiry_assist`` group, sorted by name, loaded one at a
   time so a broken plugin is reported by name and the rest still load (set
   ``INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD=1`` to skip them);
3. plugin objects passed to the ``Linter`` (tests, embedding hosts).

Any of them can be blocked by name (``--no-plugin NAME``).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from . import hookspecs
from .hookspecs import PROJECT_NAME

if TYPE_CHECKING:
    from .annotations import Annotations
    from .formats import Format
    from .lexicon import TermPack
    from .model import Document
    from .readers import ReadResult, Source
    from .rules import Rule

__all__ = [
    "AUTOLOAD_ENV",
    "BUILTIN_PLUGINS",
    "PluginHost",
    "PluginInfo",
    "PluginLoadError",
    "make_plugin_manager",
]

AUTOLOAD_ENV = "INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD"

#: name -> module of the built-in plugins, in registration order.
BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (
    ("language", "inquiry_assist.builtin.language"),
    ("goal", "inquiry_assist.builtin.goal"),
    ("consent", "inquiry_assist.builtin.consent"),
    ("text-reader", "inquiry_assist.readers.text"),
    ("fhir-reader", "inquiry_assist.fhir.reader"),
    ("formats", "inquiry_assist.formats.builtin"),
)


@dataclass(frozen=True)
class PluginLoadError:
    """A plugin that could not be loaded: its name and why (no traceback)."""

    name: str
    message: str


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: name, where it came from, version, hooks it implements."""

    name: str
    origin: str  # "builtin", the distribution name, or "local"
    version: str | None
    hooks: tuple[str, ...]


def autoload_disabled() -> bool:
    return os.environ.get(AUTOLOAD_ENV, "").strip().lower() not in ("", "0", "false", "no")


def make_plugin_manager(
    *,
    load_entrypoints: bool | None = None,
    blocked: Iterable[str] = (),
    extra_plugins: Iterable[object] = (),
) -> tuple[pluggy.PluginManager, list[PluginLoadError], dict[str, str]]:
    """Build a fresh plugin manager.

    Returns the manager, the plugins that failed to load, and a map of plugin
    name to origin. ``load_entrypoints=None`` follows ``$INQUIRY_ASSIST_DISABLE_PLUGIN_AUTOLOAD``.
    """
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    blocked = set(blocked)
    errors: list[PluginLoadError] = []
    origins: dict[str, str] = {}
    for name, module in BUILTIN_PLUGINS:
        if name in blocked:
            pm.set_blocked(name)
            continue
        pm.register(importlib.import_module(module), name=name)
        origins[name] = "builtin"
    if load_entrypoints is None:
        load_entrypoints = not autoload_disabled()
    if load_entrypoints:
        eps = sorted(
            metadata.entry_points(group=PROJECT_NAME),
            key=lambda ep: (ep.name, ep.value),
        )
        for ep in eps:
            if ep.name in blocked or ep.name in origins:
                if ep.name in origins:
                    errors.append(
                        PluginLoadError(ep.name, "a plugin with this name is already loaded")
                    )
                continue
            try:
                plugin = ep.load()
                pm.register(plugin, name=ep.name)
            except Exception as exc:  # a broken plugin must not stop the others
                errors.append(PluginLoadError(ep.name, f"{type(exc).__name__}: {exc}"))
                continue
            origins[ep.name] = ep.dist.name if ep.dist is not None else "entry point"
    for plugin in extra_plugins:
        name = plugin_name(plugin)
        if name in blocked:
            continue
        if name in origins:
            name = f"{name}-{len(origins)}"
        pm.register(plugin, name=name)
        origins[name] = "local"
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {exc.plugin!r} implements an unknown hook: {exc}") from None
    return pm, errors, origins


def plugin_name(plugin: object) -> str:
    """A readable name for a plugin object: its ``name`` attribute, module name or
    class name."""
    name = getattr(plugin, "name", None)
    if isinstance(name, str) and name:
        return name
    if isinstance(plugin, ModuleType):
        return plugin.__name__
    if isinstance(plugin, type):
        return plugin.__name__
    return type(plugin).__name__


class PluginError(RuntimeError):
    """Start-up cannot continue (duplicate rule codes, an invalid plugin)."""


class PluginHost:
    """Typed facade over a plugin manager: one method per hook.

    Register-style hooks are called plugin by plugin, so the host knows which
    plugin handed over each rule, term pack and format.
    """

    def __init__(self, pm: pluggy.PluginManager, origins: Mapping[str, str]) -> None:
        self._pm = pm
        self._origins = dict(origins)
        self._has_annotators = bool(pm.hook.inquiry_assist_annotate.get_hookimpls())

    def _each(self, hook: pluggy.HookCaller) -> Iterable[tuple[str, Callable[..., Any]]]:
        # pluggy lists hookimpls last-registered first; we want registration order
        # (tryfirst/trylast still respected), which is deterministic.
        for impl in hook.get_hookimpls():
            yield impl.plugin_name, impl.function

    def rules(self) -> list[tuple[str, Rule | type[Rule]]]:
        """``(plugin name, rule)`` from every plugin, in registration order."""
        out: list[tuple[str, Rule | type[Rule]]] = []
        for name, fn in self._each(self._pm.hook.inquiry_assist_register_rules):
            fn(register=lambda rule, _n=name: out.append((_n, rule)))
        return out

    def term_packs(self) -> list[tuple[str, TermPack]]:
        """``(plugin name, term pack)`` from every plugin, in registration order."""
        out: list[tuple[str, TermPack]] = []
        for name, fn in self._each(self._pm.hook.inquiry_assist_register_terms):
            fn(register=lambda pack, _n=name: out.append((_n, pack)))
        return out

    def formats(self) -> list[tuple[str, Format]]:
        out: list[tuple[str, Format]] = []
        for name, fn in self._each(self._pm.hook.inquiry_assist_register_formats):
            fn(register=lambda fmt, _n=name: out.append((_n, fmt)))
        return out

    def read(self, source: Source) -> ReadResult | None:
        result: ReadResult | None = self._pm.hook.inquiry_assist_read(source=source)
        return result

    def annotate(self, document: Document, annotations: Annotations) -> dict[str, object]:
        if not self._has_annotators:
            return {}
        merged: dict[str, object] = {}
        for result in self._pm.hook.inquiry_assist_annotate(
            document=document, annotations=annotations
        ):
            if result:
                merged.update(result)
        return merged

    def plugins(self) -> list[PluginInfo]:
        """Loaded plugins with the hooks each implements, in registration order."""
        infos: list[PluginInfo] = []
        for name, plugin in self._pm.list_name_plugin():
            if plugin is None:
                continue
            hooks = tuple(sorted(caller.name for caller in self._pm.get_hookcallers(plugin) or ()))
            origin = self._origins.get(name, "local")
            version = None
            if origin not in ("builtin", "local", "entry point"):
                try:
                    version = metadata.version(origin)
                except metadata.PackageNotFoundError:
                    version = None
            elif origin == "builtin":
                from . import __version__

                version = __version__
            infos.append(PluginInfo(name, origin, version, hooks))
        return infos
