"""The hooks a plugin can implement. One string names them all: ``inquiry_assist``.

Every hook but :func:`inquiry_assist_read` collects results from all plugins.
The ``register_*`` hooks hand the plugin a ``register`` callable, so the host
validates what it receives, refuses duplicates, and knows which plugin gave what.
Built-in rules, readers and formats use these same hooks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .annotations import Annotations
    from .formats import Format
    from .lexicon import TermPack
    from .model import Document
    from .readers import ReadResult, Source
    from .rules import Rule

PROJECT_NAME = "inquiry_assist"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def inquiry_assist_register_rules(register: Callable[[Rule | type[Rule]], None]) -> None:
    """Register rules.

    :param register: call once per rule with a :class:`~inquiry_assist.Rule` subclass
        (instantiated with no arguments) or instance. A code or name that is already
        registered stops start-up with an error naming both plugins.
    """


@hookspec
def inquiry_assist_register_terms(register: Callable[[TermPack], None]) -> None:
    """Register lexicon term packs.

    :param register: call once per :class:`~inquiry_assist.lexicon.TermPack`
        (for a TOML file in your package, pass
        ``inquiry_assist.lexicon.builtin_pack("your_package", "terms.toml")``).
        Every term's ``rule`` must name a registered lexicon rule; all packs are
        compiled into one matcher with the built-in terms and the user's config terms.
    """


@hookspec(firstresult=True)
def inquiry_assist_read(source: Source) -> ReadResult | None:
    """Turn an input into documents.

    :param source: the input: its path as the user gave it (``-`` for stdin), a
        way to open it, the requested document kind and reading options.
    :return: a :class:`~inquiry_assist.readers.ReadResult` (an iterable of
        documents and input errors, which may stream), or ``None`` when this reader
        does not handle the input. The first reader that answers wins; mark a
        reader ``tryfirst=True`` to take precedence over the built-in ones.
    """


@hookspec
def inquiry_assist_annotate(
    document: Document, annotations: Annotations
) -> Mapping[str, object] | None:
    """Add annotations to a document before rules run.

    Called once per document (not per rule). Whatever mapping you return is merged
    into ``annotations.extra`` for rules to read; use a key that starts with your
    plugin's name.

    :param document: the document about to be linted.
    :param annotations: the built-in annotations (sentences, sections, quotes,
        negation scopes).
    """


@hookspec
def inquiry_assist_register_formats(register: Callable[[Format], None]) -> None:
    """Register output formats.

    :param register: call once per :class:`~inquiry_assist.formats.Format`; its
        ``name`` is what users pass to ``--format``.
    """
