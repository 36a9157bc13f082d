"""Numbers of one day from the estimator curves: peaks, areas, end values, means, totals.

The curves come on an irregular UTC grid (fine during exercise, coarse at rest). Each day is
cut out of the continuous run at its window bounds, with values at the bounds interpolated
linearly in time, so that the areas of consecutive days add up to the area of the whole run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DAY_ESTIMATES", "day_estimates", "day_slice"]

#: What a day reports per curve: ``peak`` (max over the day, curve unit, with its UTC time),
#: ``area`` (time integral, curve unit x h), ``end`` (value at the end of the day),
#: ``mean`` (time-weighted mean over the day), ``total_g`` (integral of a g/min curve, g).
DAY_ESTIMATES: dict[str, tuple[str, ...]] = {
    "il6": ("peak", "area"),
    "il10": ("peak",),
    "il1ra": ("peak",),
    "irisin": ("peak",),
    "lactate": ("peak",),
    "glycogen": ("end",),
    "insulin_sensitivity": ("end", "mean"),
    "fat_oxidation": ("total_g",),
    "cho_oxidation": ("total_g",),
}

#: The three statistics kept per quantity: median curve, 5th and 95th percentile curves.
BANDS = {"": "", "_lo": "_lo", "_hi": "_hi"}


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
    index = curves.index.as_unit("ns")
    low, high = max(start, index[0]), min(end, index[-1])
    inside = index[(index > low) & (index < high)]
    grid = pd.DatetimeIndex([low], name=index.name).as_unit("ns").append(inside)
    if high > low:
        grid = grid.append(pd.DatetimeIndex([high]).as_unit("ns"))
    known, wanted = index.asi8.astype("float64"), grid.asi8.astype("float64")
    return pd.DataFrame({c: np.interp(wanted, known, curves[c].to_numpy(dtype="float64"))
                         for c in curves}, index=grid.rename(index.name))


def _hours(index: pd.DatetimeIndex) -> np.ndarray:
    return (index - index[0]).total_seconds().to_numpy() / 3600.0


def day_estimates(curves: pd.DataFrame) -> dict[str, Any] | None:
    """The day's statistics of :data:`DAY_ESTIMATES` from a window cut by :func:`day_slice`.

    Returns
    -------
    dict or None
        ``{quantity: {stat + band: value}}``, e.g. ``{"il6": {"peak": .., "peak_lo": ..,
        "peak_hi": .., "peak_time": .., "area": .., ...}}``; the ``_lo``/``_hi`` values are
        the statistic of the 5th / 95th percentile curve. None when the window has fewer
        than two rows.
    """
    if len(curves) < 2:
        return None
    hours = _hours(curves.index)
    out: dict[str, Any] = {}
    for name, stats in DAY_ESTIMATES.items():
        if name not in curves:
            continue
        values: dict[str, Any] = {}
        for suffix in BANDS:
            column = f"{name}{suffix}"
            if column not in curves:
                continue
            y = curves[column].to_numpy(dtype="float64")
            for stat in stats:
                if stat == "peak":
                    values[f"peak{suffix}"] = float(np.nanmax(y))
                    if not suffix:
                        values["peak_time"] = curves.index[int(np.nanargmax(y))].isoformat()
                elif stat == "area":
                    values[f"area{suffix}"] = float(np.trapezoid(y, hours))
                elif stat == "end":
                    values[f"end{suffix}"] = float(y[-1])
                elif stat == "mean":
                    values[f"mean{suffix}"] = float(np.trapezoid(y, hours) / hours[-1])
                elif stat == "total_g":
                    values[f"total_g{suffix}"] = float(np.trapezoid(y, hours) * 60.0)
        out[name] = values
    return out
