"""Brain: serum BDNF, which rises within minutes of exercise above the ventilatory threshold.

Below the threshold serum BDNF barely changes (Ferris 2007, Goda 2013); above it the target
grows with the intensity above the threshold and is approached with a rise time of minutes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from myokinetics.estimators.body.drive import Drive
from myokinetics.estimators.kinetics import transient

if TYPE_CHECKING:
    from myokinetics.estimators.dynamics import ModelParameters

__all__ = ["step"]


def step(s: dict[str, np.ndarray], p: ModelParameters, d: Drive,
         e: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Advance BDNF; return its fold excess (raw)."""
    if d.active:
        target = p.bdnf_gain * np.maximum(d.x - p.x_vt, 0.0)
        s["bdnf"] = transient(s["bdnf"], target, e["bdnf_up"], e["bdnf_down"])
    else:
        s["bdnf"] = s["bdnf"] * e["bdnf_down"]
    return {"bdnf": s["bdnf"]}
