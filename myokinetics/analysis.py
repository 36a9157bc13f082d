"""``analyze``: exercise load (and, from the estimators, crosstalk curves) for recordings.

One code path: whatever the source, samples go through one
:class:`~myokinetics.stream.AthleteStream` as a single chunk, exactly as a live stream would go
through it in many.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, cast

import pandas as pd

from myokinetics.activity import Activity, empty_rr
from myokinetics.athlete import Athlete
from myokinetics.errors import InputError
from myokinetics.processing.rr import ordered_rr
from myokinetics.stream import DEFAULT_HORIZON, AthleteStream, StreamOptions, concat_steps

__all__ = ["Analysis", "analyze"]

Source = str | PathLike[str] | Activity | pd.DataFrame


@dataclass
class Analysis:
    """The result of :func:`analyze`.

    Attributes
    ----------
    load : DataFrame
        Load windows (UTC index at window start); column names carry their variant.
    totals : dict
        Whole-timeline totals (``duration_s``, ``hr_coverage``, ``trimp``, ``trimp_avg_hr``,
        ``trimp_edwards``, ``hrss``, ``energy_kcal``, ``epoc_l``, HRV and power totals where the
        data allow) and ``variants`` naming each formula and constant.
    intensity : DataFrame
        Per-second intensity (UTC index; rows only where a recording is).
    hrv : DataFrame
        HRV windows (UTC index at window end); empty without RR intervals.
    curves : DataFrame or None
        Model-estimated crosstalk curves (``myokinetics.estimators``), None when not asked for
        or without heart rate.
    activities : list of Activity
        The recordings, in time order.
    athlete : Athlete
        The resolved profile used.
    warnings : list of str
        Population defaults used, what the readers recovered from, samples dropped as
        overlapping: one line each.

    The figures the input cannot give (no heart rate, power without FTP) are None in
    ``totals``, and :attr:`not_computed` says which and what input would give them.
    """

    load: pd.DataFrame
    totals: dict[str, Any]
    intensity: pd.DataFrame
    hrv: pd.DataFrame
    curves: pd.DataFrame | None
    activities: list[Activity]
    athlete: Athlete
    warnings: list[str] = field(default_factory=list)

    @property
    def not_computed(self) -> list[str]:
        """One line per group of figures not computed, and what would give them (see
        :mod:`myokinetics.processing.missing`); empty when everything was computed."""
        from myokinetics.processing.energy import cycling_power
        from myokinetics.processing.missing import not_computed

        if not self.totals.get("duration_s"):
            return []
        has_power = any(a.has_power for a in self.activities) or (
            "power" in self.intensity and bool(self.intensity["power"].notna().any()))
        return not_computed(
            has_heart_rate=bool(self.totals.get("hr_coverage")), has_power=has_power,
            power_energy=any(cycling_power(a.meta.sport) for a in self.activities),
            ftp_known=self.athlete.ftp_w is not None)


def _rr_input(rr: pd.Series | None) -> pd.Series:
    """The caller's RR series in time order, without missing values, UTC-indexed."""
    if rr is None:
        return empty_rr()
    if not isinstance(rr, pd.Series):
        raise InputError("rr", f"got a {type(rr).__name__}",
                         "pass a pandas Series of RR intervals (ms) indexed by UTC beat time")
    t_ns, values = ordered_rr(rr)
    index = pd.DatetimeIndex(t_ns.view("datetime64[ns]"), name="time").tz_localize("UTC")
    return pd.Series(values, index=index, name="rr")


def _activities(source: Source | Sequence[Source], rr: pd.Series | None) -> list[Activity]:
    from myokinetics.ingest import read

    if isinstance(source, pd.DataFrame):
        return [Activity(samples=source, rr=_rr_input(rr))]
    if isinstance(source, Activity):
        return [source]
    if isinstance(source, str | PathLike):
        return [read(source)]
    if isinstance(source, Sequence) and not isinstance(source, bytes | bytearray):
        out = [a for item in source for a in _activities(item, None)]
        if not out:
            raise InputError("analyze", "no recordings given", "pass a path or an Activity")
        return out
    raise InputError("analyze", f"cannot analyse a {type(source).__name__}",
                     "pass a path, an Activity, a list of them or a samples DataFrame")


