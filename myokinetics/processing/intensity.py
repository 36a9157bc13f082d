"""Stage 3: intensity for every second (stateless, vectorised).

%HRR = (HR - HRrest)/(HRmax - HRrest) (Karvonen); %VO2R from %HRR by Swain & Leutholtz 1997
(%HRR = intercept + slope x %VO2R); VO2 = VO2rest + %VO2R x (VO2max - VO2rest);
energy by Keytel 2005, floored at the resting rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from myokinetics.athlete import Athlete
from myokinetics.processing._numeric import frame_from_arrays
from myokinetics.processing.clean import CleanBlock
from myokinetics.processing.params import presets, sex_key

__all__ = ["INTENSITY_COLUMNS", "columns_frame", "energy_variant", "intensity_columns",
           "intensity_frame", "keytel_kcal_min", "o2_energy_kj_per_l", "resting_kcal_min",
           "utc_index"]

#: Columns of the per-second intensity frame (the estimators' input), in order.
INTENSITY_COLUMNS = ("heart_rate", "pct_hrr", "pct_vo2r", "vo2", "pct_vo2max", "zone",
                     "energy_kcal_min", "valid", "bridged")
_COLUMNS = pd.Index(INTENSITY_COLUMNS)
_UTC_NS = pd.DatetimeTZDtype("ns", "UTC")


def utc_index(sec: np.ndarray) -> pd.DatetimeIndex:
    """UTC ``DatetimeIndex`` named ``time`` from integer epoch seconds."""
    nanoseconds = np.asarray(sec, dtype=np.int64) * 1_000_000_000
    return pd.DatetimeIndex(nanoseconds.view("datetime64[ns]"), dtype=_UTC_NS, name="time")


def o2_energy_kj_per_l(rer: float | np.ndarray) -> float | np.ndarray:
    """Energy released per litre of O2 (kJ/L) at a respiratory exchange ratio (Peronnet &
    Massicotte 1991, presets ``[energy]``)."""
    energy = presets()["energy"]
    return energy["o2_kj_per_l_intercept"] + energy["o2_kj_per_l_per_rer"] * rer


def resting_kcal_min(athlete: Athlete) -> float:
    """Resting energy expenditure (kcal/min): 1 MET at the resting O2 energy equivalent."""
    params = presets()
    kj_per_l = o2_energy_kj_per_l(params["energy"]["rest_rer"])
    vo2_l_min = params["intensity"]["vo2_rest_ml_kg_min"] * athlete.body_mass_kg / 1000.0
    return vo2_l_min * kj_per_l / params["energy"]["kj_per_kcal"]


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


def energy_variant(athlete: Athlete) -> str:
    """Name of the Keytel equation used for ``energy_kcal_min``: VO2max only when measured."""
    with_vo2 = "vo2max" not in athlete.defaulted
    return f"keytel_{'vo2max' if with_vo2 else 'hr'}_{sex_key(athlete.sex)}"


def intensity_columns(block: CleanBlock, athlete: Athlete,
                      energy: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The arrays of :data:`INTENSITY_COLUMNS` by name, in order (see :func:`intensity_frame`)."""
    params = presets()["intensity"]
    hr = block.hr
    hrr = np.maximum((hr - athlete.hr_rest) / (athlete.hr_max - athlete.hr_rest), 0.0) * 100.0
    vo2r = np.maximum((hrr - params["swain_intercept_pct"]) / params["swain_slope"], 0.0)
    vo2_rest = params["vo2_rest_ml_kg_min"]
    vo2 = vo2_rest + vo2r / 100.0 * (athlete.vo2max - vo2_rest)
    zone = np.searchsorted(np.asarray(athlete.zones[:-1]), hr, side="left") + 1.0
    zone[np.isnan(hr)] = np.nan
    if energy is None:
        energy = keytel_kcal_min(hr, athlete, "vo2max" not in athlete.defaulted)
    arrays = (hr, hrr, vo2r, vo2, vo2 / athlete.vo2max * 100.0, zone, energy, ~np.isnan(hr),
              block.bridged)
    return dict(zip(INTENSITY_COLUMNS, arrays, strict=True))


def intensity_frame(block: CleanBlock, athlete: Athlete,
                    energy: np.ndarray | None = None) -> pd.DataFrame:
    """Per-second intensity of cleaned rows (see :data:`INTENSITY_COLUMNS`).

    Units: heart_rate bpm; pct_hrr, pct_vo2r, pct_vo2max %; vo2 mL/kg/min; zone 1-5 (float,
    NaN without HR); energy_kcal_min kcal/min; valid = heart rate known (real or bridged);
    bridged = interpolated across a short dropout. %HRR is clamped at 0 (never negative).
    ``energy`` (kcal/min), when given, is the Keytel variant already computed by the caller.
    """
    return columns_frame(intensity_columns(block, athlete, energy), block.sec)


def columns_frame(columns: dict[str, np.ndarray], sec: np.ndarray) -> pd.DataFrame:
    """The intensity frame from :func:`intensity_columns` output and epoch seconds."""
    return frame_from_arrays(list(columns.values()), _COLUMNS, utc_index(sec))
