"""The data-quality stage every reader ends with: ranges, ordering, duplicate timestamps.

Readers hand over raw columns in canonical units; this stage turns impossible values into NaN
(never 0 or 255 for "no reading"), sorts by time and merges samples that share a timestamp,
reporting each correction as one warning line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from myokinetics.activity import SAMPLE_COLUMNS
from myokinetics.limits import limit

__all__ = ["CLOCK_JUMP", "VALID_RANGES", "clean_samples", "plausible_span", "sort_and_merge"]

#: A pause between two samples longer than this is reported as a probable clock jump.
CLOCK_JUMP = pd.Timedelta(hours=6)
#: Samples more than CLOCK_JUMP away from the rest, and fewer than this share of the activity,
#: are strays and dropped (a real activity resumed after a long pause has far more).
STRAY_SHARE = 0.01

#: Plausible closed ranges per canonical column, from the one table (``limits.toml``, whose rows
#: say why). Outside -> NaN.
VALID_RANGES: dict[str, tuple[float, float]] = {
    column: limit("reader", row) for column, row in (
        ("heart_rate", "heart_rate_bpm"), ("power", "power_w"), ("cadence", "cadence_per_min"),
        ("speed", "speed_m_s"), ("distance", "distance_m"), ("altitude", "altitude_m"),
        ("latitude", "latitude_deg"), ("longitude", "longitude_deg"),
        ("temperature", "temperature_c"))}


def _ns(frame: pd.DataFrame) -> np.ndarray:
    """The frame's UTC DatetimeIndex as int64 nanoseconds."""
    index = frame.index
    assert isinstance(index, pd.DatetimeIndex)  # samples frames are indexed by time
    return index.asi8


def clean_samples(samples: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Apply the quality rules to a raw samples frame.

    Parameters
    ----------
    samples : DataFrame
        UTC DatetimeIndex named ``time``; canonical columns (float64) in canonical units, plus
        any extra columns (kept, merged like the others).

    Returns
    -------
    samples : DataFrame
        Sorted by time, one row per timestamp, out-of-range values set to NaN, canonical
        columns first, all-NaN canonical columns dropped.
    warnings : list of str
        One line per correction made.
    """
    warnings: list[str] = []
    frame = samples.astype("float64")
    for column, (low, high) in VALID_RANGES.items():
        if column not in frame:
            continue
        values = frame[column].to_numpy()
        bad = ~np.isnan(values) & ((values < low) | (values > high))
        if bad.any():
            frame.loc[bad, column] = np.nan
            warnings.append(
                f"{column}: {int(bad.sum())} values outside [{low:g}, {high:g}] set to NaN")
    frame = _sorted_unique(frame, warnings)
    frame = plausible_span(_without_strays(frame, warnings), warnings)
    if len(frame) > 1:
        gaps = np.diff(_ns(frame))
        longest = pd.Timedelta(int(gaps.max()), unit="ns")
        if longest > CLOCK_JUMP:
            at = frame.index[int(gaps.argmax())]
            warnings.append(f"time jumps forward by {longest} after {at:%Y-%m-%d %H:%M:%S} UTC "
                            "(device clock jump?): duration and daily totals may be wrong")
    canonical = [c for c in SAMPLE_COLUMNS if c in frame and frame[c].notna().any()]
    extra = [c for c in frame.columns if c not in SAMPLE_COLUMNS]
    return frame[canonical + extra], warnings


def _without_strays(frame: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """Drop isolated samples stamped far from the rest (a clock error, or a decode error that
    made up a time: one Strava Android file has a record in 2085).

    The samples are split where they are more than :data:`CLOCK_JUMP` apart; a part holding
    less than :data:`STRAY_SHARE` of them is a stray, unless it is the largest part.
    """
    if len(frame) < 2:
        return frame
    part = _parts(_ns(frame))
    if not part[-1]:
        return frame
    sizes = np.bincount(part)
    stray = (sizes < STRAY_SHARE * len(frame)) & (np.arange(len(sizes)) != sizes.argmax())
    drop = stray[part]
    if not drop.any():
        return frame
    times = frame.index[drop]
    warnings.append(f"{int(drop.sum())} samples dropped: stamped far from the rest of the "
                    f"activity ({times[0]:%Y-%m-%d %H:%M} ... {times[-1]:%Y-%m-%d %H:%M} UTC; "
                    "device clock or decoding error)")
    return frame.loc[~drop]


def plausible_span(frame: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """A sorted frame spanning more than a recording can (``reader.duration_s``) keeps only its
    largest part (split where samples are more than :data:`CLOCK_JUMP` apart), with a warning."""
    times = _ns(frame)
    span_s = (float(times[-1]) - float(times[0])) / 1e9 if len(frame) else 0.0
    if span_s <= limit("reader", "duration_s")[1]:
        return frame
    part = _parts(times)
    keep = part == np.bincount(part).argmax()
    warnings.append(f"the samples would span {span_s / 86400:.0f} days; "
                    f"kept the largest part ({int(keep.sum())} of {len(frame)} samples), "
                    "the rest is stamped days away (device clock or exporter error)")
    return frame.loc[keep]


def _parts(times_ns: np.ndarray) -> np.ndarray:
    """Part number of each sorted sample: a new part begins after a gap over CLOCK_JUMP."""
    return np.r_[0, np.cumsum(np.diff(times_ns) > CLOCK_JUMP.value)]


def _sorted_unique(frame: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """Sort by time and merge rows sharing a timestamp (see :func:`sort_and_merge`)."""
    times = _ns(frame)
    if frame.index.is_monotonic_increasing and frame.index.is_unique:
        return frame
    columns = {name: frame[name].to_numpy(dtype=np.float64, copy=True) for name in frame.columns}
    times, columns = sort_and_merge(times.copy(), columns, warnings)
    index = pd.DatetimeIndex(times, tz="UTC", name="time")
    return pd.DataFrame(columns, index=index, copy=False)


def sort_and_merge(times: np.ndarray, columns: dict[str, np.ndarray],
                   warnings: list[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Sort samples by time (stable) and merge samples sharing a time, in place.

    Parameters
    ----------
    times : ndarray
        Sample times (any unit, int or float), modified in place.
    columns : dict of str to float64 ndarray
        One array per column, as long as ``times``, modified in place.
    warnings : list of str
        Receives one line per correction.

    Returns
    -------
    times, columns
        Views of the leading part of the input arrays. A merged sample keeps, per column, the
        first non-missing value of its group. Working column by column keeps the extra memory
        to one column at a time, whatever the number of columns.
    """
    if len(times) and np.any(times[1:] < times[:-1]):
        warnings.append(f"timestamps went backwards {int((times[1:] < times[:-1]).sum())} "
                        "times; samples sorted by time")
        order = np.argsort(times, kind="stable")
        times[:] = times[order]
        for values in columns.values():
            values[:] = values[order]
    first = np.ones(len(times), dtype=bool)
    first[1:] = times[1:] != times[:-1]
    if first.all():
        return times, columns
    warnings.append(f"{int((~first).sum())} samples shared a timestamp with an earlier one and "
                    "were merged (first non-missing value per column)")
    starts = np.flatnonzero(first)
    count = len(starts)
    positions = np.arange(len(times))
    for values in columns.values():
        # position of the first non-missing value in each group (len(times) when none)
        chosen = np.minimum.reduceat(np.where(np.isnan(values), len(times), positions), starts)
        merged = np.append(values, np.nan)[chosen]
        values[:count] = merged
    times[:count] = times[starts]
    return times[:count], {name: values[:count] for name, values in columns.items()}
