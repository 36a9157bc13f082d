"""Turning per-point columns from text formats (TCX, GPX, CSV, ...) into canonical samples."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from myokinetics.activity import SAMPLE_COLUMNS, empty_samples
from myokinetics.ingest.quality import clean_samples
from myokinetics.limits import limit

__all__ = ["build_samples", "offset_times"]


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


def offset_times(start: pd.Timestamp, offsets_s: Sequence[float],
                 warnings: list[str]) -> pd.DatetimeIndex:
    """``start`` (UTC) plus each offset (s) of formats that count seconds from the start.

    Offsets that are no finite number within the plausible recording duration
    (``limits.toml`` ``reader.duration_s``) become NaT, with one warning, so no hostile offset
    can overflow the nanosecond index; :func:`build_samples` then drops those points.
    """
    low, high = limit("reader", "duration_s")
    offsets = np.asarray(offsets_s, dtype="float64")
    bad = ~(np.isfinite(offsets) & (offsets >= low) & (offsets <= high))
    if bad.any():
        warnings.append(f"{int(bad.sum())} time offsets are not numbers of seconds within "
                        f"{high / 86400:g} days; dropped")
    kept = np.where(bad, np.nan, offsets)
    return pd.DatetimeIndex(start + pd.to_timedelta(kept, unit="s"), name="time").as_unit("ns")
