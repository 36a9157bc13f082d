"""Live load and estimator numbers for the dashboard (filled in once processing lands)."""

from __future__ import annotations

from typing import Any

__all__ = ["make_live_analysis"]


def make_live_analysis(athlete: Any) -> Any | None:
    """The live analysis for ``athlete``, or None while the processing stages are absent."""
    return None
