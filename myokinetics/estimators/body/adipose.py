"""Adipose tissue: plasma free fatty acids from acute and late lipolysis.

The acute part follows the net exercise energy rate; the late part is a two-stage response to
the net energy dose that peaks hours after exercise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from myokinetics.estimators.body.drive import Drive
from myokinetics.estimators.kinetics import chain, decay_chain, transient

if TYPE_CHECKING:
    from myokinetics.estimators.dynamics import ModelParameters

__all__ = ["step"]


def step(s: dict[str, np.ndarray], p: ModelParameters, d: Drive,
         e: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Advance the lipolysis states; return FFA as a fold excess over baseline (raw)."""
    if d.active:
        s["ffa_acute"] = transient(s["ffa_acute"], p.ffa_acute * d.net_ee, e["ffa_up"],
                                   e["ffa_down"])
        s["ffa_late_1"], s["ffa_late_2"] = chain(s["ffa_late_1"], s["ffa_late_2"],
                                                 p.ffa_late * d.net_ee, p.ffa_late_k,
                                                 p.ffa_late_k, p.ffa_late_k, e["ffa_late"],
                                                 e["ffa_late"], e["ffa_late_kernel"])
    else:
        s["ffa_acute"] = s["ffa_acute"] * e["ffa_down"]
        s["ffa_late_1"], s["ffa_late_2"] = decay_chain(s["ffa_late_1"], s["ffa_late_2"],
                                                       p.ffa_late_k, e["ffa_late"],
                                                       e["ffa_late"], e["ffa_late_kernel"])
    return {"ffa": s["ffa_acute"] + s["ffa_late_2"]}
