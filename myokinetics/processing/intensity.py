"""Stage 3: intensity for every second (stateless, vectorised).

%HRR = (HR - HRrest)/(HRmax - HRrest) (Karvonen); %VO2R from %HRR by Swain & Leutholtz 1997
(%HRR = intercept + slope x %VO2R); VO2 = VO2rest + %VO2R x (VO2max - VO2rest); energy from
:mod:`myokinetics.processing.energy`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from myokinetics.athlete import Athlete
from myokinetics.processing._numeric import frame_from_arrays
from myokinetics.processing.clean import CleanBlock
from myokinetics.processing.energy import vo2_kcal_min
from myokinetics.processing.params import presets

__all__ = ["INTENSITY_COLUMNS", "columns_frame", "intensity_columns", "intensity_frame",
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


def intensity_columns(block: CleanBlock, athlete: Athlete) -> dict[str, np.ndarray]:
    """The arrays of :data:`INTENSITY_COLUMNS` by name, in order (see :func:`intensity_frame`)."""
    params = presets()["intensity"]
    hr = block.hr
    # The athlete is resolved: these fields are filled.
    assert athlete.hr_rest is not None and athlete.hr_max is not None
    assert athlete.vo2max is not None and athlete.zones is not None
    hrr = np.maximum((hr - athlete.hr_rest) / (athlete.hr_max - athlete.hr_rest), 0.0) * 100.0
    vo2r = np.maximum((hrr - params["swain_intercept_pct"]) / params["swain_slope"], 0.0)
    vo2_rest = params["vo2_rest_ml_kg_min"]
    vo2 = vo2_rest + vo2r / 100.0 * (athlete.vo2max - vo2_rest)
    zone = np.searchsorted(np.asarray(athlete.zones[:-1]), hr, side="left") + 1.0
    zone[np.isnan(hr)] = np.nan
    energy = vo2_kcal_min(vo2, athlete)
    arrays = (hr, hrr, vo2r, vo2, vo2 / athlete.vo2max * 100.0, zone, energy, ~np.isnan(hr),
              block.bridged)
    return dict(zip(INTENSITY_COLUMNS, arrays, strict=True))


def intensity_frame(block: CleanBlock, athlete: Athlete) -> pd.DataFrame:
    """Per-second intensity of cleaned rows (see :data:`INTENSITY_COLUMNS`).

    Units: heart_rate bpm; pct_hrr, pct_vo2r, pct_vo2max %; vo2 mL/kg/min; zone 1-5 (float,
    NaN without HR); energy_kcal_min kcal/min; valid = heart rate known (real or bridged);
    bridged = interpolated across a short dropout. %HRR is clamped at 0 (never negative).
    energy_kcal_min is :func:`~myokinetics.processing.energy.vo2_kcal_min` (the pipeline puts
    cycling power's energy in its place where a cycling activity has power).
    """
    return columns_frame(intensity_columns(block, athlete), block.sec)


def columns_frame(columns: dict[str, np.ndarray], sec: np.ndarray) -> pd.DataFrame:
    """The intensity frame from :func:`intensity_columns` output and epoch seconds."""
    return frame_from_arrays(list(columns.values()), _COLUMNS, utc_index(sec))
