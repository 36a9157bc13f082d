"""HRV in sliding windows of RR intervals: mean HR, RMSSD, SDNN, DFA alpha1, artifact %.

Windows end at multiples of ``step_s`` (UTC epoch) and hold the beats whose time is in
``(end - window_s, end]`` (FatMaxxer: 120 s, every 20 s). Features use the accepted beats in
order (successive differences across a dropped beat, as FatMaxxer and Altini's reference).
A window is emitted once a beat after its end has arrived, or at the end of the stream when
it ends before the last beat, and only when it lies after the start of the first interval.

DFA alpha1 (Peng et al. 1995; FatMaxxer/Altini form): integrate ``y = cumsum(rr - mean)``,
cut it into non-overlapping boxes of each size from both ends, detrend each box linearly,
``F(s) = sqrt(mean(rms^2))``, alpha1 = slope of log2 F against log2 s over all listed sizes
(duplicates weigh as in FatMaxxer's list).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd

from myokinetics.processing.params import presets

__all__ = ["HRV_COLUMNS", "HrvWindows", "dfa_alpha1", "fatmaxxer_scales"]

HRV_COLUMNS = ("hr_mean_rr", "rmssd_ms", "sdnn_ms", "dfa_alpha1", "n_beats", "artifact_pct")
_COLUMNS = pd.Index(HRV_COLUMNS)


def fatmaxxer_scales() -> tuple[int, ...]:
    """FatMaxxer's 30 DFA box sizes (beats)."""
    return tuple(presets()["hrv"]["fatmaxxer_scales"])


@cache
def _residual_projector(size: int) -> np.ndarray:
    """I - H for a least-squares line over ``size`` points (right-multiply rows of boxes)."""
    x = np.vstack([np.arange(size, dtype=float), np.ones(size)]).T
    return np.eye(size) - x @ np.linalg.pinv(x)


def dfa_alpha1(rr: np.ndarray, scales: Sequence[int] | None = None) -> float:
    """Short-term DFA scaling exponent of an RR series (ms); NaN when too short.

    Parameters
    ----------
    rr : ndarray
        RR intervals (ms), artifacts already removed.
    scales : sequence of int, optional
        Box sizes (beats); default :func:`fatmaxxer_scales`.
    """
    scales = tuple(scales) if scales is not None else fatmaxxer_scales()
    rr = np.asarray(rr, dtype=float)
    if len(rr) < 2 * max(scales):
        return float("nan")
    y = np.cumsum(rr - rr.mean())
    log_f = {}
    for size in set(scales):
        n = len(y) // size
        boxes = np.concatenate((y[:n * size].reshape(n, size),
                                y[len(y) - n * size:].reshape(n, size)))
        resid = boxes @ _residual_projector(size)
        # F(s) = sqrt(mean over boxes of the per-box mean square); boxes have equal size
        log_f[size] = 0.5 * np.log2(np.einsum("ij,ij->", resid, resid) / resid.size)
    x = np.log2(np.asarray(scales, dtype=float))
    f = np.array([log_f[s] for s in scales])
    xc = x - x.mean()
    return float(xc @ (f - f.mean()) / (xc @ xc))


def _features(rr: np.ndarray, n_total: int, scales: tuple[int, ...], min_beats: int
              ) -> tuple[float, ...]:
    n = len(rr)
    artifact = 100.0 * (n_total - n) / n_total if n_total else np.nan
    if n < min_beats:
        return (np.nan, np.nan, np.nan, np.nan, float(n), artifact)
    diff = np.diff(rr)
    return (60000.0 / rr.mean(), float(np.sqrt(np.mean(diff * diff))), float(rr.std()),
            dfa_alpha1(rr, scales), float(n), artifact)


class HrvWindows:
    """Stateful HRV windows over a stream of RR intervals.

    Parameters
    ----------
    window_s, step_s : float
        Window length and spacing of window ends (s).
    scales : sequence of int, optional
        DFA box sizes (beats); default FatMaxxer's.
    origin_s : float
        Window ends fall on ``origin_s + k x step_s`` (UTC epoch s); 0 aligns them to the clock.
    """

    def __init__(self, window_s: float | None = None, step_s: float | None = None,
                 scales: Sequence[int] | None = None, origin_s: float = 0.0) -> None:
        hrv = presets()["hrv"]
        self.window_s = float(window_s if window_s is not None else hrv["window_s"])
        self.step_s = float(step_s if step_s is not None else hrv["step_s"])
        self.scales = tuple(scales) if scales is not None else fatmaxxer_scales()
        self.min_beats = int(hrv["min_beats"])
        self.origin_s = float(origin_s)
        # per-stream state
        self._t = np.empty(0)          # beat times (UTC epoch s) still needed
        self._rr = np.empty(0)         # RR (ms)
        self._ok = np.empty(0, bool)   # accepted by the RR filter
        self._first_start: float | None = None   # start of the first interval (epoch s)
        self._next_end: float | None = None      # next window end to emit

    def push(self, t: np.ndarray, rr: np.ndarray, ok: np.ndarray) -> pd.DataFrame:
        """Add beats (``t`` epoch s of beat ends, ``rr`` ms, ``ok`` accepted mask)."""
        return self._run(t, rr, ok, final=False)

    def finish(self) -> pd.DataFrame:
        """Emit the windows that end before the last beat."""
        return self._run(np.empty(0), np.empty(0), np.empty(0, bool), final=True)

    def _run(self, t: np.ndarray, rr: np.ndarray, ok: np.ndarray, final: bool) -> pd.DataFrame:
        if len(t):
            self._t = np.concatenate((self._t, t))
            self._rr = np.concatenate((self._rr, rr))
            self._ok = np.concatenate((self._ok, ok))
        if self._first_start is None and len(t):
            self._first_start = float(t[0] - rr[0] / 1000.0)
            first_end = self._first_start + self.window_s
            k = np.ceil((first_end - self.origin_s) / self.step_s)
            self._next_end = self.origin_s + k * self.step_s
        if self._next_end is None or not len(self._t):
            return _frame(np.empty(0), [])
        last = self._t[-1]
        # a window is final once a beat after its end exists (or at the end of the stream)
        ends = np.arange(self._next_end, last + (self.step_s if final else 0.0), self.step_s)
        ends = ends[ends <= last] if final else ends[ends < last]
        rows = []
        lo = np.searchsorted(self._t, ends - self.window_s, side="right")
        hi = np.searchsorted(self._t, ends, side="right")
        for a, b in zip(lo, hi, strict=True):
            mask = self._ok[a:b]
            rows.append(_features(self._rr[a:b][mask], b - a, self.scales, self.min_beats))
        if len(ends):
            self._next_end = float(ends[-1] + self.step_s)
        keep = np.searchsorted(self._t, self._next_end - self.window_s, side="right")
        self._t, self._rr, self._ok = self._t[keep:], self._rr[keep:], self._ok[keep:]
        return _frame(ends, rows)


def _frame(ends: Sequence[float] | np.ndarray, rows: list[tuple[float, ...]]) -> pd.DataFrame:
    ns = np.round(np.asarray(ends, dtype=float) * 1e9).astype(np.int64)
    index = pd.DatetimeIndex(ns.view("datetime64[ns]"), name="time").tz_localize("UTC")
    data = np.asarray(rows, dtype=float).reshape(len(rows), len(HRV_COLUMNS))
    return pd.DataFrame(data, index=index, columns=_COLUMNS, copy=False)
