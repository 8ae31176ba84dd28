"""Structural validation with ``fhir.resources`` (imported here, lazily, and only here).

R4 data is validated with the R4B models (``fhir.resources`` has no R4 package; R4B
equals R4 for every resource inquiry-assist reads or writes). Validation is structural
only: the models check element names, types and cardinality, not invariants or
terminology.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from .versions import models_release

__all__ = ["validation_errors"]


def validation_errors(resource: Mapping[str, Any], version: str) -> list[str]:
    """Problems ``fhir.resources`` finds in ``resource`` for ``version`` (empty: valid).

    Each problem is ``FHIRPath: error type`` (no values, so no note text).
    """
    package = importlib.import_module(models_release(version))
    rtype = str(resource.get("resourceType"))
    try:
        cls = package.get_fhir_model_class(rtype)
    except (KeyError, ValueError, ImportError, AttributeError):
        return [f"{rtype}: unknown resource type for {version}"]
    from pydantic import ValidationError

    try:
        cls.model_validate(dict(resource))
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            path = rtype + "".join(
                f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.get("loc", ())
            )
            out.append(f"{path}: {err.get('type')}")
        return out
    return []
