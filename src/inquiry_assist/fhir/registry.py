"""What the reader remembers about the resources it read, for the ``fhir`` format.

A :class:`~inquiry_assist.model.Finding` carries the input ``path`` and the element's
``location`` (FHIRPath) but not the resource's id, FHIR version or subject, which an
``OperationOutcome``/``DetectedIssue`` needs. Until findings carry that themselves, the
reader records it here, keyed by ``(path, base FHIRPath of the resource)``, together
with the offset anchors of narrative text. The store is bounded (oldest entries go
first) and holds no note text.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from .extract import ResourceRef

__all__ = ["base_of", "recall", "recall_segments", "remember", "remember_segments"]

#: Entries kept (a resource's entry is small: a few short strings).
MAX_ENTRIES = 10_000

_BASE = re.compile(
    r"^[A-Z][A-Za-z]*(?:\.where\(id='[A-Za-z0-9\-.]{1,64}'\))?(?:\.entry\[\d+\]\.resource)*"
)
_lock = threading.Lock()
_refs: OrderedDict[tuple[str, str], ResourceRef] = OrderedDict()
_segments: OrderedDict[tuple[str, str], tuple[tuple[int, int], ...]] = OrderedDict()


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


def remember_segments(path: str, location: str, segments: tuple[tuple[int, int], ...]) -> None:
    """Record the offset anchors of text extracted from markup."""
    if segments:
        _put(_segments, (path, location), segments)  # type: ignore[arg-type]


def recall_segments(path: str, location: str) -> tuple[tuple[int, int], ...]:
    """The anchors recorded for ``(path, location)`` (empty: offsets map to themselves)."""
    return _segments.get((path, location), ())
