"""CSV reader: the documented myokinetics CSV format and the FatMaxxer RR log.

The myokinetics CSV format (docs/import.md has the full text)
------------------------------------------------------------
* UTF-8, comma-separated, one header row; blank lines and lines starting with ``#`` after the
  header are ignored.
* The first column is the time, named ``time`` or ``timestamp``: ISO 8601 (``Z`` or an offset;
  without one the time is read as UTC, with a warning) or Unix epoch numbers, seconds or
  milliseconds (told apart by magnitude: values from 1e11 on are milliseconds).
* Any other columns named exactly like the canonical sample columns, in their units:
  ``heart_rate`` (1/min), ``power`` (W), ``cadence`` (1/min), ``speed`` (m/s), ``distance``
  (m, cumulative), ``altitude`` (m), ``latitude``/``longitude`` (degrees), ``temperature`` (°C).
  Empty cells are missing values. Other columns are ignored (named in a warning).
* ``rr`` (ms): a beat-to-beat interval, on the row whose time is the beat that ends it. A file
  with only ``time`` and ``rr`` is an RR recording in its own right.

FatMaxxer RR log
----------------
Header ``timestamp,rr,since_start``: the arrival time of each RR value (Unix ms, phone clock),
the RR interval (ms) and the running RR sum before it (ms). Arrival lags the beat by the BLE
notification latency, and beats lost in transmission leave gaps, so beat times are rebuilt
from the RR sums and anchored to the arrival clock (:func:`beat_times_from_arrivals`).

When a file has RR but no ``heart_rate``, a per-second heart rate is derived from the RR
(:func:`heart_rate_from_rr`).
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd

from myokinetics.activity import SAMPLE_COLUMNS, Activity, ActivityMeta, empty_rr
from myokinetics.errors import InputError
from myokinetics.ingest.tabular import build_samples
from myokinetics.ingest.time_bounds import EARLIEST, parse_utc
from myokinetics.ingest.xml_common import parse_times, utc_offset_of
from myokinetics.limits import limit

__all__ = ["beat_times_from_arrivals", "heart_rate_from_rr", "looks_like_activity_csv",
           "read_csv"]

TIME_COLUMNS = ("time", "timestamp")
#: Epoch values from here on are milliseconds (1e11 s would be the year 5138).
EPOCH_MS_FROM = 1e11
#: Epoch seconds below this (1973-03-03) are taken for relative times and refused.
EPOCH_S_FROM = 1e8
#: RR intervals (ms) outside this range give no heart rate (the one table, ``limits.toml``).
RR_RANGE_MS = limit("reader", "rr_ms")


def looks_like_activity_csv(head: bytes) -> bool:
    """True when the header row names a time column and at least one data column we read.

    Used while walking folders and archives, where CSV files of other kinds (Strava's
    ``activities.csv``) are common and must not count as failed activities.
    """
    first_line = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
    names = [n.strip().lower() for n in first_line.strip().split(",")]
    return bool(names) and names[0] in TIME_COLUMNS and any(
        n in SAMPLE_COLUMNS or n == "rr" for n in names[1:])


def read_csv(data: bytes, source: str) -> Activity:
    """Read a myokinetics CSV or a FatMaxxer RR log.

    Parameters
    ----------
    data : bytes
        The CSV text.
    source : str
        Names the file in errors and warnings.

    Returns
    -------
    Activity
        Samples in canonical units, RR intervals (ms) indexed by beat time; with RR and no
        ``heart_rate`` column, heart rate (1/min) per whole second derived from the RR.

    Raises
    ------
    InputError
        No time column first, no readable column, or times that are not absolute.
    """
    try:
        table = pd.read_csv(io.BytesIO(data), comment="#", skip_blank_lines=True,
                            dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise InputError(source, f"not a readable CSV file ({error})",
                         "see docs/import.md for the CSV format") from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    if table.columns[0] not in TIME_COLUMNS:
        raise InputError(source, f"first column is {table.columns[0]!r}, not time or timestamp",
                         "see docs/import.md for the CSV format")
    warnings: list[str] = []
    ignored = [c for c in table.columns[1:]
               if c not in SAMPLE_COLUMNS and c not in ("rr", "since_start")]
    if ignored:
        warnings.append("ignored columns: " + ", ".join(ignored))
    times, offset = _times(table[table.columns[0]], source, warnings)
    columns = {c: _numbers(table[c], warnings) for c in table.columns[1:]
               if c in SAMPLE_COLUMNS}
    rr = empty_rr()
    if "rr" in table:
        rr_values = _numbers(table["rr"], warnings)
        arrivals_only = "since_start" in table  # FatMaxxer: the time is the arrival
        beat_times = beat_times_from_arrivals(times, rr_values) if arrivals_only else times
        keep = ~np.isnan(rr_values) & ~np.asarray(beat_times.isna())  # stubs: Index, is ndarray
        rr = pd.Series(rr_values[keep], index=pd.DatetimeIndex(beat_times[keep], name="time"),
                       name="rr", dtype="float64").sort_index(kind="stable")
    if columns:
        samples = build_samples(times, columns, warnings)
    elif len(rr):
        samples = heart_rate_from_rr(rr).to_frame()
        warnings.append("heart rate derived from RR intervals (instantaneous, per second)")
    else:
        raise InputError(source, "no data column (heart_rate, power, rr, ...)",
                         "see docs/import.md for the CSV format")
    if samples.empty and rr.empty:
        raise InputError(source, "no row has a readable time", "check the time column")
    start_candidates = [s.index[0] for s in (samples, rr) if len(s.index)]
    meta = ActivityMeta(start=min(start_candidates), utc_offset=offset, format="csv",
                        decoder="myokinetics.csv", decoder_version="1")
    return Activity(samples=samples, rr=rr, meta=meta, warnings=warnings)


def beat_times_from_arrivals(arrivals: pd.DatetimeIndex, rr_ms: np.ndarray) -> pd.DatetimeIndex:
    """Beat times rebuilt from RR values and the (later) times they arrived.

    Within a run of contiguous beats the RR sum is the exact clock, so beat ``i`` ends at
    ``anchor + sum(rr[:i+1])``. A beat cannot end after it was received, so the anchor is the
    latest value satisfying that for this beat and every later one: the running minimum,
    taken from the end, of ``arrival - cumsum(rr)``. The anchor only moves forward, where
    beats were lost (a gap); the times therefore never decrease. The anchor is exact up to
    the smallest notification latency; the last few beats before a gap or the end of the log,
    whose later arrivals no longer pin the clock down, may sit later by up to the latency
    jitter.

    Parameters
    ----------
    arrivals : DatetimeIndex
        Arrival time of each RR value (UTC).
    rr_ms : ndarray
        RR intervals (ms), NaN where unreadable (treated as no time elapsed).

    Returns
    -------
    DatetimeIndex
        UTC time of the beat that ends each interval.
    """
    rr_ns = np.round(np.where(np.isnan(rr_ms), 0.0, rr_ms) * 1e6).astype("int64")
    cumulative = np.cumsum(rr_ns)
    arrival_ns = arrivals.as_unit("ns").asi8
    anchor = np.minimum.accumulate((arrival_ns - cumulative)[::-1])[::-1]
    return pd.DatetimeIndex(pd.to_datetime(anchor + cumulative, utc=True), name="time")


def heart_rate_from_rr(rr: pd.Series) -> pd.Series:
    """Heart rate (1/min) on whole UTC seconds from RR intervals (ms).

    At each second ``t`` the rate is ``60000 / rr`` of the interval that contains ``t`` (the
    first beat at or after ``t``, whose interval began ``rr`` ms before it). Seconds that
    fall in no interval (beats lost in transmission) or in one outside
    :data:`RR_RANGE_MS` are NaN. No smoothing: cleaning belongs to processing.

    Parameters
    ----------
    rr : Series
        RR intervals (ms) indexed by the UTC time of the beat ending each one, sorted.

    Returns
    -------
    Series
        Named ``heart_rate``, index ``time`` (UTC, 1 s steps).
    """
    beat_ns = pd.DatetimeIndex(rr.index).as_unit("ns").asi8
    rr_ns = rr.to_numpy(dtype="float64") * 1e6
    first = pd.Timestamp(beat_ns[0] - int(rr_ns[0]), tz="UTC").ceil("s")
    last = pd.Timestamp(beat_ns[-1], tz="UTC").floor("s")
    grid = pd.DatetimeIndex(pd.date_range(first, last, freq="s").asi8, tz="UTC", name="time")
    position = np.searchsorted(beat_ns, grid.asi8, side="left")
    position = np.minimum(position, len(beat_ns) - 1)
    interval = rr_ns[position]
    inside = grid.asi8 >= beat_ns[position] - interval
    plausible = (interval >= RR_RANGE_MS[0] * 1e6) & (interval <= RR_RANGE_MS[1] * 1e6)
    rate = np.where(inside & plausible, 60000.0 / (interval / 1e6), np.nan)
    return pd.Series(rate, index=grid, name="heart_rate", dtype="float64")


def _numbers(column: pd.Series, warnings: list[str]) -> np.ndarray:
    """The column as float64; text that is not a number becomes NaN, counted in a warning."""
    # pandas-stubs allow only str replacements on a str Series; pandas takes NaN
    texts = column.str.strip().replace("", np.nan)  # type: ignore[call-overload]
    values = pd.to_numeric(texts, errors="coerce")
    unreadable = int((values.isna() & texts.notna()).sum())
    if unreadable:
        example = texts[values.isna() & texts.notna()].iloc[0]
        warnings.append(f"{column.name}: {unreadable} values are not numbers (e.g. "
                        f"{str(example)[:20]!r}) and were left missing")
    return values.to_numpy(dtype="float64")


def _times(column: pd.Series, source: str,
           warnings: list[str]) -> tuple[pd.DatetimeIndex, dt.timedelta | None]:
    """Parse the time column: epoch s/ms or ISO 8601; return the index and stated offset."""
    texts = column.str.strip()
    # pandas-stubs allow only str replacements on a str Series; pandas takes NaN
    numeric = pd.to_numeric(texts.replace("", np.nan),  # type: ignore[call-overload]
                            errors="coerce")
    if numeric.notna().sum() >= max(1, int(0.9 * texts.ne("").sum())):
        median = float(numeric.abs().median())
        if median < EPOCH_S_FROM:
            raise InputError(source, "time values look relative (seconds from start), "
                             "not Unix epoch times", "write absolute ISO 8601 or epoch times")
        unit = "ms" if median >= EPOCH_MS_FROM else "s"
        index, implausible = parse_utc(numeric, unit=unit)  # -> NaT, dropped with a warning
        if implausible:
            warnings.append(f"{implausible} time stamps outside {EARLIEST:%Y}..now were dropped")
        return index.rename("time"), None
    values = [t if t else None for t in texts]
    index, time_warnings = parse_times(values, source)
    warnings.extend(time_warnings)
    return pd.DatetimeIndex(index, name="time").as_unit("ns"), utc_offset_of(
        next((t for t in values if t), None))
