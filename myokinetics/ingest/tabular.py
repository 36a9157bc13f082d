"""Turning per-point columns from text formats (TCX, GPX, CSV) into a canonical samples frame."""

from __future__ import annotations

import numpy as np
import pandas as pd

from myokinetics.activity import SAMPLE_COLUMNS, empty_samples

__all__ = ["build_samples"]


def build_samples(times: pd.DatetimeIndex, columns: dict[str, list[float] | np.ndarray],
                  warnings: list[str]) -> pd.DataFrame:
    """Canonical samples from parallel lists of values, one per point.

    Points without a time are dropped; the rows are sorted by time; points sharing a time
    are merged (the first non-missing value of each column wins). Columns with no value at
    all are left out, as are heart rates of 0 (a strap reporting "no contact"). Each repair
    appends one line to ``warnings``.

    Parameters
    ----------
    times : DatetimeIndex
        UTC time of each point (NaT where unknown).
    columns : dict
        Canonical column name -> values (same length as ``times``), in canonical units.
    warnings : list of str
        Appended to in place.
    """
    frame = pd.DataFrame({name: np.asarray(values, dtype="float64")
                          for name, values in columns.items() if name in SAMPLE_COLUMNS},
                         index=times)
    frame.index.name = "time"
    frame = frame[[c for c in SAMPLE_COLUMNS if c in frame.columns]]
    if "heart_rate" in frame:
        zeros = int((frame["heart_rate"] == 0).sum())
        if zeros:
            frame.loc[frame["heart_rate"] == 0, "heart_rate"] = np.nan
            warnings.append(f"{zeros} heart-rate readings of 0 (no strap contact) set to missing")
    missing = frame.index.isna()
    if missing.any():
        warnings.append(f"{int(missing.sum())} points without a time were dropped")
        frame = frame[~missing]
    if frame.empty:
        return empty_samples()
    if not frame.index.is_monotonic_increasing:
        warnings.append("points were out of time order and have been sorted")
        frame = frame.sort_index(kind="stable")
    if frame.index.has_duplicates:
        before = len(frame)
        frame = frame.groupby(level=0, sort=False).first()
        warnings.append(f"{before - len(frame)} points repeating an earlier time stamp were merged")
    frame = frame.dropna(axis="columns", how="all")
    frame.index = pd.DatetimeIndex(frame.index, name="time")
    return frame.astype("float64")
