"""The summary.json document of an analysis, and the JSON-safe copy every JSON output uses."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from myokinetics.analysis import Analysis

__all__ = ["plain", "summary"]


def plain(value: Any) -> Any:
    """JSON-safe copy: numpy scalars to Python, NaN/inf to None, timestamps to ISO 8601."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def summary(analysis: Analysis) -> dict[str, Any]:
    """The summary.json document: sources, athlete, totals with variants, curve peaks."""
    doc: dict[str, Any] = {
        "sources": [a.meta.as_dict() for a in analysis.activities],
        "start": analysis.intensity.index[0].isoformat() if len(analysis.intensity) else None,
        "end": analysis.intensity.index[-1].isoformat() if len(analysis.intensity) else None,
        "totals": {k: v for k, v in analysis.totals.items() if k != "variants"},
        "variants": analysis.totals.get("variants", {}),
        "warnings": analysis.warnings,
        "not_computed": analysis.not_computed,
    }
    if analysis.curves is not None:
        from myokinetics.estimators import MODEL_NOTE, summarize_curves

        doc["curves"] = {"note": MODEL_NOTE, "summary": summarize_curves(analysis.curves)}
    return plain(doc)
