"""Live load and estimator numbers: the file path, stepped one notification at a time.

One :class:`~myokinetics.stream.AthleteStream` takes the timeline rows of each notification;
it is chunk-invariant, so the windows, totals and curves equal those of analysing the finished
recording in one go (tests/test_stream.py checks it).
"""

from __future__ import annotations

import math
import time
from typing import Any

import pandas as pd

from myokinetics.estimators.model import EXERCISE_STEP_S
from myokinetics.ingest.strap_timeline import TimelineBuilder
from myokinetics.stream import AthleteStream, StreamOptions, StreamStep

__all__ = ["PROJECTION_HORIZON", "LiveAnalysis"]

#: How far the "if you stopped now" projection of IL-6 and glycogen looks ahead: IL-6 peaks
#: within the first hour after exercise; glycogen is shown at the end of this horizon.
PROJECTION_HORIZON = pd.Timedelta("6h")
#: Recompute the projection at most this often (s of data time); each integrates
#: PROJECTION_HORIZON of rest over every parameter draw.
PROJECTION_EVERY_S = 60.0


class LiveAnalysis:
    """Load so far, HRV, and current/projected curves, updated per chunk of timeline rows.

    Parameters
    ----------
    athlete : Athlete or None
    options : StreamOptions, optional
        As ``analyze``'s defaults, so the numbers agree (recovery horizon, draws ...).
    """

    def __init__(self, athlete: Any = None, options: StreamOptions | None = None) -> None:
        self.stream = AthleteStream(athlete, options)
        self.athlete = self.stream.athlete
        # Outputs so far, kept for the end-of-capture comparison with batch analysis.
        self.steps: list[StreamStep] = []
        # Dashboard values.
        self.values: dict[str, Any] = {}
        self._projected_at: float | None = None
        self.last_cpu_s = 0.0  # CPU time (s) of the last push_rows

    def push_rows(self, rows: list[tuple[int, float]],
                  beats: list[tuple[float, float]]) -> dict[str, Any]:
        """Feed raw timeline rows (epoch s, bpm) and beats (epoch s, ms); see :meth:`push`."""
        started = time.thread_time()
        chunk = TimelineBuilder.build(rows, beats)
        values = self.push(chunk.samples, chunk.rr)
        self.last_cpu_s = time.thread_time() - started
        return values

    def push(self, samples: pd.DataFrame, rr: pd.Series) -> dict[str, Any]:
        """Feed one chunk of timeline rows; return the dashboard values."""
        self._absorb(self.stream.push(samples, rr if len(rr) else None))
        return self.values

    def finish(self) -> dict[str, Any]:
        """End the recording: flush held-back rows and add the recovery horizon."""
        step = self.stream.finish()
        last_intensity = next((s.intensity.index[-1] for s in reversed(self.steps)
                               if len(s.intensity)), None)
        self._absorb(step, project=False)
        last = step.intensity.index[-1] if len(step.intensity) else last_intensity
        if last is None or not len(step.curves):
            return self.values
        # The rows up to the end of the last exercise block close the exercise; the rest is
        # the recovery, which is now the projection itself.
        end = last + pd.Timedelta(seconds=1)
        curves = step.curves
        closing = curves[curves.index <= end + pd.Timedelta(seconds=EXERCISE_STEP_S)]
        if len(closing):
            self.values.update(il6=_float(closing["il6"].iloc[-1]),
                               glycogen=_float(closing["glycogen"].iloc[-1]))
        ahead = curves[curves.index <= end + PROJECTION_HORIZON]
        self.values.update(il6_projected=_float(ahead["il6"].max()),
                           glycogen_projected=_float(ahead["glycogen"].iloc[-1]))
        return self.values

    def _absorb(self, step: StreamStep, project: bool = True) -> None:
        self.steps.append(step)
        values = self.values
        if len(step.intensity):
            last = step.intensity.iloc[-1]
            values.update(heart_rate=_float(last.get("heart_rate")),
                          zone=_float(last.get("zone")), pct_hrr=_float(last.get("pct_hrr")))
            totals = self.stream.totals()
            variants = totals["variants"]
            values.update(trimp=totals["trimp"], trimp_label=variants["trimp"],
                          hrss=totals["hrss"], hrss_label=variants["hrss"].split(" ")[0],
                          kcal=totals["energy_kcal"], energy_label=variants["energy_kcal"])
        if project and len(step.curves):
            self._keep_curves(step.curves)
        if len(step.hrv):
            row = step.hrv.iloc[-1]
            values.update(rmssd=_float(row.get("rmssd_ms")),
                          dfa_a1=_float(row.get("dfa_alpha1")))

    def _keep_curves(self, rows: pd.DataFrame) -> None:
        last = rows.iloc[-1]
        self.values.update(il6=_float(last.get("il6")), glycogen=_float(last.get("glycogen")))
        now = rows.index[-1].timestamp()
        if self._projected_at is None or now - self._projected_at >= PROJECTION_EVERY_S:
            ahead = self.stream.project_rest(rows.index[-1] + PROJECTION_HORIZON)
            if len(ahead):  # IL-6 peak and glycogen at the horizon if exercise stopped now
                self.values.update(il6_projected=float(ahead["il6"].max()),
                                   glycogen_projected=float(ahead["glycogen"].iloc[-1]))
            self._projected_at = now

    def frames(self) -> dict[str, pd.DataFrame]:
        """Everything produced so far, concatenated (intensity, windows, hrv, curves)."""
        out = {}
        for name in ("intensity", "windows", "hrv", "curves"):
            parts = [getattr(s, name) for s in self.steps if len(getattr(s, name))]
            out[name] = pd.concat(parts) if parts else pd.DataFrame()
        return out


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
