"""Whole body: insulin sensitivity, EPOC and energy expenditure.

Insulin sensitivity has an acute phase that follows carbohydrate oxidation above rest (the
contraction and glycogenolysis signal, so it scales steeply with intensity) and fades over
hours, and a late phase that follows the glycogen deficit over a day or two and saturates at
the largest next-day rise reported. EPOC is processing's model
(:mod:`myokinetics.processing.epoc`: a fast debt ~ the O2 deficit and a slow one ~ net O2 x
exp(intensity)), run for every simulated individual and repaid as excess O2 at rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from myokinetics.estimators.body.drive import Drive
from myokinetics.estimators.kinetics import relax, transient
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
    """Advance insulin action and EPOC; return insulin sensitivity (ratio to rested), energy
    expenditure (kcal/min, step mean) and EPOC repaid since the bout began (L O2)."""
    fast0, slow0 = s["epoc_fast"], s["epoc_slow"]
    # Late phase: a leaky average of the glycogen deficit (fraction) over insulin.tau.
    s["si_dose"] = relax(s["si_dose"], 1.0 - d.glycogen, e["si"])
    dose_n = s["si_dose"] ** p.si_hill
    late = p.si_emax * dose_n / (p.si_d50_n + dose_n)
    if d.active:
        cho_above_rest = np.maximum(p.cho_g * (1.0 - p.fat_share(d.x)) * d.vo2_l - p.cho_rest,
                                    0.0)
        s["si_acute"] = transient(s["si_acute"], p.si_acute_gain * cho_above_rest, e["si_up"],
                                  e["si_down"])
        s["epoc_fast"] = e["fast"] * fast0 + e["fast_gain"] * d.net_vo2_l
        slow_source = p.epoc_share * slow_drive(d.net_vo2_l, d.x, p.epoc_exp, EPOC_REFERENCE)
        s["epoc_slow"] = e["slow"] * slow0 + e["slow_gain"] * slow_source
        s["vo2_excess"] = np.zeros(p.n)
        energy = d.ee * p.ee_mult
    else:
        s["si_acute"] = s["si_acute"] * e["si_down"]
        s["epoc_fast"], s["epoc_slow"] = fast0 * e["fast"], slow0 * e["slow"]
        # What left the debts was repaid as excess O2.
        repaid = (fast0 - s["epoc_fast"]) + (slow0 - s["epoc_slow"])
        s["epoc_cum"] = s["epoc_cum"] + repaid
        s["vo2_excess"] = s["epoc_fast"] * p.epoc_fast_k + s["epoc_slow"] * p.epoc_slow_k
        rer = 0.7 * p.phi_rest + 1.0 * (1.0 - p.phi_rest)
        kcal_per_l = o2_energy_kj_per_l(rer) / KJ_PER_KCAL
        energy = (p.vo2_rest_l + repaid / d.dt_min) * kcal_per_l
    return {"insulin_sensitivity": 1.0 + s["si_acute"] + late, "energy_expenditure": energy,
            "epoc": s["epoc_cum"]}
