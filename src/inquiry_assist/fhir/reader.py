"""The built-in FHIR reader plugin (``.json``, ``.ndjson``, ``.ndjson.gz``) and the
``fhir`` output format.

A ``.json`` file holds one resource (a Bundle counts as one); an NDJSON bulk-export file
holds one resource per line and is streamed line by line (gzip-compressed too), each
line limited to ``max-file-size``, so memory stays flat however long the file is.
Neither path imports ``fhir.resources``.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterator
from typing import IO

from ..formats import Format
from ..hookspecs import hookimpl
from ..model import Document, InputError
from ..readers import InputTooLarge, ReadResult, Source
from .extract import Item, ReadContext, iter_resource, ndjson_base
from .registry import remember

__all__ = [
    "FHIR_SUFFIXES",
    "inquiry_assist_read",
    "iter_items",
    "json_error_message",
    "read_json_bytes",
]

FHIR_SUFFIXES = (".json", ".ndjson", ".ndjson.gz")


def _kind_of(source: Source) -> str | None:
    suffixes = source.suffixes
    if suffixes[-1:] == [".json"]:
        return "json"
    if suffixes[-1:] == [".ndjson"]:
        return "ndjson"
    if suffixes[-2:] == [".ndjson", ".gz"]:
        return "ndjson.gz"
    return None


@hookimpl
def inquiry_assist_read(source: Source) -> ReadResult | None:
    """Read FHIR JSON and NDJSON inputs; ``None`` for anything else."""
    kind = _kind_of(source)
    if kind is None:
        return None
    return _remembering(source.path, iter_items(source, kind))


def _remembering(path: str, items: Iterator[Item]) -> Iterator[Document | InputError]:
    # A document carries its resource's identity in its facts; an input error does
    # not, so the reader remembers which resource it belongs to for the fhir format.
    for ref, item in items:
        if ref is not None and isinstance(item, InputError):
            remember(path, ref)
        yield item


def json_error_message(exc: ValueError | RecursionError) -> str:
    """An error message for JSON that does not parse (position, never content)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}; not linted"
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply; not linted"
    return "malformed JSON (not UTF-8 text); not linted"


def read_json_bytes(data: bytes | str, ctx: ReadContext) -> Iterator[Item]:
    """Items from the text of one JSON resource."""
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError) as exc:
        yield None, InputError(path=ctx.path, message=json_error_message(exc))
        return
    yield from iter_resource(obj, ctx)


def iter_items(source: Source, kind: str) -> Iterator[Item]:
    """Items (resource, document-or-error) of a FHIR input, in input order."""
    if kind == "json":
        try:
            data = source.read_bytes()
        except InputTooLarge as exc:
            yield None, InputError(path=source.path, message=str(exc))
            return
        yield from read_json_bytes(data, _context(source))
        return
    with source.open() as raw:
        stream: IO[bytes] = (
            gzip.GzipFile(fileobj=raw) if kind == "ndjson.gz" else raw  # type: ignore[assignment]
        )
        try:
            yield from _ndjson(stream, source)
        except (OSError, EOFError, zlib.error):
            yield (
                None,
                InputError(
                    path=source.path, message="not a valid gzip file (or truncated); rest not read"
                ),
            )


def _context(source: Source) -> ReadContext:
    return ReadContext(
        path=source.path, requested_version=source.fhir_version, max_bytes=source.max_bytes
    )


def _ndjson(stream: IO[bytes], source: Source) -> Iterator[Item]:
    limit = source.max_bytes
    lineno = 0
    readline: Callable[[int], bytes] = stream.readline
    while True:
        line = readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the over-long line without holding it
                chunk = readline(65536)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield (
                None,
                InputError(
                    path=source.path,
                    message=f"line {lineno}: resource is larger than the {limit:,}-byte limit "
                    "(max-file-size); not linted",
                ),
            )
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:
            detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "not JSON"
            yield (
                None,
                InputError(
                    path=source.path,
                    message=f"line {lineno}: malformed JSON ({detail}); not linted",
                ),
            )
            continue
        ctx = _context(source)
        base = ndjson_base(obj) if isinstance(obj, dict) else None
        for ref, item in iter_resource(obj, ctx, base=base, top_level=False):
            if isinstance(item, InputError):
                item = item.model_copy(update={"message": f"line {lineno}: {item.message}"})
            yield ref, item


@hookimpl
def inquiry_assist_register_formats(register: Callable[[Format], None]) -> None:
    """Register the ``fhir`` output format."""
    from .outcome import render_fhir

    register(
        Format(
            name="fhir",
            description="FHIR OperationOutcome per resource ($validate style; a Bundle for "
            "several; --persist adds DetectedIssue)",
            render=render_fhir,
        )
    )
