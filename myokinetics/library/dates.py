"""Plausible activity dates: a start before 1985 or after tomorrow is a clock that was not set.

Such activities are kept (their data may be fine) with status ``suspect`` and a warning, and
``myokinetics daily`` leaves them out unless asked: one activity dated 1901 would otherwise
make a history of 120 years.
"""

from __future__ import annotations

import pandas as pd

from myokinetics.ingest.time_bounds import EARLIEST

__all__ = ["SUSPECT", "implausible", "suspect_warning"]

SUSPECT = "suspect"


def _latest() -> pd.Timestamp:
    """The end of tomorrow (UTC): no activity starts later."""
    return pd.Timestamp.now(tz="UTC").normalize() + pd.Timedelta(days=2)


def implausible(starts: pd.Series) -> pd.Series:
    """True for each UTC start before 1985 or after tomorrow (missing starts are False)."""
    return starts.notna() & ((starts < EARLIEST) | (starts >= _latest()))


def suspect_warning(start: pd.Timestamp) -> str:
    """The warning kept with an activity whose ``start`` is implausible."""
    when = "before 1985" if start < EARLIEST else "after tomorrow"
    return (f"start {start.strftime('%Y-%m-%d %H:%M')}Z is {when} (the device clock was not "
            "set?): status suspect, left out of `myokinetics daily` unless --include-suspect")
