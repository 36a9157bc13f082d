"""Whole body: insulin sensitivity, EPOC and energy expenditure.

Insulin sensitivity is a leaky sum of net exercise energy (kcal). EPOC is processing's model
(:mod:`myokinetics.processing.epoc`: a fast debt ~ the O2 deficit and a slow one ~ net O2 x
exp(intensity)), run for every simulated individual and repaid as excess O2 at rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from myokinetics.estimators.body.drive import Drive
from myokinetics.estimators.kinetics import relax
from myokinetics.processing.energy import o2_energy_kj_per_l
from myokinetics.processing.epoc import slow_drive
from myokinetics.processing.params import presets

if TYPE_CHECKING:
    from myokinetics.estimators.dynamics import ModelParameters

__all__ = ["step"]

KJ_PER_KCAL = presets()["energy"]["kj_per_kcal"]
#: Intensity (fraction of VO2max) at which ``epoc.slow_share`` applies: processing's EPOC model.
EPOC_REFERENCE = presets()["epoc"]["reference_fraction"]


def step(s: dict[str, np.ndarray], p: ModelParameters, d: Drive,
         e: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Advance insulin action and EPOC; return the insulin dose (kcal, raw), energy
    expenditure (kcal/min, step mean) and EPOC repaid since the bout began (L O2)."""
    fast0, slow0 = s["epoc_fast"], s["epoc_slow"]
    if d.active:
        s["si_dose"] = relax(s["si_dose"], d.net_ee / p.si_k, e["si"])
        s["epoc_fast"] = e["fast"] * fast0 + e["fast_gain"] * d.net_vo2_l
        slow_source = p.epoc_share * slow_drive(d.net_vo2_l, d.x, p.epoc_exp, EPOC_REFERENCE)
        s["epoc_slow"] = e["slow"] * slow0 + e["slow_gain"] * slow_source
        s["vo2_excess"] = np.zeros(p.n)
        energy = d.ee * p.ee_mult
    else:
        s["si_dose"] = s["si_dose"] * e["si"]
        s["epoc_fast"], s["epoc_slow"] = fast0 * e["fast"], slow0 * e["slow"]
        # What left the debts was repaid as excess O2.
        repaid = (fast0 - s["epoc_fast"]) + (slow0 - s["epoc_slow"])
        s["epoc_cum"] = s["epoc_cum"] + repaid
        s["vo2_excess"] = s["epoc_fast"] * p.epoc_fast_k + s["epoc_slow"] * p.epoc_slow_k
        rer = 0.7 * p.phi_rest + 1.0 * (1.0 - p.phi_rest)
        kcal_per_l = o2_energy_kj_per_l(rer) / KJ_PER_KCAL
        energy = (p.vo2_rest_l + repaid / d.dt_min) * kcal_per_l
    return {"insulin_sensitivity": s["si_dose"], "energy_expenditure": energy,
            "epoc": s["epoc_cum"]}
