"""Reading TOML data files, with a bytecode-style cache for the packs that ship with
the package.

Parsing the built-in term, consent and phrase packs with :mod:`tomllib` costs a
start-up of the command line about 20 ms. Python caches a module's bytecode in
``__pycache__`` beside it; a packaged TOML file is cached the same way: the parsed
data, with the source text it came from, is written (with :mod:`marshal`) to
``__pycache__/<name>.<cache tag>.marshal`` beside the file (or under
``sys.pycache_prefix``), and used only while the file still holds exactly that text.
Like bytecode, it is not written when ``sys.dont_write_bytecode`` is set (``python
-B``, ``PYTHONDONTWRITEBYTECODE``), nor where the folder cannot be written; any
failure to read or write it falls back to parsing the file. Only files shipped
inside an installed package are cached: configuration files and packs given by
path are read as they are and nothing is written beside them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
import os
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["cache_path", "read_toml"]

# bump when the layout of a cache file changes
_FORMAT = 1


def read_toml(
    source: str | Path | resources.abc.Traversable, *, packaged: bool = False
) -> dict[str, Any]:
    """Parse a TOML file: a path, or a package resource. ``packaged`` says that it
    ships inside an installed package, so it is read through the cache described in
    the module docstring.

    Raises :class:`OSError` or :class:`tomllib.TOMLDecodeError`."""
    text = (
        Path(source).read_text(encoding="utf-8")
        if isinstance(source, str | Path)
        else source.read_text("utf-8")
    )
    if not packaged or not isinstance(source, Path):  # (a zip file: nowhere to cache)
        return tomllib.loads(text)
    where = cache_path(source)
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        cached = marshal.loads(where.read_bytes())
        if (
            isinstance(cached, tuple)
            and len(cached) == 3
            and cached[0] == _FORMAT
            and cached[1] == text
            and isinstance(cached[2], dict)
        ):
            return cached[2]
    data = tomllib.loads(text)
    if not sys.dont_write_bytecode:
        _write(where, (_FORMAT, text, data), source)
    return data


def cache_path(source: Path) -> Path:
    """Where the cache of the TOML file ``source`` lives (honours ``sys.pycache_prefix``)."""
    # the bytecode path of a module named after the file, e.g. "phrases.toml.py" ->
    # __pycache__/phrases.toml.cpython-311.pyc, then its suffix changed
    return Path(importlib.util.cache_from_source(f"{source}.py")).with_suffix(".marshal")


def _write(where: Path, value: tuple[int, str, dict[str, Any]], source: Path) -> None:
    import tempfile  # only when writing: its imports cost a start-up a few ms

    try:
        blob = marshal.dumps(value)  # ValueError: a value marshal cannot hold (a date)
        mode = source.stat().st_mode & 0o666  # readable by whoever may read the source
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where.parent, prefix=f".{where.name}.", suffix=".tmp")
    except (OSError, ValueError):
        return
    try:
        with contextlib.suppress(OSError, AttributeError):  # (no fchmod on Windows)
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
        os.replace(tmp, where)  # atomic: a reader sees the old file or the new one
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
