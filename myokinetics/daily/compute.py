"""One day of physiology: load, zones, HRV, fitness/fatigue and the carried estimator run.

:class:`PhysiologyDay` is the :class:`~myokinetics.daily.engine.DayComputer` of the command
line. Each activity of the day is one recording of a single
:class:`~myokinetics.stream.AthleteStream` that runs without a break across all days (totals,
zone times and HRV per recording; the body rests between activities and through rest days, so
each bout starts from the state the previous ones left). The stream's state, CTL and ATL, and
the last curve rows are the state carried to the next day.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

import myokinetics
from myokinetics.athlete import Athlete
from myokinetics.daily.calendar import CatalogEntry, Day
from myokinetics.daily.curvestats import day_estimates, day_slice
from myokinetics.daily.engine import DayOutput, Deferred
from myokinetics.daily.plots import NOTE, render_day, trend_png
from myokinetics.daily.settings import SCHEMA, DailySettings, code_fingerprint
from myokinetics.errors import MyokineticsError
from myokinetics.stream import AthleteStream, StreamOptions, StreamState, concat_steps

__all__ = ["LOAD_KEYS", "Carried", "PhysiologyDay"]

#: Days of daily load kept in the carried state: the longest PMC window (28-day chronic mean)
#: minus today.
PMC_HISTORY_DAYS = 27

#: Per-activity totals summed into the day's total and per-sport load (a total an activity
#: could not give, e.g. TRIMP without heart rate or TSS without power, adds nothing).
LOAD_KEYS = ("duration_s", "trimp", "hrss", "energy_kcal", "epoc_l", "tss_coggan")


@dataclass(frozen=True)
class Carried:
    """What one day hands to the next.

    Attributes
    ----------
    loads : tuple of float
        The PMC load of the last :data:`PMC_HISTORY_DAYS` days (oldest first), for the rolling
        means, monotony and strain.
    seed : (float, float)
        CTL and ATL on the day before the first of ``loads``.
    stream : StreamState or None
        The athlete stream's state at the end of the day (None before the first day); it
        knows up to when the body has been simulated.
    tail : DataFrame or None
        Curve rows from the last row at or before the end of the day onwards (an activity
        running past midnight leaves its rows here for the next day).
    rested : dict
        Each curve column's value in the rested state the model started from (the baseline
        of daily areas).
    """

    loads: tuple[float, ...] = ()
    seed: tuple[float, float] = (0.0, 0.0)
    stream: StreamState | None = None
    tail: pd.DataFrame | None = None
    rested: dict[str, float] = dataclasses.field(default_factory=dict)


class PhysiologyDay:
    """Computes days from a library with the processing and estimator models.

    Parameters
    ----------
    library : myokinetics.Library
        Source of the activities (``.load(id) -> Activity``).
    athlete : Athlete
        The profile; missing fields are filled once with announced population defaults.
    settings : DailySettings
    """

    def __init__(self, library: Any, athlete: Athlete, settings: DailySettings) -> None:
        self.library = library
        self.athlete = athlete.resolved()
        self.settings = settings

    # ------------------------------------------------------------------ DayComputer protocol
    def fingerprint(self) -> dict[str, Any]:
        athlete = dataclasses.asdict(self.athlete)
        athlete.pop("defaulted", None)
        return {"athlete": athlete, "settings": self.settings.as_dict(),
                "code": code_fingerprint()}

    def initial_state(self) -> Carried:
        return Carried()

    def trend(self, table: pd.DataFrame) -> bytes | None:
        return trend_png(table) if self.settings.plots else None

    def compute(self, day: Day, state: Carried) -> DayOutput:
        stream = AthleteStream(self.athlete, self.options, state=state.stream)
        rested = state.rested
        parts = [] if state.tail is None else [state.tail]
        if stream.model_time is None:
            # The very first day: the model starts rested at the window start, so the first
            # day's curves cover the whole day.
            parts.append(stream.rest_until(day.start))
        activities, problems, zones, hrv, spans = [], [], [], [], []
        variants: dict[str, Any] = {}
        for entry in day.entries:
            try:
                activity = self.library.load(entry.id)
            except (MyokineticsError, OSError, ValueError) as error:
                problems.append(_problem(entry, error))
                continue
            rr = activity.rr if len(activity.rr) else None
            step = concat_steps([stream.push(activity.samples, rr, sport=activity.meta.sport,
                                             pauses=activity.pauses),
                                 stream.finish(horizon=0)])
            parts.append(step.curves)
            totals = stream.totals()
            activities.append(_activity_document(entry, totals))
            variants.update(totals.get("variants", {}))
            zones.append(step.intensity)
            if len(step.hrv):
                hrv.append(step.hrv)
            spans.append((entry.start, entry.start + pd.Timedelta(seconds=entry.duration_s),
                          entry.sport))
        parts.append(stream.rest_until(day.end))
        curves = _join(parts)
        if not rested:  # the first row of the whole run is the rested state
            rested = {str(c): float(curves[c].iloc[0]) for c in curves}
        window = day_slice(curves, day.start, day.end)
        load = _load(activities, variants)
        pmc_today, loads, seed = self._pmc(state, load["total"][self.settings.pmc_load])
        document = {
            "schema": SCHEMA,
            "date": day.date.isoformat(),
            "utc_offset_s": day.utc_offset_s,
            "window": {"start": day.start.isoformat(), "end": day.end.isoformat(),
                       "hours": (day.end - day.start) / pd.Timedelta(hours=1)},
            "code_version": myokinetics.__version__,
            "note": f"estimates: {NOTE}",
            "activities": activities,
            "skipped": problems,
            "load": load,
            "zones": _zones(zones, self.athlete),
            "hrv": _hrv(hrv),
            "pmc": pmc_today,
            "estimates": day_estimates(window, rested),
        }
        files = {}
        if self.settings.plots:
            files["png"] = Deferred(render_day, (
                window, day.start, day.end, day.utc_offset_s, spans,
                f"{day.date.isoformat()}: {_count(len(activities), 'activity', 'activities')}"))
        tail_from = curves.index[curves.index <= day.end]
        tail = curves.loc[tail_from[-1]:] if len(tail_from) else curves
        carried = Carried(loads=loads, seed=seed, stream=stream.state, tail=tail, rested=rested)
        return DayOutput(document=document, state=carried, files=files, problems=problems)

    # ------------------------------------------------------------------ pieces
    @property
    def options(self) -> StreamOptions:
        """The stream options of a day: the daily settings' draws and seed, no horizon (each
        day's rest runs to its end)."""
        draws: dict[str, Any] = ({} if self.settings.n_draws is None
                                 else {"n_draws": self.settings.n_draws})
        return StreamOptions(seed=self.settings.seed, rr_correction=self.settings.rr_correction,
                             **draws)

    def _pmc(self, state: Carried, load: float
             ) -> tuple[dict[str, Any], tuple[float, ...], tuple[float, float]]:
        """Today's PMC row from the carried loads; the loads and seed to carry on."""
        from myokinetics.processing import monotony_strain, pmc

        loads = (*state.loads, float(load))
        series = pd.Series(loads, dtype="float64")
        frame = pmc(series, self.settings.ctl_days, self.settings.atl_days,
                    ctl_seed=state.seed[0], atl_seed=state.seed[1])
        today: dict[str, Any] = {key: float(frame[key].iloc[-1]) for key in frame.columns}
        # Foster's monotony and strain of the trailing week (None until a week of days exists).
        today.update({str(k): v for k, v in monotony_strain(series).iloc[-1].to_dict().items()})
        today.update(load_metric=self.settings.pmc_load, variant=frame.attrs["variant"])
        if len(loads) > PMC_HISTORY_DAYS:
            dropped = frame.iloc[0]
            return today, loads[1:], (float(dropped["ctl"]), float(dropped["atl"]))
        return today, loads, state.seed


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _problem(entry: CatalogEntry, error: Exception) -> str:
    text = error.one_line() if isinstance(error, MyokineticsError) else str(error)
    return f"library entry {entry.id} ({entry.sport}, {entry.start.isoformat()}): " \
           f"{' '.join(text.split())} — skipped"


