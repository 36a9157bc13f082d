"""`AthleteStream`: the one unit that turns samples (+ RR) into load and crosstalk curves.

Everything that analyses heart-rate data goes through it: ``analyze`` (a file is one chunk), live
capture (one chunk per notification), daily summaries (the stream's state carried from day to
day) and the estimators' calibration (published protocols). A stream is one athlete's body: the
load pipeline (:class:`~myokinetics.processing.LoadPipeline`) measures the current recording, and
the crosstalk model (:class:`~myokinetics.estimators.CrosstalkModel`) carries the body on through
every recording and the rest between them. Both are chunk-invariant, so any split of the same
data into pushes gives the same rows (tests/test_stream.py).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from myokinetics.athlete import Athlete
from myokinetics.errors import InputError
from myokinetics.estimators import (
    CURVE_COLUMNS,
    CURVES,
    DEFAULT_HORIZON,
    MODEL_NOTE,
    CrosstalkModel,
)
from myokinetics.processing import LoadPipeline, lipponen_tarvainen
from myokinetics.processing.rr import ordered_rr
from myokinetics.processing.timer import TIME_CONVENTIONS, moving_samples

__all__ = ["DEFAULT_HORIZON", "MAX_HORIZON", "RR_CORRECTIONS", "AthleteStream", "StreamOptions",
           "StreamState", "StreamStep", "concat_steps", "horizon_timedelta"]

#: "fatmaxxer": FatMaxxer's streaming successive-difference rule (live-capable).
#: "lipponen_tarvainen": the offline Lipponen & Tarvainen 2019 correction, applied to each
#: pushed RR chunk as a whole (push a recording's RR in one piece).
RR_CORRECTIONS = ("fatmaxxer", "lipponen_tarvainen")
_TIME_NOTES = {"moving": "moving: samples recorded while the device's timer was stopped are "
                          "left out, no dropout bridged across a timer pause",
               "elapsed": "elapsed: every sample counts, timer pauses included"}
#: Longest recovery horizon accepted (a year): beyond it every response has long decayed.
MAX_HORIZON = pd.Timedelta(hours=8760)


@dataclass(frozen=True)
class StreamOptions:
    """Everything that shapes a stream's numbers, in one place.

    Attributes
    ----------
    window_s, step_s : int
        Load windows (s): ``window_s`` long every ``step_s`` (default: tumbling).
    hrv_window_s, hrv_step_s : float or None
        HRV windows (s); None gives FatMaxxer's 120 s every 20 s.
    dfa_scales : tuple of int or None
        DFA alpha1 box sizes (beats); None gives FatMaxxer's.
    rr_correction : str
        One of :data:`RR_CORRECTIONS`.
    curves : bool
        Run the crosstalk model (the slowest part).
    n_draws, seed : int
        Simulated individuals of the curves' band, and the seed of their parameter draws.
    horizon : Timedelta
        Recovery simulated by :meth:`AthleteStream.finish` after the last sample.
    parameter_overrides : mapping
        ``{"section.name": value}`` replacing estimator parameter point values (what-if runs,
        calibration).
    keep_draws : bool
        Keep every simulated individual of the curve rows (``stream.model.take_draws()``).
    time_convention : str
        ``"moving"`` (seconds while the timer was stopped left out) or ``"elapsed"``; see
        :mod:`myokinetics.processing.timer`.
    """

    window_s: int = 60
    step_s: int | None = None
    hrv_window_s: float | None = None
    hrv_step_s: float | None = None
    dfa_scales: tuple[int, ...] | None = None
    rr_correction: str = "fatmaxxer"
    curves: bool = True
    n_draws: int = 200
    seed: int = 0
    horizon: pd.Timedelta = DEFAULT_HORIZON
    parameter_overrides: Mapping[str, float] = field(default_factory=dict)
    keep_draws: bool = False
    time_convention: str = "moving"

    def __post_init__(self) -> None:
        if self.rr_correction not in RR_CORRECTIONS:
            raise InputError("rr_correction", f"unknown value {self.rr_correction!r}",
                             f"use one of {', '.join(RR_CORRECTIONS)}")
        if self.time_convention not in TIME_CONVENTIONS:
            raise InputError("time_convention", f"unknown value {self.time_convention!r}",
                             f"use one of {', '.join(TIME_CONVENTIONS)}")
        object.__setattr__(self, "horizon", horizon_timedelta(self.horizon))
        if isinstance(self.n_draws, bool) or not isinstance(self.n_draws, int) \
                or self.n_draws < 1:
            raise InputError("n_draws", f"{self.n_draws!r} is not a positive whole number",
                             "give at least 1 draw (200 for a smooth band)")


def horizon_timedelta(horizon: pd.Timedelta | str | float) -> pd.Timedelta:
    """A recovery horizon as a Timedelta: hours (a number) or a duration such as ``"24h"``."""
    try:
        value = pd.Timedelta(hours=horizon) if isinstance(horizon, int | float) \
            else pd.Timedelta(horizon)
    except (TypeError, ValueError, OverflowError):
        raise InputError("horizon", f"{horizon!r} is not a duration",
                         "give hours (a number) or a duration such as '24h'") from None
    if value is pd.NaT or value < pd.Timedelta(0):
        raise InputError("horizon", f"{horizon!r} is negative or missing", "give hours >= 0")
    if value > MAX_HORIZON:
        raise InputError("horizon", f"{value} is longer than a year",
                         "give at most 8760 hours; every response has decayed long before")
    return value


@dataclass
class StreamStep:
    """Rows completed by one :meth:`AthleteStream.push`, ``rest_until`` or ``finish``.

    Attributes
    ----------
    intensity : DataFrame
        Per-second intensity (UTC index ``time``).
    windows : DataFrame
        Load windows (index = window start, UTC); columns name their variant.
    hrv : DataFrame
        HRV windows (index = window end, UTC).
    curves : DataFrame
        Model-estimated curves (UTC index; empty when curves are off or nothing completed).
    """

    intensity: pd.DataFrame
    windows: pd.DataFrame
    hrv: pd.DataFrame
    curves: pd.DataFrame


@dataclass(frozen=True)
class StreamState:
    """A stream's picklable snapshot: give it as ``state=`` to go on elsewhere.

    ``pipeline`` is the open recording's load pipeline (None between recordings), ``model`` the
    crosstalk model's state (None before any heart rate or with curves off).
    """

    pipeline: LoadPipeline | None
    model: dict[str, Any] | None
    rr_corrections: dict[str, float]


class AthleteStream:
    """One athlete's load and crosstalk curves, fed chunk by chunk.

    Parameters
    ----------
    athlete : Athlete, optional
        The profile; missing values get announced population defaults.
    options : StreamOptions, optional
    state : StreamState, optional
        Where an earlier stream (same athlete and options) stopped.

    A recording runs from its first :meth:`push` to :meth:`finish`; the model then rests
    until the next recording, whose load starts from zero while the body goes on from where
    the last one left it. Seconds the model has already simulated (two devices recording one
    workout) count towards the load of each recording but are simulated once.
    """

    def __init__(self, athlete: Athlete | None = None, options: StreamOptions | None = None,
                 state: StreamState | None = None) -> None:
        self.athlete = (athlete or Athlete()).resolved()
        self.options = options or StreamOptions()
        self._pipeline = copy.deepcopy(state.pipeline) if state else None
        self._rr_corrections = dict(state.rr_corrections) if state else {}
        self._model: CrosstalkModel | None = None
        if self.options.curves:
            self._model = CrosstalkModel(
                self.athlete, n_draws=self.options.n_draws, seed=self.options.seed,
                state=state.model if state else None, keep_draws=self.options.keep_draws,
                overrides=self.options.parameter_overrides or None)
        self._finished: LoadPipeline | None = None

    # ------------------------------------------------------------------ feeding
    def push(self, samples: pd.DataFrame, rr: pd.Series | None = None,
             sport: str | None = None, pauses: pd.DataFrame | None = None) -> StreamStep:
        """Consume samples (UTC index, ``heart_rate`` bpm ...) and RR (ms); return what they
        complete. ``sport`` (canonical name) is read at a recording's first push: cycling
        takes its energy from power. ``pauses`` (``start``, ``end`` UTC: the device's timer
        stopped) leave their samples out under the ``moving`` time convention."""
        pipeline = self._open_pipeline(sport)
        if pauses is not None and self.options.time_convention == "moving":
            samples = moving_samples(samples, pauses)
        if rr is not None and len(rr) and self.options.rr_correction == "lipponen_tarvainen":
            rr = self._corrected(rr)
        step = pipeline.push(samples, rr if rr is not None and len(rr) else None)
        return StreamStep(step.intensity, step.windows, step.hrv, self._model_step(
            step.intensity))

    def finish(self, horizon: pd.Timedelta | str | float | None = None) -> StreamStep:
        """End the recording: flush held-back rows and simulate ``horizon`` of recovery after
        its last second (default: the options' horizon)."""
        recovery = self.options.horizon if horizon is None else horizon_timedelta(horizon)
        pipeline = self._open_pipeline()
        step = pipeline.finish()
        self._pipeline, self._finished = None, pipeline
        curves = [self._model_step(step.intensity)]
        last = pipeline.last_second
        if self._model is not None and last is not None \
                and self._model.last_input_second is not None:
            end = pd.Timestamp(last + 1, unit="s", tz="UTC") + recovery
            curves.append(self._model.rest_until(end))
        return StreamStep(step.intensity, step.windows, step.hrv, _join(curves))

    def rest_until(self, t: pd.Timestamp | str) -> pd.DataFrame:
        """Simulate rest up to ``t`` (UTC); a model not yet started starts rested at ``t``.

        Returns the curve rows it completed (empty with curves off).
        """
        if self._model is None:
            return _no_curves()
        stamp = _utc(t)
        if self._model.last_time is None:
            return self._model.step(_rest_second(stamp))
        return self._model.rest_until(stamp)

    def project_rest(self, until: pd.Timestamp | str) -> pd.DataFrame:
        """The curves if the athlete rested from now until ``until``; the stream is unchanged."""
        if self._model is None or self._model.last_time is None:
            return _no_curves()
        ahead = CrosstalkModel(self.athlete, n_draws=self.options.n_draws,
                               state=self._model.state)
        return ahead.rest_until(_utc(until))

    # ------------------------------------------------------------------ reading
    def totals(self) -> dict[str, Any]:
        """Totals of the open (else the last finished) recording; ``variants`` names each."""
        pipeline = self._pipeline or self._finished
        if pipeline is None:
            pipeline = self._open_pipeline()
        out = pipeline.totals()
        out["variants"]["time"] = _TIME_NOTES[self.options.time_convention]
        if self._rr_corrections:
            out["rr_corrections"] = dict(self._rr_corrections)
        return out

    @property
    def state(self) -> StreamState:
        """A picklable snapshot of the open recording and of the body."""
        return StreamState(pipeline=copy.deepcopy(self._pipeline),
                           model=self._model.state if self._model else None,
                           rr_corrections=dict(self._rr_corrections))

    @property
    def model_time(self) -> pd.Timestamp | None:
        """UTC time up to which the body has been simulated (None before any input)."""
        return None if self._model is None else self._model.last_time

    @property
    def model(self) -> CrosstalkModel | None:
        """The crosstalk model (None with curves off): its draws for per-individual metrics."""
        return self._model

    # ------------------------------------------------------------------ internals
    def _open_pipeline(self, sport: str | None = None) -> LoadPipeline:
        if self._pipeline is None:
            o = self.options
            lt = o.rr_correction == "lipponen_tarvainen"
            self._pipeline = LoadPipeline(
                self.athlete, window_s=o.window_s, step_s=o.step_s, hrv_window_s=o.hrv_window_s,
                hrv_step_s=o.hrv_step_s, dfa_scales=o.dfa_scales,
                rr_filter="range" if lt else "auto",
                rr_variant="lipponen_tarvainen_2019" if lt else None, sport=sport)
            self._rr_corrections = {}
        return self._pipeline

    def _model_step(self, intensity: pd.DataFrame) -> pd.DataFrame:
        model = self._model
        if model is None or not len(intensity):
            return _no_curves()
        if model.last_time is not None:
            # The body lives each second once: rows already simulated are left out.
            assert isinstance(intensity.index, pd.DatetimeIndex)  # intensity frames: by time
            seconds = intensity.index.as_unit("s").asi8
            first = int(model.last_time.timestamp())
            if model.last_input_second is not None:
                first = max(first, model.last_input_second + 1)
            intensity = intensity.loc[seconds >= first]
        return model.step(intensity) if len(intensity) else _no_curves()

    def _corrected(self, rr: pd.Series) -> pd.Series:
        """Lipponen & Tarvainen correction; split intervals end before the beat they came from."""
        t_ns, values = ordered_rr(rr)
        corrected, ends, counts = lipponen_tarvainen(values)
        for key, value in counts.items():
            self._rr_corrections[key] = self._rr_corrections.get(key, 0) + value
        times = t_ns[ends].astype(np.float64)
        later = np.zeros(len(corrected))
        for i in range(len(corrected) - 2, -1, -1):
            if times[i] == times[i + 1]:
                later[i] = later[i + 1] + corrected[i + 1]
        index = pd.DatetimeIndex((times - later * 1e6).astype(np.int64).view("datetime64[ns]"),
                                 name="time").tz_localize("UTC")
        return pd.Series(corrected, index=index, name="rr")


def _utc(t: pd.Timestamp | str) -> pd.Timestamp:
    stamp = pd.Timestamp(t)
    return stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize("UTC")


def _rest_second(at: pd.Timestamp) -> pd.DataFrame:
    """A one-second intensity frame of rest (NaN intensities count as rest)."""
    index = pd.DatetimeIndex([at.floor("s")], name="time")
    return pd.DataFrame({c: [np.nan] for c in ("pct_vo2max", "vo2", "energy_kcal_min")},
                        index=index)


def _no_curves() -> pd.DataFrame:
    frame = pd.DataFrame(np.empty((0, len(CURVE_COLUMNS))), columns=list(CURVE_COLUMNS),
                         index=pd.DatetimeIndex([], tz="UTC", name="time"))
    frame.attrs.update(note=MODEL_NOTE, units=dict(CURVES))
    return frame


def _join(parts: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [p for p in parts if len(p)]
    if not frames:
        return _no_curves()
    joined = pd.concat(frames) if len(frames) > 1 else frames[0]
    joined.attrs.update(note=MODEL_NOTE, units=dict(CURVES))
    return joined


def concat_steps(steps: list[StreamStep]) -> StreamStep:
    """One step holding every row of ``steps``, in order."""
    def cat(name: str, empty: pd.DataFrame) -> pd.DataFrame:
        frames = [getattr(s, name) for s in steps if len(getattr(s, name))]
        return pd.concat(frames) if frames else empty

    first = steps[0]
    return StreamStep(cat("intensity", first.intensity), cat("windows", first.windows),
                      cat("hrv", first.hrv),
                      _join([s.curves for s in steps]))
