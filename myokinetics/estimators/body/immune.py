"""Immune balance: IL-10 and IL-1ra driven by plasma IL-6, and the IL-15 transient."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from myokinetics.estimators.body.drive import Drive
from myokinetics.estimators.body.transients import step_transients
from myokinetics.estimators.kinetics import chain, relax

if TYPE_CHECKING:
    from myokinetics.estimators.dynamics import ModelParameters

__all__ = ["step"]


def step(s: dict[str, np.ndarray], p: ModelParameters, d: Drive,
         e: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Advance the cytokine states; return IL-10, IL-1ra and IL-15 fold excesses (raw)."""
    drive = (np.maximum(d.il6_excess, 0.0) / p.il6_base) ** p.cyto_exp
    s["il10"] = relax(s["il10"], p.il10_gain * drive, e["il10"])
    s["il1ra_1"], s["il1ra_2"] = chain(s["il1ra_1"], s["il1ra_2"],
                                       p.il1ra_gain * drive * p.il1ra_k, p.il1ra_k, p.il1ra_k,
                                       p.il1ra_k, e["il1ra"], e["il1ra"], e["il1ra_kernel"])
    step_transients(s, p, d, e, ("il15",))
    return {"il10": s["il10"], "il1ra": s["il1ra_2"], "il15": s["il15"]}
