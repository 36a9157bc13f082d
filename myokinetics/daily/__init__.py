"""Daily summaries kept as plain files: one JSON, one table row and one PNG per local day.

``write_daily(library, out)`` walks every local calendar day of the library (rest days
included), carries fitness, fatigue and the estimator state from day to day, and recomputes
only the days whose inputs or carried state changed since the last run.
"""

from __future__ import annotations

import datetime as dt
from os import PathLike
from pathlib import Path
from typing import Any

from myokinetics.athlete import Athlete
from myokinetics.daily.engine import DailyReport, DayComputer, DayOutput, run_days
from myokinetics.daily.selection import counted_activities
from myokinetics.daily.settings import DailySettings

__all__ = ["DailyReport", "DailySettings", "DayComputer", "DayOutput", "write_daily"]


def write_daily(library: Any, out: str | PathLike[str], first: dt.date | None = None,
                last: dt.date | None = None, athlete: Athlete | None = None,
                fmt: str = "csv", settings: DailySettings | None = None,
                include_suspect: bool = False, progress: bool = False) -> DailyReport:
    """Write (or bring up to date) the daily summaries of ``library`` in ``out``.

    Parameters
    ----------
    library : myokinetics.Library
        The activity library (catalog + ``load``).
    out : path
        Output folder: ``YYYY-MM-DD.json`` and ``.png`` per day, ``daily.csv`` (or
        ``daily.parquet``), ``trend.png``, ``manifest.json`` and the carried states.
    first, last : date, optional
        Range of local days written; default the first to the last activity's day.
    athlete : Athlete, optional
        Default: an empty profile (population defaults, each announced by a warning).
    fmt : {"csv", "parquet"}
    settings : DailySettings, optional
    include_suspect : bool
        Also count activities dated before 1985 or after tomorrow (status ``suspect``).
    progress : bool
        Show days done/total on stderr.

    Returns
    -------
    DailyReport
        ``suspect`` lists the activities left out for their dates, ``merged`` the sessions
        recorded by several devices (counted once, from their primary recording).

    Notes
    -----
    With ``first``, the state is computed from ``settings.warmup`` before it (five CTL time
    constants), not from the first activity of the library.
    """
    from myokinetics.daily.compute import PhysiologyDay

    settings = settings or DailySettings()
    selection = counted_activities(library.activities(), include_suspect)
    computer = PhysiologyDay(library, athlete or Athlete(), settings)
    report = run_days(selection.counted, computer, Path(out), first, last, fmt,
                      warmup=settings.warmup, progress=progress)
    report.suspect, report.merged = selection.suspect, selection.merged
    return report
