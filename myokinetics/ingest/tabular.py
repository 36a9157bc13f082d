"""Turning per-point columns from text formats (TCX, GPX, CSV) into a canonical samples frame."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from myokinetics.activity import SAMPLE_COLUMNS, empty_samples
from myokinetics.ingest.quality import clean_samples

__all__ = ["build_samples"]


def build_samples(times: pd.DatetimeIndex, columns: Mapping[str, Sequence[float] | np.ndarray],
                  warnings: list[str]) -> pd.DataFrame:
    """Canonical samples from parallel lists of values, one per point.

    Points without a time are dropped; the rest go through the same quality stage as FIT
    files (:func:`myokinetics.ingest.quality.clean_samples`): values outside the plausible
    range of their column become missing (heart rates of 0, a strap reporting "no contact",
    among them), rows are sorted by time, points sharing a time are merged (the first
    non-missing value of each column wins) and columns with no value at all are left out.
    Each repair appends one line to ``warnings``.

    Parameters
    ----------
    times : DatetimeIndex
        UTC time of each point (NaT where unknown).
    columns : dict
        Canonical column name -> values (same length as ``times``), in canonical units;
        other names are ignored.
    warnings : list of str
        Appended to in place.
    """
    frame = pd.DataFrame({name: np.asarray(values, dtype="float64")
                          for name, values in columns.items() if name in SAMPLE_COLUMNS},
                         index=pd.DatetimeIndex(times, name="time").as_unit("ns"))
    missing = np.asarray(frame.index.isna())  # an ndarray already; the stubs say Index
    if missing.any():
        warnings.append(f"{int(missing.sum())} points without a time were dropped")
        frame = frame[~missing]
    if frame.empty:
        return empty_samples()
    frame, quality_warnings = clean_samples(frame)
    warnings.extend(quality_warnings)
    return frame
