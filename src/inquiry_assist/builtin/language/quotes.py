"""A per-document index of the client's quoted words, for O(log n) overlap tests.

:meth:`Annotations.overlaps_client_words` scans every quote, which is fine for a
note but quadratic for a pathological text with tens of thousands of quotes and
hits. The language rules ask through this index instead; it is built once per
document and kept in ``annotations.extra``.

Besides the quotes the shared annotations attribute to the client, the index holds
a short quote the client *communicated* without speech: a word signed (in a sign
language, or with Lámh or Makaton key-word signs), fingerspelled, gestured, mouthed,
or picked on an AAC device or picture board ("Michael signed 'finish'"). That is
the client's own word, as after "said", not a scare quote.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ...annotations import Annotations

__all__ = ["ClientWords", "client_words", "communicated"]

_KEY = "inquiry_assist.language.client_words"
#: how far back the clause before a quote is read for a communication verb
_REACH = 60
#: a word communicated without speech: sign languages and key-word signing, gesture,
#: fingerspelling, mouthing, and AAC (a device, a picture or symbol board)
_COMMUNICATED_BEFORE = re.compile(
    r"\b(?:sign(?:ed|ing)|signs(?!\s+of\b)|sign\s+for|signal+(?:ed|ing|s)?|"
    r"finger-?spel(?:led|lt|ling|ls)?|spel(?:led|lt)(?:\s+out)?|gestur(?:e|es|ed|ing)|"
    r"mouth(?:s|ed|ing)|vocali[sz](?:es|ed|ing)|point(?:s|ed|ing)\s+(?:to|at)|"
    r"select(?:s|ed|ing)|tap(?:s|ped|ping)|press(?:es|ed|ing)|indicat(?:es|ed|ing)|"
    r"communicat(?:es|ed|ing)|makaton|l[aá]mh|auslan|asl|bsl|nzsl|isl|aac|pecs|talker|"
    # a questionnaire answer in the client's words: (item 10 response "hardly ever")
    r"responses?|responded|answer(?:s|ed)?|endorsed|rated|ticked|circled)\b"
)
#: "his 'finish' sign", "the 'more' card on her board"
_COMMUNICATED_AFTER = re.compile(r"\s*(?:signs?|symbols?|icons?|buttons?|cards?|gestures?)\b")
_CLAUSE_MARKS = ".;!?\n"


@dataclass(frozen=True, slots=True)
class ClientWords:
    """Inner spans of the client's quotes, sorted by start, with running max ends."""

    starts: list[int]
    reach: list[int]  # reach[i] = max end of spans 0..i

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` touches any of the client's quoted words."""
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start


def communicated(text: str, start: int, end: int) -> bool:
    """Whether the quote at ``[start, end)`` (marks included) holds a word the client
    signed, gestured or picked on a communication aid: a communication verb (or a
    sign system) earlier in its clause, or a sign/symbol/card word right after it.
    Reads at most 60 characters before the quote and 20 after it."""
    low = max(0, start - _REACH)
    begin = max(max(text.rfind(mark, low, start) for mark in _CLAUSE_MARKS) + 1, low)
    if _COMMUNICATED_BEFORE.search(text[begin:start].lower()) is not None:
        return True
    return _COMMUNICATED_AFTER.match(text[end : end + 20].lower()) is not None


def client_words(annotations: Annotations) -> ClientWords:
    """The (cached) index of ``annotations``' client quotes."""
    cached = annotations.extra.get(_KEY)
    if isinstance(cached, ClientWords):
        return cached
    text = annotations.text
    spans = sorted(
        (q.inner.start, q.inner.end)
        for q in annotations.quotes
        if q.role == "client" or communicated(text, q.start, q.end)
    )
    reach: list[int] = []
    best = -1
    for _, end in spans:
        best = max(best, end)
        reach.append(best)
    index = ClientWords([s for s, _ in spans], reach)
    annotations.extra[_KEY] = index
    return index
