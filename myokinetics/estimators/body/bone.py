"""Bone: irisin and undercarboxylated osteocalcin transients."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from myokinetics.estimators.body.drive import Drive
from myokinetics.estimators.body.transients import step_transients

if TYPE_CHECKING:
    from myokinetics.estimators.dynamics import ModelParameters

__all__ = ["step"]


def step(s: dict[str, np.ndarray], p: ModelParameters, d: Drive,
         e: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Advance irisin and osteocalcin; return their fold excesses (raw)."""
    step_transients(s, p, d, e, ("irisin", "ocn"))
    return {"irisin": s["irisin"], "osteocalcin": s["ocn"]}
