"""Live load and estimator numbers: the file pipeline, stepped one notification at a time.

:class:`~myokinetics.processing.LoadPipeline` and
:class:`~myokinetics.estimators.CrosstalkModel` are chunk-invariant, so feeding them the
timeline rows of each notification gives the same windows, totals and curves as analysing the
finished recording in one go (tests/devices/test_live_batch.py checks it).
"""

from __future__ import annotations

import math
import time
from typing import Any

import pandas as pd

__all__ = ["PROJECTION_HORIZON", "RECOVERY_HORIZON", "LiveAnalysis"]

#: Recovery horizon added after the last sample when a capture finishes (as ``analyze``).
RECOVERY_HORIZON = pd.Timedelta("24h")
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
    horizon : Timedelta
        Recovery horizon added after the last sample when the capture finishes (as ``analyze``).
    n_draws : int
        Parameter draws of the estimator band (``analyze``'s default, so numbers agree).
    """

    def __init__(self, athlete: Any = None, horizon: pd.Timedelta = RECOVERY_HORIZON,
                 n_draws: int = 200) -> None:
        from myokinetics.estimators import CrosstalkModel
        from myokinetics.processing.pipeline import LoadPipeline

        self.pipeline = LoadPipeline(athlete)
        self.athlete = self.pipeline.athlete
        self.horizon = horizon
        self.model = CrosstalkModel(self.athlete, n_draws=n_draws)
        # Outputs so far, kept for the end-of-capture comparison with batch analysis.
        self.intensity: list[pd.DataFrame] = []
        self.windows: list[pd.DataFrame] = []
        self.hrv: list[pd.DataFrame] = []
        self.curves: list[pd.DataFrame] = []
        # Dashboard values.
        self.values: dict[str, Any] = {}
        self._projected_at: float | None = None
        self.last_cpu_s = 0.0  # CPU time (s) of the last push_rows

    def push_rows(self, rows: list[tuple[int, float]],
                  beats: list[tuple[float, float]]) -> dict[str, Any]:
        """Feed raw timeline rows (epoch s, bpm) and beats (epoch s, ms); see :meth:`push`."""
        from myokinetics.ingest.strap_timeline import TimelineBuilder

        started = time.thread_time()
        chunk = TimelineBuilder.build(rows, beats)
        values = self.push(chunk.samples, chunk.rr)
        self.last_cpu_s = time.thread_time() - started
        return values

    def push(self, samples: pd.DataFrame, rr: pd.Series) -> dict[str, Any]:
        """Feed one chunk of timeline rows; return the dashboard values."""
        self._absorb(self.pipeline.push(samples, rr if len(rr) else None))
        return self.values

    def finish(self) -> dict[str, Any]:
        """Flush the pipeline and add the recovery horizon to the curves."""
        self._absorb(self.pipeline.finish())
        if not self.intensity:
            return self.values
        # As estimate_curves: recovery runs from one second after the last intensity row.
        last = self.intensity[-1].index[-1] + pd.Timedelta(seconds=1)
        recovery = self.model.rest_until(last + self.horizon)
        if len(recovery):
            self.curves.append(recovery)
            # The first rows close the exercise still held back; the rest is the recovery,
            # which is now the projection itself.
            from myokinetics.estimators.model import EXERCISE_STEP_S

            end = recovery[recovery.index <= last + pd.Timedelta(seconds=EXERCISE_STEP_S)]
            if len(end):
                self.values.update(il6=_float(end["il6"].iloc[-1]),
                                   glycogen=_float(end["glycogen"].iloc[-1]))
            ahead = recovery[recovery.index <= last + PROJECTION_HORIZON]
            self.values.update(il6_projected=_float(ahead["il6"].max()),
                               glycogen_projected=_float(ahead["glycogen"].iloc[-1]))
        return self.values

    def _absorb(self, step: Any) -> None:
        values = self.values
        if len(step.intensity):
            self.intensity.append(step.intensity)
            last = step.intensity.iloc[-1]
            values.update(heart_rate=_float(last.get("heart_rate")),
                          zone=_float(last.get("zone")), pct_hrr=_float(last.get("pct_hrr")))
            self._keep_curves(self.model.step(step.intensity))
            totals = self.pipeline.totals()
            variants = totals["variants"]
            values.update(trimp=totals["trimp"], trimp_label=variants["trimp"],
                          hrss=totals["hrss"], hrss_label=variants["hrss"].split(" ")[0],
                          kcal=totals["energy_kcal"], energy_label=variants["energy_kcal"])
        if len(step.windows):
            self.windows.append(step.windows)
        if len(step.hrv):
            self.hrv.append(step.hrv)
            row = step.hrv.iloc[-1]
            values.update(rmssd=_float(row.get("rmssd_ms")),
                          dfa_a1=_float(row.get("dfa_alpha1")))

    def _keep_curves(self, rows: pd.DataFrame) -> None:
        if not len(rows):
            return
        self.curves.append(rows)
        last = rows.iloc[-1]
        self.values.update(il6=_float(last.get("il6")), glycogen=_float(last.get("glycogen")))
        now = rows.index[-1].timestamp()
        if self._projected_at is None or now - self._projected_at >= PROJECTION_EVERY_S:
            self._project(rows.index[-1])
            self._projected_at = now

    def _project(self, now: pd.Timestamp) -> None:
        """IL-6 peak and glycogen at the horizon if the exercise stopped now (model estimates)."""
        from myokinetics.estimators import CrosstalkModel

        ahead = CrosstalkModel(self.athlete, n_draws=self.model.n_draws,
                               state=self.model.state).rest_until(now + PROJECTION_HORIZON)
        if len(ahead):
            self.values.update(il6_projected=float(ahead["il6"].max()),
                               glycogen_projected=float(ahead["glycogen"].iloc[-1]))

    def frames(self) -> dict[str, pd.DataFrame]:
        """Everything produced so far, concatenated (intensity, windows, hrv, curves)."""
        return {name: pd.concat(parts) if parts else pd.DataFrame()
                for name, parts in (("intensity", self.intensity), ("windows", self.windows),
                                    ("hrv", self.hrv), ("curves", self.curves))}


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