def _activity_document(entry: CatalogEntry, totals: dict[str, Any]) -> dict[str, Any]:
    local = entry.start + pd.Timedelta(seconds=entry.utc_offset_s)
    return {"id": str(entry.id), "sha256": entry.sha256, "sport": entry.sport,
            "start": entry.start.isoformat(),
            "start_local": local.tz_localize(None).isoformat(),
            "offset_known": entry.offset_known, "duration_s": entry.duration_s,
            "status": entry.status, "also_recorded_by": list(entry.duplicates),
            "totals": _plain(totals)}


def _plain(totals: dict[str, Any]) -> dict[str, Any]:
    """The scalar totals (numbers, text, flags); the nested variant table goes to the day."""
    return {key: value for key, value in totals.items()
            if value is None or isinstance(value, str | bool | int | float | np.number)}


def _load(activities: list[dict[str, Any]], variants: dict[str, Any]) -> dict[str, Any]:
    total = dict.fromkeys(LOAD_KEYS, 0.0)
    by_sport: dict[str, dict[str, float]] = {}
    for activity in activities:
        totals = activity["totals"]
        sport = by_sport.setdefault(activity["sport"], dict.fromkeys(LOAD_KEYS, 0.0))
        for key in LOAD_KEYS:
            value = totals.get(key)
            if isinstance(value, int | float) and math.isfinite(value):
                total[key] += value
                sport[key] += value
    # Every named variant of the pipeline (text entries; the constant tables stay in processing),
    # so the activities' plain totals (trimp_avg_hr, rmssd_ms, dfa_alpha1_median ...) are named.
    named = {key: value for key, value in variants.items() if isinstance(value, str)}
    return {"total": total, "by_sport": by_sport, "variants": named}


