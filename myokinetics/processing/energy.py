"""Energy expenditure per second (kcal/min), by named variant.

* ``vo2r_rer`` (the default): gross VO2 from %HRR -> %VO2R (Swain & Leutholtz 1997) with the
  athlete's VO2max and body mass, capped at VO2max, times the energy equivalent of O2 at the
  RER of the substrate split at that intensity (Peronnet & Massicotte 1991).
* ``power_de``: in cycling, rest + mechanical power / delta efficiency (Ettema & Loras 2009;
  delta efficiency from Moseley & Jeukendrup 2001); the default uses it for every second
  with power in a cycling activity.
* ``keytel_hr`` / ``keytel_vo2max``: Keytel et al. 2005 from heart rate, sex, age, mass
  (and VO2max).

Every variant is floored at the resting rate (1 MET at the resting RER).
"""

from __future__ import annotations

import numpy as np

from myokinetics.athlete import Athlete
from myokinetics.processing.params import presets, sex_key
from myokinetics.processing.substrate import rer

__all__ = ["cycling_power", "keytel_kcal_min", "o2_energy_kj_per_l", "power_kcal_min",
           "resting_kcal_min", "vo2_kcal_min"]


def o2_energy_kj_per_l(rer_value: float | np.ndarray) -> float | np.ndarray:
    """Energy released per litre of O2 (kJ/L) at a respiratory exchange ratio (Peronnet &
    Massicotte 1991, presets ``[energy]``)."""
    energy = presets()["energy"]
    return energy["o2_kj_per_l_intercept"] + energy["o2_kj_per_l_per_rer"] * rer_value


def resting_kcal_min(athlete: Athlete) -> float:
    """Resting energy expenditure (kcal/min): 1 MET at the resting O2 energy equivalent."""
    params = presets()
    kj_per_l = o2_energy_kj_per_l(params["energy"]["rest_rer"])
    vo2_l_min = params["intensity"]["vo2_rest_ml_kg_min"] * athlete.body_mass_kg / 1000.0
    return float(vo2_l_min * kj_per_l / params["energy"]["kj_per_kcal"])


def keytel_kcal_min(hr: np.ndarray, athlete: Athlete, with_vo2max: bool) -> np.ndarray:
    """Keytel 2005 gross energy expenditure (kcal/min) floored at :func:`resting_kcal_min`.

    Parameters
    ----------
    hr : ndarray
        Heart rate (bpm); NaN gives NaN.
    athlete : Athlete
        Resolved profile (sex, age, body mass, VO2max).
    with_vo2max : bool
        Use the equation with VO2max (r = 0.913) instead of the HR-only one (r = 0.857).
    """
    energy = presets()["energy"]
    table = energy["with_vo2max" if with_vo2max else "hr_only"]
    key = sex_key(athlete.sex)
    if key == "neutral":
        coef = {c: (table["male"][c] + table["female"][c]) / 2 for c in table["male"]}
    else:
        coef = table[key]
    kj = (coef["c0"] + coef["c_hr"] * hr + coef["c_w"] * athlete.body_mass_kg
          + coef["c_age"] * athlete.age + coef["c_vo2"] * athlete.vo2max)
    return np.maximum(kj / energy["kj_per_kcal"], resting_kcal_min(athlete))


def vo2_kcal_min(vo2: np.ndarray, athlete: Athlete) -> np.ndarray:
    """Gross energy expenditure (kcal/min) from VO2 (mL/kg/min; NaN gives NaN).

    VO2 above VO2max is capped (what lies beyond is anaerobic, not oxygen); the O2 energy
    equivalent is taken at the RER of the substrate split at that intensity.
    """
    # The athlete is resolved: these fields are filled.
    assert athlete.vo2max is not None and athlete.body_mass_kg is not None
    x = np.minimum(vo2, athlete.vo2max) / athlete.vo2max
    kj_per_l = o2_energy_kj_per_l(rer(x))
    kcal = x * athlete.vo2max * athlete.body_mass_kg / 1000.0 * kj_per_l \
        / presets()["energy"]["kj_per_kcal"]
    return np.maximum(kcal, resting_kcal_min(athlete))


def power_kcal_min(power: np.ndarray, athlete: Athlete) -> np.ndarray:
    """Gross energy expenditure (kcal/min) from cycling power (W; NaN gives NaN): rest plus
    mechanical power over delta efficiency."""
    p = presets()
    efficiency = p["energy_model"]["delta_efficiency"]
    work_kcal_min = np.maximum(power, 0.0) * 60.0 / 1000.0 / p["energy"]["kj_per_kcal"]
    return resting_kcal_min(athlete) + work_kcal_min / efficiency


def cycling_power(sport: str | None) -> bool:
    """Whether an activity's power is cycling power (used for energy), by canonical sport."""
    return sport in presets()["energy_model"]["cycling_sports"]