def _start(activity: Activity) -> pd.Timestamp:
    if len(activity.samples.index):
        return activity.samples.index[0]
    return activity.meta.start or pd.Timestamp.max.tz_localize("UTC")


def analyze(source: Source | Sequence[Source], athlete: Athlete | None = None,
            horizon: pd.Timedelta | str | float = DEFAULT_HORIZON, *,
            rr: pd.Series | None = None, window_s: int = 60, step_s: int | None = None,
            rr_correction: str = "fatmaxxer", curves: bool = True) -> Analysis:
    """Analyse recordings: per-second intensity, load windows, totals, HRV and curves.

    Parameters
    ----------
    source : path, Activity, samples DataFrame, or a list of paths/Activities
        Paths are read with :func:`myokinetics.read`. Several recordings form one timeline
        (time order; the rest between them has no rows).
    athlete : Athlete, optional
        Default: :meth:`Athlete.load` (the user's profile file, else population defaults,
        each announced once by a warning).
    horizon : Timedelta, str or hours
        Recovery simulated by the estimators after the last sample (default 24 h).
    rr : Series, optional
        RR intervals (ms, UTC index) accompanying a samples DataFrame.
    window_s, step_s : int
        Load windows (s): 60 s tumbling by default; ``step_s < window_s`` slides.
    rr_correction : "fatmaxxer" or "lipponen_tarvainen"
        Live successive-difference rule, or offline Lipponen & Tarvainen correction.
    curves : bool
        Run the crosstalk estimators (the slowest part).

    Raises
    ------
    InputError
        No recordings, an unreadable path, samples not indexed by time, an unknown
        ``rr_correction``, a ``horizon`` that is not a duration or is negative, or windows
        that are not a positive multiple of ``step_s``.

    Notes
    -----
    Input without usable heart rate is not an error: recordings with no samples give empty
    ``load`` and ``intensity`` and zero totals; without any heart rate ``curves`` is None, the
    heart-rate totals are NaN (energy comes from power in cycling) and
    :attr:`Analysis.not_computed` says so.
    A recording whose times are relative (``meta.time_base == "relative"``: seconds since the
    device was switched on) is analysed on that clock; its load is right, its dates are not,
    and the reader's warning is in ``Analysis.warnings``.
    """
    # StreamOptions converts hours and strings (horizon_timedelta in __post_init__); a
    # dataclass field cannot declare a wider input type than the stored one.
    options = StreamOptions(window_s=window_s, step_s=step_s, rr_correction=rr_correction,
                            curves=curves, horizon=cast(pd.Timedelta, horizon))
    activities = sorted(_activities(source, rr), key=_start)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        resolved = (athlete if athlete is not None else Athlete.load()).resolved()
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno)
    notes = [str(w.message) for w in caught]
    stream = AthleteStream(resolved, options)
    steps = []
    for activity in activities:
        steps.append(stream.push(activity.samples, activity.rr if len(activity.rr) else None,
                                 sport=activity.meta.sport, pauses=activity.pauses))
        notes.extend(activity.warnings)
    steps.append(stream.finish())
    result = concat_steps(steps)
    totals = stream.totals()
    totals["activities"] = len(activities)
    if totals["samples_out_of_order"]:
        notes.append(f"{totals['samples_out_of_order']} samples at or before an earlier "
                     "second were dropped (overlapping recordings?)")
    has_hr = curves and bool(result.intensity["valid"].any())
    return Analysis(load=result.windows, totals=totals, intensity=result.intensity,
                    hrv=result.hrv, curves=result.curves if has_hr else None,
                    activities=activities, athlete=resolved, warnings=notes)
