"""Liver: hepatic glucose output (Roy & Parker 2007 eqs. 8, 9 and A14).

Production follows the filtered exercise intensity; glycogenolysis falls off once the
accumulated intensity area passes a threshold that grows with intensity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from myokinetics.estimators.body.drive import Drive
from myokinetics.estimators.kinetics import relax

if TYPE_CHECKING:
    from myokinetics.estimators.dynamics import ModelParameters

__all__ = ["step"]


def step(s: dict[str, np.ndarray], p: ModelParameters, d: Drive,
         e: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Advance the liver states; return hepatic glucose output above basal (mg/kg/min)."""
    u3 = 100.0 * d.u
    s["gprod"] = relax(s["gprod"], p.gprod_gain * d.pvo2, e["a2"])
    if u3 > 0.0:
        s["rp_area"] = s["rp_area"] + u3 * d.dt_min
        over = s["rp_area"] >= p.ath_quadratic * u3 ** 2 + p.ath_linear * u3
        s["ggly"] = np.minimum(s["ggly"] + np.where(over, p.k_gly * d.dt_min, 0.0), s["gprod"])
    else:
        s["rp_area"] = np.zeros(p.n)
        s["ggly"] = s["ggly"] * e["t1"]
    return {"hepatic_glucose_output": s["gprod"] - s["ggly"]}
