"""One plain-language line per organ group, read off the curve table and its summary.

The peak, its time and the resting value are those of ``summary.json`` (``summarize_curves``);
only the time the curve comes back near its resting value is read here from the same table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["LEADS", "NEAR", "organ_line"]

#: The quantity each organ group's sentence is about.
LEADS: dict[str, str] = {
    "working muscle": "glycogen", "adipose tissue": "fat_oxidation",
    "liver": "hepatic_glucose_output", "bone": "irisin", "brain": "bdnf",
    "immune balance": "il6", "whole body": "insulin_sensitivity",
}

#: "Back near baseline": the excursion from the resting value is below this share of its peak.
NEAR = 0.1


def _clock(time: pd.Timestamp, offset_s: float, start: pd.Timestamp) -> str:
    """``14:20`` in local time, with the weekday when it is not the start's local day."""
    local = time + pd.Timedelta(seconds=offset_s)
    first = start + pd.Timedelta(seconds=offset_s)
    return local.strftime("%H:%M") if local.date() == first.date() \
        else local.strftime("%a %H:%M")


def _number(value: float) -> str:
    return f"{value:.3g}"


def organ_line(organ: str, curves: pd.DataFrame, stats: dict[str, Any], offset_s: float,
               start: pd.Timestamp) -> str:
    """The sentence under an organ group's plots.

    Parameters
    ----------
    organ : str
        A key of :data:`LEADS`.
    curves : DataFrame
        The curve table (UTC index; column units as in ``CURVES``).
    stats : dict
        ``summarize_curves(curves)`` (the ``curves.summary`` of summary.json).
    offset_s : float
        Local time offset (s) the clock times are printed in.
    start : Timestamp
        Start of the activity (UTC); clock times on later days carry their weekday.
    """
    from myokinetics.estimators import AXIS_UNITS, LABELS

    name = LEADS[organ]
    stat = stats[name]
    label, unit = LABELS[name], AXIS_UNITS[name]
    base, peak = float(stat["baseline"]), float(stat["peak"])
    if abs(peak - base) <= 1e-9 * max(abs(base), 1.0):
        return f"{label[0].upper()}{label[1:]} stayed at its resting {_number(base)} {unit}."
    when = pd.Timestamp(stat["time_of_peak"])
    values = curves[name].to_numpy(dtype="float64")
    after = curves.index >= when
    excursion = np.abs(values[after] - base)
    near = excursion <= NEAR * abs(peak - base)
    lowest = stat["extreme"] == "min"
    verb = "fell to its lowest" if lowest else "peaked"
    text = f"{label[0].upper()}{label[1:]} {verb} at {_clock(when, offset_s, start)}: " \
           f"{_number(peak)} {unit}"
    if base > 0 and not lowest and peak / base >= 1.05:
        text += f", about {peak / base:.1f}× the resting {_number(base)}"
    elif base > 0 and lowest:
        text += f", {100 * peak / base:.0f} % of the resting {_number(base)}"
    if near.any():
        back = curves.index[after][int(np.argmax(near))]
        return f"{text}; back near the resting value by {_clock(back, offset_s, start)}."
    end = curves.index[-1]
    return f"{text}; not yet back near the resting value at " \
           f"{_clock(end, offset_s, start)}, the end of the recovery shown."
