"""Numbers of one day from the estimator curves: peaks, areas, end values, means, totals.

The curves come on an irregular UTC grid (fine during exercise, coarse at rest). Each day is
cut out of the continuous run at its window bounds, with values at the bounds interpolated
linearly in time, so that the areas of consecutive days add up to the area of the whole run.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd

__all__ = ["DAY_ESTIMATES", "day_estimates", "day_slice"]

#: Quantities whose daily peak is reported (with the band at the peak and its time), taken from
#: :func:`myokinetics.estimators.summarize_curves` on the day's window.
PEAKS = ("il6", "il10", "il1ra", "irisin", "lactate")

#: What else a day reports per curve: ``area`` (time integral of the excursion above the
#: model's rested value, curve unit x h), ``end`` (value at the end of the day), ``mean``
#: (time-weighted mean over the day), ``total_g`` (integral of a g/min curve, g).
DAY_ESTIMATES: dict[str, tuple[str, ...]] = {
    "il6": ("area",),
    "glycogen": ("end",),
    "insulin_sensitivity": ("end", "mean"),
    "fat_oxidation": ("total_g",),
    "cho_oxidation": ("total_g",),
}

#: The three columns kept per quantity: median curve, 5th and 95th percentile curves.
BANDS = ("", "_lo", "_hi")


def day_slice(curves: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Rows of ``curves`` in ``[start, end]`` with rows at both bounds (linear in time).

    Parameters
    ----------
    curves : DataFrame
        UTC ``DatetimeIndex``, sorted, numeric columns.
    start, end : Timestamp
        UTC bounds of the window.

    Returns
    -------
    DataFrame
        Empty when ``curves`` has no rows touching the window.
    """
    if curves.empty or end <= start or curves.index[-1] < start or curves.index[0] > end:
        return curves.iloc[0:0]
    assert isinstance(curves.index, pd.DatetimeIndex)  # curve frames are indexed by time
    index = curves.index.as_unit("ns")
    low, high = max(start, index[0]), min(end, index[-1])
    inside = index[(index > low) & (index < high)]
    grid = pd.DatetimeIndex([low], name=index.name).as_unit("ns").append(inside)
    if high > low:
        grid = grid.append(pd.DatetimeIndex([high]).as_unit("ns"))
    # DatetimeIndex.append(DatetimeIndex) is a DatetimeIndex; the stubs say Index[Timestamp]
    wanted = cast(pd.DatetimeIndex, grid).asi8.astype("float64")
    known = index.asi8.astype("float64")
    return pd.DataFrame({c: np.interp(wanted, known, curves[c].to_numpy(dtype="float64"))
                         for c in curves}, index=grid.rename(index.name))


def _hours(index: pd.DatetimeIndex) -> np.ndarray:
    return (index - index[0]).total_seconds().to_numpy() / 3600.0


def day_estimates(curves: pd.DataFrame, rested: dict[str, float]) -> dict[str, Any] | None:
    """The day's statistics from a window cut by :func:`day_slice`.

    Parameters
    ----------
    curves : DataFrame
        The day's window of the curves (all DESIGN.md columns with their bands).
    rested : dict
        The model's value of each column at rest (the baseline of areas).

    Returns
    -------
    dict or None
        ``{quantity: {...}}``: for :data:`PEAKS` the ``peak``, ``peak_lo``, ``peak_hi`` (band
        at the peak), ``time_of_peak`` and ``unit``; for :data:`DAY_ESTIMATES` the named
        statistics of the median curve and, suffixed ``_lo``/``_hi``, of the 5th and 95th
        percentile curves. None when the window has fewer than two rows.
    """
    from myokinetics.estimators import CURVES, summarize_curves

    if len(curves) < 2:
        return None
    summary = summarize_curves(curves)
    out: dict[str, Any] = {}
    for name in PEAKS:
        peak = summary[name]
        out[name] = {key: peak[key] for key in
                     ("peak", "peak_lo", "peak_hi", "time_of_peak", "unit")}
    assert isinstance(curves.index, pd.DatetimeIndex)  # curve frames are indexed by time
    hours = _hours(curves.index)
    for name, stats in DAY_ESTIMATES.items():
        grams = stats == ("total_g",)
        values = out.setdefault(name, {"unit": "g over the day" if grams else CURVES[name]})
        for suffix in BANDS:
            column = f"{name}{suffix}"
            y = curves[column].to_numpy(dtype="float64")
            for stat in stats:
                if stat == "area":
                    values[f"area{suffix}"] = float(np.trapezoid(y - rested[column], hours))
                elif stat == "end":
                    values[f"end{suffix}"] = float(y[-1])
                elif stat == "mean":
                    values[f"mean{suffix}"] = float(np.trapezoid(y, hours) / hours[-1])
                elif stat == "total_g":
                    values[f"total_g{suffix}"] = float(np.trapezoid(y, hours) * 60.0)
        if "area" in stats:
            values["area_unit"] = f"({CURVES[name]}) x h above the rested value"
    return out
