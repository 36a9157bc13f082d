"""`CrosstalkModel`: the stateful, chunk-invariant driver of the crosstalk estimators.

Time grid (UTC, documented in docs/science.md):

* inside a recording the 1 s intensity rows are averaged over 10 s blocks aligned to the Unix
  epoch (seconds absent inside a block count as rest) and the model takes one 10 s step per
  block, emitting a row at the block's end;
* between recordings and after the last one the body is at rest: steps end on every 5-minute
  boundary of the epoch and at the next recording's first block (or at the ``rest_until`` time),
  each with a row;
* the first block of a run is preceded by one row of the rested state at its start;
* rest longer than :data:`MAX_REST_S` (10 days) is simulated for 10 days, then the state is
  set to the rested state and one row is written at the gap's end (everything has decayed).

Because blocks and rest boundaries depend only on absolute time, any split of the input into
chunks gives the same rows (a block is held back until a later row or ``rest_until`` shows it is
complete).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np
import pandas as pd

from myokinetics.errors import InputError
from myokinetics.estimators.columns import CURVE_COLUMNS, CURVES, MODEL_NOTE
from myokinetics.estimators.dynamics import (
    AthleteConstants,
    ModelParameters,
    advance,
    initial_state,
    observe,
    raw_rows,
    resting_output,
)
from myokinetics.estimators.params import sample_parameters

__all__ = [
    "BOUT_GAP_S",
    "EXERCISE_STEP_S",
    "MAX_REST_S",
    "REST_STEP_S",
    "AthleteLike",
    "CrosstalkModel",
    "EstimatorInputError",
]

EXERCISE_STEP_S = 10   #: output/integration step inside a recording (s)
REST_STEP_S = 300      #: output/integration step at rest (s)
BOUT_GAP_S = 600       #: a rest gap at least this long starts a new bout (EPOC restarts at 0)
#: Rest longer than this is not simulated step by step: every response has decayed (the slowest,
#: insulin sensitivity, has tau = 30 h), so the state jumps to the rested state at the gap's end.
MAX_REST_S = 10 * 86400
REQUIRED_COLUMNS = ("pct_vo2max", "vo2", "energy_kcal_min")
_STATE_VERSION = 1


def band_percentiles(cube: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """5th, 50th and 95th percentiles along the last (draw) axis.

    Same values as ``np.percentile(cube, [5, 50, 95], axis=-1)`` (linear interpolation), from
    one partial sort instead of one per percentile.
    """
    n = cube.shape[-1]
    positions = np.array([0.05, 0.50, 0.95]) * (n - 1)
    below = np.floor(positions).astype(int)
    above = np.minimum(below + 1, n - 1)
    ordered = np.partition(cube, np.unique(np.r_[below, above]), axis=-1)
    frac = positions - below
    return tuple(ordered[..., b] + f * (ordered[..., a] - ordered[..., b])
                 for b, a, f in zip(below, above, frac, strict=True))


class EstimatorInputError(InputError):
    """An intensity chunk the estimators cannot use (missing columns, time going backwards)."""


class AthleteLike(Protocol):
    """The athlete fields the estimators read (``myokinetics.Athlete`` satisfies it)."""

    # Read-only properties, so that frozen dataclasses (Athlete) satisfy the protocol.
    @property
    def body_mass_kg(self) -> float | None: ...
    @property
    def vo2max(self) -> float | None: ...
    @property
    def hr_rest(self) -> float | None: ...
    @property
    def hr_max(self) -> float | None: ...
    @property
    def hr_threshold(self) -> float | None: ...


def athlete_constants(athlete: AthleteLike) -> AthleteConstants:
    """Resolve the athlete (population defaults, announced by the Athlete class) to constants."""
    resolved = athlete.resolved() if hasattr(athlete, "resolved") else athlete
    missing = [f for f in ("body_mass_kg", "vo2max", "hr_rest", "hr_max")
               if getattr(resolved, f, None) is None]
    if missing:
        raise EstimatorInputError("athlete", f"missing {', '.join(missing)}",
                                  "give these fields or use myokinetics.Athlete, which fills "
                                  "population defaults")
    # Guaranteed by the check above; narrows the Optional fields for the type checker.
    assert resolved.vo2max is not None and resolved.body_mass_kg is not None
    assert resolved.hr_rest is not None and resolved.hr_max is not None
    threshold = None
    defaulted = getattr(resolved, "defaulted", ())
    hr_threshold = getattr(resolved, "hr_threshold", None)
    if hr_threshold is not None and "hr_threshold" not in defaulted:
        vo2max = float(resolved.vo2max)
        hrr = (hr_threshold - resolved.hr_rest) / (resolved.hr_max - resolved.hr_rest)
        # %HRR = %VO2R (Swain & Leutholtz 1997, LIT §5.1), VO2rest = 1 MET.
        threshold = float(np.clip((3.5 + hrr * (vo2max - 3.5)) / vo2max, 0.3, 1.0))
    return AthleteConstants(float(resolved.body_mass_kg), float(resolved.vo2max), threshold)


class CrosstalkModel:
    """Myokine and metabolic curves with an inter-individual band, fed chunk by chunk.

    Parameters
    ----------
    athlete : Athlete-like
        The athlete (``myokinetics.Athlete``); missing values get population defaults.
    n_draws : int
        Simulated individuals (parameter sets) for the band; 1 runs the point values.
    seed : int
        Seed of the parameter draws.
    state : dict, optional
        A snapshot from :attr:`state`, to resume where that model stopped (its parameter draws
        are reused, so the band continues seamlessly).
    keep_draws : bool
        Also keep every draw of every row returned, for :meth:`take_draws` (per-individual
        metrics, as the calibration computes them).
    overrides : mapping, optional
        ``{"section.name": value}`` replacing parameter point values (calibration only).

    Notes
    -----
    Output frames have a UTC index ``time`` and the columns of
    :data:`myokinetics.estimators.columns.CURVE_COLUMNS`: the central column is the median over
    the draws, ``_lo``/``_hi`` the 5th/95th percentiles. They are model estimates, not
    measurements (``frame.attrs["note"]``).
    """

    def __init__(self, athlete: AthleteLike, n_draws: int = 200, seed: int = 0,
                 state: Mapping[str, Any] | None = None, keep_draws: bool = False,
                 overrides: Mapping[str, float] | None = None) -> None:
        self.athlete = athlete
        self.n_draws = n_draws
        self.seed = seed
        self.keep_draws = keep_draws
        self._kept: list[np.ndarray] = []
        constants = athlete_constants(athlete)
        if state is not None:
            if state.get("version") != _STATE_VERSION or state["n_draws"] != n_draws:
                raise EstimatorInputError("state", "saved by a different model version or "
                                          "number of draws", "start a new model (or rerun "
                                          "from the first day)")
            draws = {k: np.array(v) for k, v in state["draws"].items()}
            saved_vars: dict[str, np.ndarray] | None = {
                k: np.array(v) for k, v in state["vars"].items()}
            self._last: int | None = state["last"]    # time (Unix s) the states refer to
            self._seen: int | None = state["seen"]    # last input second consumed (Unix s)
            self._pending: tuple[int, float, float, float, int] | None = state["pending"]
        else:
            draws = sample_parameters(n_draws, seed, overrides)
            saved_vars = None
            self._last = None
            self._seen = None
            self._pending = None
        self._draws = draws
        self._p = ModelParameters(draws, constants)
        self._vars: dict[str, np.ndarray] = (
            saved_vars if saved_vars is not None else initial_state(self._p))
        self._rows: list[tuple[int, dict[str, np.ndarray]]] = []

    # ------------------------------------------------------------------ state
    @property
    def state(self) -> dict[str, Any]:
        """A picklable snapshot: pass it as ``state=`` to continue from here."""
        return {"version": _STATE_VERSION, "n_draws": self.n_draws,
                "draws": copy.deepcopy(self._draws), "vars": copy.deepcopy(self._vars),
                "last": self._last, "seen": self._seen, "pending": self._pending}

    def take_draws(self) -> np.ndarray:
        """Every draw of the rows returned since the last call, array of shape (rows,
        quantities, draws), in row order (needs ``keep_draws``)."""
        kept, self._kept = self._kept, []
        return np.concatenate(kept) if kept else np.empty((0, len(CURVES), self._p.n))

    @property
    def last_input_second(self) -> int | None:
        """The last input second consumed (Unix s, UTC), None before any input."""
        return self._seen

    @property
    def last_time(self) -> pd.Timestamp | None:
        """UTC time the model state refers to (None before any input)."""
        return None if self._last is None else pd.Timestamp(self._last, unit="s", tz="UTC")

    # ------------------------------------------------------------------ feeding
    def step(self, intensity: pd.DataFrame) -> pd.DataFrame:
        """Consume a chunk of the per-second intensity frame; return the curve rows it completes.

        Parameters
        ----------
        intensity : DataFrame
            UTC index ``time`` (1 s grid), columns ``pct_vo2max`` (%), ``vo2`` (mL/kg/min) and
            ``energy_kcal_min`` (kcal/min). NaN values count as rest for that second.
        """
        seconds, values = self._prepare(intensity)
        if len(seconds):
            self._seen = int(seconds[-1])
            self._consume(seconds, values)
        return self._flush_rows()

    def rest_until(self, t: pd.Timestamp | str) -> pd.DataFrame:
        """Close any open block and integrate rest up to ``t`` (UTC); return the new rows."""
        stamp = pd.Timestamp(t)
        stamp = stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize("UTC")
        target = int(np.floor(stamp.timestamp()))
        if self._pending is not None:
            block, *sums = self._pending
            self._pending = None
            self._run_blocks(np.array([block]), np.array([sums[:3]]), np.array([sums[3]]))
        if self._last is not None and target > self._last:
            self._rest(self._last, target)
        return self._flush_rows()

    # ------------------------------------------------------------------ internals
    def _prepare(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
        if missing:
            raise EstimatorInputError("intensity", f"missing column(s) {', '.join(missing)}",
                                      "pass the per-second intensity frame from processing")
        if not isinstance(frame.index, pd.DatetimeIndex) or frame.index.tz is None:
            raise EstimatorInputError("intensity", "index is not a tz-aware DatetimeIndex",
                                      "index the frame by UTC time")
        seconds = frame.index.as_unit("s").asi8 if len(frame) else np.empty(0, np.int64)
        if len(seconds) and np.any(np.diff(seconds) <= 0):
            raise EstimatorInputError("intensity", "time is not strictly increasing",
                                      "sort the frame and drop duplicate seconds")
        if len(seconds) and self._seen is not None and seconds[0] <= self._seen:
            raise EstimatorInputError("intensity", f"chunk starts at {frame.index[0]}, before "
                                      "data already consumed", "feed chunks in time order")
        if len(seconds) and self._last is not None and seconds[0] < self._last:
            raise EstimatorInputError("intensity", f"chunk starts at {frame.index[0]}, before "
                                      "the model time (rest_until went past it)",
                                      "feed chunks in time order")
        p = self._p
        rest = (100.0 * p.x_rest, p.vo2_rest, p.ee_rest)
        values = np.column_stack([
            np.where(np.isfinite(col := frame[name].to_numpy(float)), col, fill)
            for name, fill in zip(REQUIRED_COLUMNS, rest, strict=True)])
        return seconds, values

    def _consume(self, seconds: np.ndarray, values: np.ndarray) -> None:
        blocks = seconds // EXERCISE_STEP_S
        starts = np.flatnonzero(np.r_[True, blocks[1:] != blocks[:-1]])
        ids = blocks[starts]
        sums = np.add.reduceat(values, starts, axis=0)
        counts = np.diff(np.r_[starts, len(blocks)])
        if self._pending is not None:
            block, s_x, s_v, s_e, count = self._pending
            self._pending = None
            if ids[0] == block:
                sums[0] += (s_x, s_v, s_e)
                counts[0] += count
            else:
                ids = np.r_[block, ids]
                sums = np.vstack([[s_x, s_v, s_e], sums])
                counts = np.r_[count, counts]
        # The last block stays open unless its final second is present.
        if seconds[-1] % EXERCISE_STEP_S != EXERCISE_STEP_S - 1:
            s_x, s_v, s_e = (float(v) for v in sums[-1])   # the three sums of the block
            self._pending = (int(ids[-1]), s_x, s_v, s_e, int(counts[-1]))
            ids, sums, counts = ids[:-1], sums[:-1], counts[:-1]
        self._run_blocks(ids, sums, counts)

    def _run_blocks(self, ids: np.ndarray, sums: np.ndarray, counts: np.ndarray) -> None:
        if not len(ids):
            return
        p, s = self._p, self._vars
        rest = np.array([100.0 * p.x_rest, p.vo2_rest, p.ee_rest])
        means = (sums + (EXERCISE_STEP_S - counts)[:, None] * rest) / EXERCISE_STEP_S
        for block, (pct, vo2, ee) in zip(ids.tolist(), means.tolist(), strict=True):
            start = block * EXERCISE_STEP_S
            if self._last is None:
                self._rows.append((start, resting_output(s, p)))
                self._last = start
            elif start > self._last:
                gap = start - self._last
                self._rest(self._last, start)
                if gap >= BOUT_GAP_S:
                    s["epoc_cum"] = np.zeros(p.n)
            out = advance(s, p, pct / 100.0, vo2, ee, True, EXERCISE_STEP_S)
            self._last = start + EXERCISE_STEP_S
            self._rows.append((self._last, out))

    def _rest(self, start: int, end: int) -> None:
        p, s = self._p, self._vars
        first = (start // REST_STEP_S + 1) * REST_STEP_S
        if end - start > MAX_REST_S:
            self._rest(start, start + MAX_REST_S)
            s.update(initial_state(p))  # in place: callers hold this dict
            self._rows.append((end, resting_output(s, p)))
            self._last = end
            return
        stops = [*range(first, end, REST_STEP_S), end]
        t = start
        for stop in stops:
            out = advance(s, p, p.x_rest, p.vo2_rest, float("nan"), False, stop - t)
            self._rows.append((stop, out))
            t = stop
        self._last = end

    def _flush_rows(self) -> pd.DataFrame:
        rows, self._rows = self._rows, []
        index = pd.DatetimeIndex(pd.to_datetime([t for t, _ in rows], unit="s", utc=True),
                                 name="time").as_unit("ns")
        if rows:
            cube = observe(raw_rows([raw for _, raw in rows]), self._p)  # (rows, q, draws)
            if self.keep_draws:
                self._kept.append(cube)
            lo, mid, hi = band_percentiles(cube)
            data = np.empty((len(rows), 3 * len(CURVES)))
            data[:, 0::3], data[:, 1::3], data[:, 2::3] = mid, lo, hi
        else:
            data = np.empty((0, 3 * len(CURVES)))
        frame = pd.DataFrame(data, index=index, columns=list(CURVE_COLUMNS))
        frame.attrs["note"] = MODEL_NOTE
        frame.attrs["units"] = dict(CURVES)
        return frame
