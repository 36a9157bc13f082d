"""Working muscle: glucose uptake, substrate use and glycogen, lactate, IL-6 release.

Glucose uptake follows Roy & Parker 2007 (eqs. 4 and 13); fat and carbohydrate oxidation the
FATmax curve, low glycogen shifting carbohydrate demand to fat up to a ceiling tied to the
person's maximal fat oxidation (never above Fatmin); lactate Freund's two-compartment kinetics
with Mader-type removal, a steady state that saturates at the most lactate a bout produces
(Beneke 2007) and production that falls with glycogen; IL-6 is released by contraction, rising
steeply with intensity, times a transcription state that builds up with contraction time,
amplified by low glycogen, and passes from muscle to plasma. Sources: docs/science.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from myokinetics.estimators.body.drive import Drive
from myokinetics.estimators.kinetics import chain, decay_chain, relax

if TYPE_CHECKING:
    from myokinetics.estimators.dynamics import ModelParameters

__all__ = ["step"]


def step(s: dict[str, np.ndarray], p: ModelParameters, d: Drive,
         e: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Advance the muscle states; return glucose uptake (mg/kg/min), glycogen (fraction), fat
    and CHO oxidation (g/min, step means), lactate and plasma IL-6 above baseline (raw)."""
    u3 = 100.0 * d.u  # Roy & Parker u3 (%VO2max above basal)
    s["gup"] = relax(s["gup"], p.gup_gain * d.pvo2, e["a4"])
    s["pvo2"] = u3 + (d.pvo2 - u3) * e["rp"]

    g = d.glycogen
    phi = p.fat_share(d.x) if d.active else p.phi_rest
    cho_demand = p.cho_g * (1.0 - phi) * d.vo2_l
    uptake_ex_g = s["gup"] * p.mass / 1000.0
    from_glycogen = np.maximum(cho_demand - p.cho_rest - uptake_ex_g, 0.0)
    availability = (1.0 + p.gly_km) * g / (g + p.gly_km)
    use = from_glycogen * availability / p.store_g          # fraction of store per min
    s["glycogen"] = np.clip(relax(g, 1.0 - use / p.refill_k, e["refill"]), 0.0, 1.0)
    # What glycogen cannot supply moves to fat, up to a ceiling (a multiple of the person's
    # maximal fat oxidation) and never above Fatmin; the rest stays carbohydrate from blood
    # glucose and lactate.
    fat_base = p.fat_g * phi * d.vo2_l
    room = np.where(d.x < p.fatmin, np.maximum(p.fat_ceiling - fat_base, 0.0), 0.0)
    fat_extra = np.minimum(p.fat_g * from_glycogen * (1.0 - availability) / p.cho_g, room)

    if d.active:
        lac_ss = p.lac_thr * (np.exp((d.x - p.x_thr) / p.lac_width) - p.lac_rest_term)
        lac_ss = p.lac_ceiling * -np.expm1(-np.maximum(lac_ss, 0.0) / p.lac_ceiling)
        # Removal speeds up with VO2 while exercising (Mader: oxidative removal ~ VO2); the
        # steady state is unchanged, only how fast blood lactate approaches it.
        gamma2 = p.gamma2 * max(d.vo2_l / p.vo2_rest_l, 1.0) ** p.removal_exp
        # Glycolytic flux, and so lactate production, falls with muscle glycogen: blood lactate
        # drifts down during a long steady bout after its early rise.
        production = gamma2 * np.maximum(lac_ss, 0.0) * availability
        e2 = np.exp(-gamma2 * d.dt_min)
        diff = gamma2 - p.gamma1
        close = np.abs(diff) < 1e-9
        kernel = np.where(close, d.dt_min * e2, (e["g1"] - e2) / np.where(close, 1.0, diff))
        s["lac_m"], s["lac_s"] = chain(s["lac_m"], s["lac_s"], production, p.gamma1,
                                       p.gamma1, gamma2, e["g1"], e2, kernel)
        # Transcription builds up with contraction: dA/dt = (u / u_ref)(1 - A) / tau_on.
        activation = s["il6_a"]
        s["il6_a"] = 1.0 - (1.0 - activation) * np.exp(-p.il6_on * d.u / p.u_ref * d.dt_min)
        release = (p.il6_gain * (d.u / p.u_ref) ** p.il6_exp * 0.5 * (activation + s["il6_a"])
                   * (1.0 + p.il6_gly * (1.0 - g)))
        s["il6_m"], s["il6_p"] = chain(s["il6_m"], d.il6_excess, release, p.il6_km, p.il6_km,
                                       p.il6_kp, e["km"], e["kp"], e["il6_kernel"])
    else:
        s["lac_m"], s["lac_s"] = decay_chain(s["lac_m"], s["lac_s"], p.gamma1, e["g1"],
                                             e["g2"], e["lac_kernel"])
        s["il6_a"] = s["il6_a"] * e["il6_off"]
        s["il6_m"], s["il6_p"] = decay_chain(s["il6_m"], d.il6_excess, p.il6_km, e["km"],
                                             e["kp"], e["il6_kernel"])
    return {"il6": s["il6_p"], "lactate": s["lac_s"], "glycogen": s["glycogen"],
            "glucose_uptake": s["gup"], "fat_oxidation": fat_base + fat_extra,
            "cho_oxidation": cho_demand - fat_extra * p.cho_g / p.fat_g}
