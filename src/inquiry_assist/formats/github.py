"""The ``github`` output format: GitHub Actions workflow commands.

Each finding becomes one annotation line that GitHub shows on the pull request::

    ::warning file=notes/a.md,line=3,col=8,endLine=3,endColumn=14,title=L101 doubt-marker::...

``info`` findings are ``::notice``; an input that could not be read is an
``::error`` titled ``input error``. A finding in a FHIR resource names the file
but no line (its positions count within the element's text); its message starts
with the element's FHIRPath.

Values are escaped as the Actions runner expects: ``%``, ``\\r`` and ``\\n``
everywhere, and ``:`` and ``,`` inside properties too.
"""

from __future__ import annotations

from . import RenderOptions, Report
from .builtin import display_message

__all__ = ["escape_data", "escape_property", "render_github"]

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message (the part after ``::``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property value (``file=``, ``title=``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, properties: list[tuple[str, str | int]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{kind} {props}::{escape_data(message)}"


def render_github(report: Report, options: RenderOptions) -> str:
    """One workflow command per finding and per input error."""
    lines: list[str] = []
    for f in report.findings:
        message = display_message(f, report, options.redact)
        props: list[tuple[str, str | int]] = []
        if f.path != "-":
            props.append(("file", f.path))
        if f.location:
            message = f"{f.location}: {message}"
        elif f.path != "-":
            props += [
                ("line", f.line),
                ("col", f.column),
                ("endLine", f.end_line),
                ("endColumn", f.end_column),
            ]
        props.append(("title", f"{f.code} {f.name}"))
        lines.append(_command(_COMMANDS[f.severity], props, message))
    for e in report.errors:
        props = [("file", e.path)] if e.path != "-" else []
        props.append(("title", "input error"))
        message = f"{e.location}: {e.message}" if e.location else e.message
        lines.append(_command("error", props, message))
    return "".join(line + "\n" for line in lines)
