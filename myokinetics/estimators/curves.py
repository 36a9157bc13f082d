"""Whole-timeline estimation and summaries of curves frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from myokinetics.estimators.columns import CURVES, MODEL_NOTE, ORGANS
from myokinetics.estimators.model import AthleteLike, CrosstalkModel, EstimatorInputError

__all__ = ["DEFAULT_HORIZON", "estimate_curves", "summarize_curves"]

DEFAULT_HORIZON = pd.Timedelta("24h")  #: recovery simulated after the last sample


def estimate_curves(intensity: pd.DataFrame, athlete: AthleteLike,
                    horizon: pd.Timedelta | str = DEFAULT_HORIZON,
                    model: CrosstalkModel | None = None) -> pd.DataFrame:
    """Curves over the whole timeline of ``intensity`` plus ``horizon`` of recovery.

    Parameters
    ----------
    intensity : DataFrame
        Per-second intensity frame (processing output); rows absent between recordings are rest.
    athlete : Athlete-like
        The athlete; ignored when ``model`` is given.
    horizon : Timedelta or str
        Recovery time simulated after the last sample (default 24 h).
    model : CrosstalkModel, optional
        A model carrying state from earlier activities (it is advanced in place); a new
        200-draw model when omitted.

    Returns
    -------
    DataFrame
        UTC index ``time``; for every quantity of DESIGN.md its median over the parameter draws
        and ``_lo``/``_hi`` 5th/95th percentiles. ``attrs["note"]`` says these are model
        estimates, not measurements; ``attrs["units"]`` gives the unit of each quantity.
    """
    horizon = pd.Timedelta(horizon)
    if horizon < pd.Timedelta(0):
        raise EstimatorInputError("horizon", f"{horizon} is negative", "give hours >= 0")
    if intensity.empty:
        raise EstimatorInputError("intensity", "no rows", "analyse a recording with heart rate")
    model = model or CrosstalkModel(athlete)
    end = intensity.index[-1] + pd.Timedelta(seconds=1) + horizon
    parts = [model.step(intensity), model.rest_until(end)]
    curves = pd.concat([p for p in parts if len(p)])
    curves.attrs["note"] = MODEL_NOTE
    curves.attrs["units"] = dict(CURVES)
    return curves


def summarize_curves(curves: pd.DataFrame) -> dict[str, dict[str, object]]:
    """Peak, time of peak and area per quantity (central column, with the band at the peak).

    Returns
    -------
    dict
        ``{name: {"unit", "organs", "baseline", "peak", "peak_lo", "peak_hi", "time_of_peak"
        (ISO UTC), "area", "area_unit"}}``; ``organs`` lists the DESIGN.md organ groups the
        quantity belongs to (sender or receiver of the signal). ``area`` is the time integral
        of the excursion from the first row (baseline) in unit x hours; for ``epoc`` (already
        cumulative) it is the final value.
        Minimum rather than maximum is reported for ``glycogen`` (``"extreme": "min"``).
    """
    if curves.empty:
        return {}
    hours = (curves.index - curves.index[0]).total_seconds().to_numpy() / 3600.0
    summary: dict[str, dict[str, object]] = {}
    for name, unit in CURVES.items():
        values = curves[name].to_numpy()
        low = name == "glycogen"
        i = int(np.argmin(values) if low else np.argmax(values))
        base = float(values[0])
        excursion = values - base
        area = (float(values[-1]) if name == "epoc"
                else float(np.sum((excursion[1:] + excursion[:-1]) / 2 * np.diff(hours))))
        summary[name] = {
            "unit": unit, "organs": [o for o, names in ORGANS.items() if name in names],
            "extreme": "min" if low else "max", "baseline": base,
            "peak": float(values[i]), "peak_lo": float(curves[f"{name}_lo"].iloc[i]),
            "peak_hi": float(curves[f"{name}_hi"].iloc[i]),
            "time_of_peak": curves.index[i].isoformat(), "area": area,
            "area_unit": unit if name == "epoc" else f"({unit}) x h",
        }
    return summary
