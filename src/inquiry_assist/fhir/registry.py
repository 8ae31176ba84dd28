"""What the reader remembers about resources it could not read, for the ``fhir`` format.

A document carries its resource's identity (id, FHIR version, subject) in its facts,
and the ``fhir`` format reads it from the report's linted documents. An
:class:`~inquiry_assist.model.InputError` carries only the input ``path`` and the
element's ``location``, so for a resource that produced errors the reader records its
identity here, keyed by ``(path, base FHIRPath of the resource)``. The store is
bounded (oldest entries go first) and holds no note text.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from .extract import ResourceRef

__all__ = ["base_of", "recall", "remember"]

#: Entries kept (a resource's entry is small: a few short strings).
MAX_ENTRIES = 10_000

_BASE = re.compile(
    r"^[A-Z][A-Za-z]*(?:\.where\(id='[A-Za-z0-9\-.]{1,64}'\))?(?:\.entry\[\d+\]\.resource)*"
)
_lock = threading.Lock()
_refs: OrderedDict[tuple[str, str], ResourceRef] = OrderedDict()


def base_of(location: str | None) -> str | None:
    """The base FHIRPath of the resource an element location belongs to.

    >>> base_of("Bundle.entry[2].resource.content[0].attachment.data")
    'Bundle.entry[2].resource'
    >>> base_of("DocumentReference.where(id='n1').content[0].attachment.data")
    "DocumentReference.where(id='n1')"
    """
    if not location:
        return None
    m = _BASE.match(location)
    return m.group(0) if m else None


def _put(store: OrderedDict[tuple[str, str], object], key: tuple[str, str], value: object) -> None:
    with _lock:
        store[key] = value
        store.move_to_end(key)
        while len(store) > MAX_ENTRIES:
            store.popitem(last=False)


def remember(path: str, ref: ResourceRef) -> None:
    """Record that ``ref`` was read from ``path``."""
    _put(_refs, (path, ref.base), ref)  # type: ignore[arg-type]


def recall(path: str, base: str) -> ResourceRef | None:
    """The resource read from ``path`` at ``base``, if still remembered."""
    return _refs.get((path, base))
