"""inquiry-assist-sud-terms: a lexicon-only plugin (a term pack, no code rules).

The terms live in ``terms.toml`` beside this file. Each names the built-in rule
that reports it (``stigmatizing-substance-term``, ``blaming-language``), so the
findings, severities, ``--select``/``--ignore`` and suppression comments work
exactly as for the built-in terms.
"""

from __future__ import annotations

from collections.abc import Callable

from inquiry_assist import hookimpl
from inquiry_assist.lexicon import TermPack, builtin_pack

__all__ = ["TERMS_FILE", "inquiry_assist_register_terms", "term_pack"]
__version__ = "0.1.0"

TERMS_FILE = "terms.toml"


def term_pack() -> TermPack:
    """The pack as shipped in this package."""
    return builtin_pack(__name__, TERMS_FILE)


@hookimpl
def inquiry_assist_register_terms(register: Callable[[TermPack], None]) -> None:
    """Hand the term pack to inquiry-assist."""
    register(term_pack())
