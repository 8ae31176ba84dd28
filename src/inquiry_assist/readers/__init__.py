"""Readers turn inputs into documents. The built-in ones are plugins like any other."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import BinaryIO

from ..model import Document, InputError, Kind

__all__ = ["DEFAULT_MAX_BYTES", "ReadResult", "Source", "decode_text"]

#: Default size limit for one input file (``max-file-size`` in config).
DEFAULT_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Source:
    """An input to read.

    ``path`` is the input as the user named it (``-`` for stdin); ``open`` returns a
    fresh binary stream. Readers must enforce ``max_bytes`` for whole-file reads
    (use :meth:`read_bytes`); a streaming reader enforces it per record instead.
    """

    path: str
    open: Callable[[], BinaryIO]
    kind: Kind = "note"
    max_bytes: int = DEFAULT_MAX_BYTES
    fhir_version: str = "auto"
    options: dict[str, object] = field(default_factory=dict)

    @property
    def suffixes(self) -> list[str]:
        """Lower-cased suffixes (``['.ndjson', '.gz']``); empty for stdin."""
        return [s.lower() for s in PurePath(self.path).suffixes] if self.path != "-" else []

    def read_bytes(self) -> bytes:
        """The whole input, or :class:`InputTooLarge` past ``max_bytes``."""
        with self.open() as stream:
            data = stream.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise InputTooLarge(self.max_bytes)
        return data

    @classmethod
    def from_bytes(cls, path: str, data: bytes, **kwargs: object) -> Source:
        return cls(path=path, open=lambda: io.BytesIO(data), **kwargs)  # type: ignore[arg-type]


class InputTooLarge(Exception):
    """Raised by :meth:`Source.read_bytes`; carries the limit, never the content."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"file is larger than the {limit:,}-byte limit (max-file-size)")
        self.limit = limit


#: What a reader returns: documents and input errors, in input order (may stream).
ReadResult = Iterable[Document | InputError]


def decode_text(data: bytes, path: str, charset: str = "utf-8") -> str | InputError:
    """Decode note bytes strictly, or return an error that names the file (never the
    content): binary data, a bad encoding, or an empty note."""
    if b"\x00" in data:
        return InputError(path=path, message="binary file (contains NUL bytes); not linted")
    try:
        text = data.decode(charset)
    except (UnicodeDecodeError, LookupError) as exc:
        where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        return InputError(path=path, message=f"not valid {charset} text{where}; not linted")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return InputError(path=path, message="empty file; nothing to lint")
    return text


def iter_text_source(source: Source) -> Iterator[Document | InputError]:
    """Read a plain-text or markdown note (or goal) as one document."""
    try:
        data = source.read_bytes()
    except InputTooLarge as exc:
        yield InputError(path=source.path, message=str(exc))
        return
    except OSError as exc:
        yield InputError(path=source.path, message=f"cannot read: {exc.strerror or exc}")
        return
    text = decode_text(data, source.path)
    if isinstance(text, InputError):
        yield text
        return
    media = "text/markdown" if source.suffixes[-1:] in ([".md"], [".markdown"]) else "text/plain"
    yield Document(text=text, kind=source.kind, source=source.path, media_type=media)