def _zones(frames: list[pd.DataFrame], athlete: Athlete) -> dict[str, Any]:
    """Seconds per heart-rate zone (zone 1-5 by the athlete's bounds) and without HR."""
    seconds = dict.fromkeys((f"z{z}" for z in range(1, 6)), 0.0)
    no_hr = 0.0
    for frame in frames:
        valid = frame["valid"].to_numpy(dtype=bool) & frame["zone"].notna().to_numpy()
        zone = np.clip(np.floor(frame["zone"].to_numpy(dtype="float64")[valid]), 1, 5)
        counts = np.bincount(zone.astype(int), minlength=6)
        for z in range(1, 6):
            seconds[f"z{z}"] += float(counts[z])
        no_hr += float((~valid).sum())
    bounds = list(athlete.zones) if athlete.zones is not None else None
    return {"time_s": seconds, "no_hr_s": no_hr, "bounds_bpm": bounds}


def _hrv(frames: list[pd.DataFrame]) -> dict[str, Any] | None:
    """Median over the day's HRV windows of each HRV column, and the window count."""
    if not frames:
        return None
    windows = pd.concat(frames)
    out: dict[str, Any] = {"windows": len(windows), "statistic": "median of windows"}
    for column in windows.columns:
        values = pd.to_numeric(windows[column], errors="coerce")
        if values.notna().any():
            out[column] = float(values.median())
    return out


def _join(parts: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [p for p in parts if p is not None and len(p)]
    if not frames:
        return pd.DataFrame()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # concat of frames with all-NaN columns
        curves = pd.concat(frames)
    curves = curves[~curves.index.duplicated(keep="last")]
    return curves.sort_index(kind="mergesort")
