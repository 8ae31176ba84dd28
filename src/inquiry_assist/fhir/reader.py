"""The built-in FHIR reader plugin (``.json``, ``.ndjson``, ``.ndjson.gz``)."""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..readers import ReadResult, Source


@hookimpl
def inquiry_assist_read(source: Source) -> ReadResult | None:
    """Claim FHIR JSON inputs. (Filled in by the FHIR issue.)"""
    return None
