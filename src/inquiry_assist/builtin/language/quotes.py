"""A per-document index of the client's quoted words, for O(log n) overlap tests.

:meth:`Annotations.overlaps_client_words` scans every quote, which is fine for a
note but quadratic for a pathological text with tens of thousands of quotes and
hits. The language rules ask through this index instead; it is built once per
document and kept in ``annotations.extra``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ...annotations import Annotations

__all__ = ["ClientWords", "client_words"]

_KEY = "inquiry_assist.language.client_words"


@dataclass(frozen=True, slots=True)
class ClientWords:
    """Inner spans of the client's quotes, sorted by start, with running max ends."""

    starts: list[int]
    reach: list[int]  # reach[i] = max end of spans 0..i

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` touches any of the client's quoted words."""
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start


def client_words(annotations: Annotations) -> ClientWords:
    """The (cached) index of ``annotations``' client quotes."""
    cached = annotations.extra.get(_KEY)
    if isinstance(cached, ClientWords):
        return cached
    spans = sorted((q.inner.start, q.inner.end) for q in annotations.quotes if q.role == "client")
    reach: list[int] = []
    best = -1
    for _, end in spans:
        best = max(best, end)
        reach.append(best)
    index = ClientWords([s for s, _ in spans], reach)
    annotations.extra[_KEY] = index
    return index
