"""Brain: serum BDNF transient."""

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
    """Advance BDNF; return its fold excess (raw)."""
    step_transients(s, p, d, e, ("bdnf",))
    return {"bdnf": s["bdnf"]}
