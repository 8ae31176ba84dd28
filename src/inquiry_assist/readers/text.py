"""The built-in reader for plain-text and markdown notes (and stdin)."""

from __future__ import annotations

from ..hookspecs import hookimpl
from . import ReadResult, Source, iter_text_source

#: Suffixes this reader claims. Anything else falls through to other readers; a
#: file no reader claims is read as text too (see :func:`inquiry_assist_read`).
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".note")


@hookimpl(trylast=True)
def inquiry_assist_read(source: Source) -> ReadResult | None:
    """Read ``.txt``/``.md`` files and stdin as one document each.

    As the last reader tried, it also reads any input no other reader claimed
    (a file named explicitly on the command line with another suffix)."""
    return iter_text_source(source)
