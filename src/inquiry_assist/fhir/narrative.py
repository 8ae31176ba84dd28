"""XHTML narrative (and ``text/html`` attachments) to plain text, as data.

The markup is tokenised with one regular expression: no parser that could expand
entities from a DTD, load anything or run anything. ``<script>`` and ``<style>``
content, comments, processing instructions and doctypes are dropped; the XML
entities and HTML named/numeric character references are decoded from Python's
own table (an unknown ``&name;`` stays as written). Block elements (``p``, ``li``,
``br``, headings, ...) become line breaks, so sentences do not run together.

Every run of text records an anchor ``(text_offset, markup_offset)``, so an offset
in the extracted text maps back to the markup with
:meth:`inquiry_assist.model.Locator.to_source`.

>>> text, anchors = xhtml_to_text('<div><p>A &amp; B</p></div>')
>>> text
'A & B\\n'
"""

from __future__ import annotations

import re
from html.entities import html5

__all__ = ["xhtml_to_text"]

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comment
    r"|<!\[CDATA\[(?P<cdata>.*?)(?:\]\]>|\Z)"  # CDATA: its content is text
    r"|<![^>]*>?"  # doctype / declaration (never expanded)
    r"|<\?.*?(?:\?>|\Z)"  # processing instruction
    r"|<(?P<close>/)?(?P<tag>[A-Za-z][\w:.-]*)"
    r"(?:\s(?:[^>\"']|\"[^\"]*\"|'[^']*')*)?(?P<selfclose>/)?>"  # start/end tag
    r"|&(?P<entity>\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});",
    re.DOTALL,
)

#: Elements whose start and end separate lines of text.
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tfoot",
        "tr",
        "ul",
    }
)
#: Elements whose content is never text.
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})


def _entity(name: str) -> str | None:
    if name.startswith("#"):
        try:
            code = int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:])
            if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                return "\ufffd"
            return chr(code)
        except ValueError:
            return None
    return html5.get(name + ";")


def xhtml_to_text(markup: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Extract the text of ``markup``.

    :return: the text and its anchors ``(text_offset, markup_offset)`` (sorted by
        text offset; offsets are code points).
    """
    out: list[str] = []
    anchors: list[tuple[int, int]] = []
    length = 0
    pos = 0
    skip_until: str | None = None

    def emit(piece: str, source_at: int) -> None:
        nonlocal length
        if not piece:
            return
        if anchors and anchors[-1][0] == length:
            anchors[-1] = (length, source_at)
        else:
            anchors.append((length, source_at))
        out.append(piece)
        length += len(piece)

    def newline(source_at: int) -> None:
        if out and not out[-1].endswith("\n"):
            emit("\n", source_at)

    for m in _TOKEN.finditer(markup):
        if skip_until is not None:
            if m.group("close") and (m.group("tag") or "").lower() == skip_until:
                skip_until = None
                pos = m.end()
            continue
        if m.start() > pos:
            emit(markup[pos : m.start()], pos)
        pos = m.end()
        tag = m.group("tag")
        if tag is not None:
            name = tag.lower().rsplit(":", 1)[-1]
            if name in _SKIP and not m.group("close") and not m.group("selfclose"):
                skip_until = name
            elif name in _BLOCK:
                newline(m.start())
        elif m.group("cdata") is not None:
            emit(m.group("cdata"), m.start("cdata"))
        elif m.group("entity") is not None:
            decoded = _entity(m.group("entity"))
            emit(m.group(0) if decoded is None else decoded, m.start())
    if skip_until is None and pos < len(markup):
        emit(markup[pos:], pos)
    return "".join(out), tuple(anchors)
