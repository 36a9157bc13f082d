"""Plausible time stamps: the span a reader keeps of the times it parses.

Wearable recordings with a clock exist since the mid-1980s and none comes from the future, so
a time outside 1985-01-01 .. now + 2 days is a broken exporter or a mutated file. Such times
become missing (the reader drops those rows with a warning) before any nanosecond index, grid
or span is built from them, so no year-1 or year-9999 stamp can overflow or size an array.
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

__all__ = ["EARLIEST", "FUTURE_MARGIN", "MAX_UTC_OFFSET", "parse_utc", "plausible_epoch_s",
           "plausible_utc"]

EARLIEST = pd.Timestamp("1985-01-01", tz="UTC")
FUTURE_MARGIN = pd.Timedelta(days=2)
#: Largest offset of any civil time zone from UTC (Kiribati, +14 h).
MAX_UTC_OFFSET = pd.Timedelta(hours=14)


def plausible_epoch_s(seconds: float) -> bool:
    """Whether a Unix time (s) lies in the plausible span."""
    return EARLIEST.timestamp() <= seconds <= time.time() + FUTURE_MARGIN.total_seconds()


def plausible_utc(index: pd.DatetimeIndex | pd.Series) -> tuple[pd.DatetimeIndex, int]:
    """``index`` (UTC, any unit) with implausible times set to NaT, as nanoseconds; and how
    many were implausible."""
    times = pd.DatetimeIndex(index)
    latest = pd.Timestamp.now(tz="UTC") + FUTURE_MARGIN
    outside = times.notna() & ((times < EARLIEST) | (times > latest))
    kept = times.where(~outside)
    return pd.DatetimeIndex(kept).as_unit("ns"), int(outside.sum())


def parse_utc(values: Any, **to_datetime: Any) -> tuple[pd.DatetimeIndex, int]:
    """``pd.to_datetime(values, utc=True, errors="coerce", **to_datetime)`` kept to the
    plausible span (see :func:`plausible_utc`)."""
    parsed = pd.to_datetime(values, utc=True, errors="coerce", **to_datetime)
    return plausible_utc(pd.DatetimeIndex(parsed))
