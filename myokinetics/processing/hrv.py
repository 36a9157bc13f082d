"""HRV in sliding windows of RR intervals: mean HR, RMSSD, SDNN, DFA alpha1, artifact %,
pNN50, Poincare SD1/SD2 and the LF/HF ratio.

Windows end at multiples of ``step_s`` (UTC epoch) and hold the beats whose time is in
``(end - window_s, end]`` (FatMaxxer: 120 s, every 20 s). Features use the accepted beats in
order (successive differences across a dropped beat, as FatMaxxer and Altini's reference).
A window is emitted once a beat after its end has arrived, or at the end of the stream when
it ends before the last beat, and only when it lies after the start of the first interval.

DFA alpha1 (Peng et al. 1995; FatMaxxer/Altini form): integrate ``y = cumsum(rr - mean)``,
cut it into non-overlapping boxes of each size from both ends, detrend each box linearly,
``F(s) = sqrt(mean(rms^2))``, alpha1 = slope of log2 F against log2 s over all listed sizes
(duplicates weigh as in FatMaxxer's list).

pNN50: successive differences above 50 ms per beat, in % (Task Force 1996, NeuroKit2).
SD1/SD2 (Poincare; as NeuroKit2's ``hrv_nonlinear``): SDs (ddof 1) of (RR[i+1] - RR[i])/sqrt 2
and of (RR[i+1] + RR[i])/sqrt 2.
LF/HF: Lomb-Scargle periodogram of the accepted RR against beat time (no resampling, gaps
allowed), power in 0.04-0.15 Hz over power in 0.15-0.40 Hz (Task Force 1996 bands).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd
from scipy.integrate import trapezoid

from myokinetics.processing.params import presets

__all__ = ["HRV_COLUMNS", "HrvWindows", "dfa_alpha1", "fatmaxxer_scales", "lf_hf",
           "sd_from_sums", "window_features"]

HRV_COLUMNS = ("hr_mean_rr", "rmssd_ms", "sdnn_ms", "dfa_alpha1", "n_beats", "artifact_pct",
               "pnn50_pct", "sd1_ms", "sd2_ms", "lf_hf")
_COLUMNS = pd.Index(HRV_COLUMNS)
_LONG = 4096   # beats above which box residuals are built size by size
_FEW_WINDOWS = 16   # up to this many windows, gather boxes directly (live); else prefix sums
#: Lomb-Scargle frequency grid (Hz) and the Task Force 1996 LF and HF bands.
_FREQUENCIES_HZ = np.arange(0.04, 0.4 + 1e-9, 0.005)
_LF = _FREQUENCIES_HZ <= 0.15
_HF = _FREQUENCIES_HZ >= 0.15


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


def _rss(sq: np.ndarray, lin: np.ndarray, mom: np.ndarray, size: np.ndarray | float
         ) -> np.ndarray:
    """RSS of a line fit to z_0..z_{s-1} from sum z^2, sum z and sum k z (z_0 = 0)."""
    centred = mom - (size - 1) / 2.0 * lin
    return np.maximum(sq - lin * lin / size - centred ** 2 / (size * (size * size - 1) / 12.0),
                      0.0)


def _box_rss(x: np.ndarray, top: int) -> np.ndarray:
    """Residual sum of squares of the linear detrend of every box, for every size up to ``top``.

    A box of ``s`` beats starting at beat ``i`` of the integrated series holds, up to a constant
    and a line that the detrend removes, ``z_k = x[i+1] + ... + x[i+k]`` (k = 0..s-1). Its RSS
    is ``sum z^2 - (sum z)^2/s - (sum (k - kbar) z)^2 / (s (s^2 - 1)/12)``. Running sums along
    k give every size at once: O(beats x top), no matrix product (nor BLAS threading).

    Returns
    -------
    ndarray, shape (top + 1, len(x))
        Row ``s`` holds the RSS of the size-``s`` box starting at each beat (boxes running past
        the end see zeros and are never used; rows 0 and 1 are unused).
    """
    n = len(x)
    out = np.zeros((top + 1, n))
    if n > _LONG:
        # long series: add one term per size (O(n) memory traffic per size)
        padded = np.concatenate((x, np.zeros(top)))
        run, sq, lin, mom = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
        for size in range(2, top + 1):
            run += padded[size - 1:size - 1 + n]
            sq += run * run
            lin += run
            mom += (size - 1) * run
            out[size] = _rss(sq, lin, mom, float(size))
        return out
    # short series (live windows): all sizes in a few calls on an (n, top-1) block
    padded = np.concatenate((x, np.zeros(top)))
    z = np.cumsum(np.lib.stride_tricks.sliding_window_view(padded, top)[:n, 1:], axis=1)
    sizes = np.arange(2, top + 1, dtype=float)         # column c holds size c + 2
    out[2:] = _rss(np.cumsum(z * z, axis=1), np.cumsum(z, axis=1),
                   np.cumsum(z * (sizes - 1), axis=1), sizes).T
    return out


def window_features(rr: np.ndarray, starts: np.ndarray, stops: np.ndarray,
                    n_total: np.ndarray, scales: tuple[int, ...], min_beats: int,
                    times: np.ndarray | None = None) -> np.ndarray:
    """HRV features of many windows of one accepted-RR sequence at once.

    Parameters
    ----------
    rr : ndarray
        Accepted RR intervals (ms), in order.
    starts, stops : ndarray of int
        Each window is ``rr[start:stop]``.
    n_total : ndarray of int
        Beats in each window before artifact removal (for the artifact %).
    scales, min_beats
        DFA box sizes; fewer beats than ``min_beats`` give NaN features.
    times : ndarray, optional
        Time of each accepted beat (s) for LF/HF; default the running sum of ``rr``.

    Returns
    -------
    ndarray, shape (windows, len(HRV_COLUMNS))
        Columns of :data:`HRV_COLUMNS`. DFA equals :func:`dfa_alpha1` on each slice: the
        residual sum of every box start comes from :func:`_box_rss`, and each window gathers
        its boxes from both ends.
    """
    count = (stops - starts).astype(float)
    out = np.full((len(starts), len(HRV_COLUMNS)), np.nan)
    out[:, 4] = count
    with np.errstate(invalid="ignore", divide="ignore"):
        out[:, 5] = np.where(n_total > 0, 100.0 * (n_total - count) / n_total, np.nan)
    ok = count >= min_beats
    if not ok.any() or len(rr) < 2:
        return out
    csum = np.concatenate(([0.0], np.cumsum(rr)))
    mean = (csum[stops] - csum[starts]) / count
    dev = np.concatenate(([0.0], np.cumsum((rr - rr.mean()) ** 2)))   # centred: no cancellation
    var = (dev[stops] - dev[starts]) / count - (mean - rr.mean()) ** 2
    diff = np.diff(rr)
    d2 = np.concatenate(([0.0], np.cumsum(diff ** 2)))
    with np.errstate(invalid="ignore", divide="ignore"):
        out[:, 0] = np.where(ok, 60000.0 / mean, np.nan)
        out[:, 1] = np.where(ok, np.sqrt((d2[stops - 1] - d2[starts]) / (count - 1)), np.nan)
        out[:, 2] = np.where(ok, np.sqrt(np.maximum(var, 0.0)), np.nan)
        nn50 = np.concatenate(([0.0], np.cumsum(np.abs(diff) > 50.0)))
        out[:, 6] = np.where(ok, 100.0 * (nn50[stops - 1] - nn50[starts]) / count, np.nan)
        out[:, 7] = np.where(ok, _windowed_sd(diff / np.sqrt(2.0), starts, stops - 1), np.nan)
        pair_sum = (rr[1:] + rr[:-1]) / np.sqrt(2.0)
        out[:, 8] = np.where(ok, _windowed_sd(pair_sum, starts, stops - 1), np.nan)
    beat_times = np.cumsum(rr) / 1000.0 if times is None else times
    for row in np.flatnonzero(ok):
        out[row, 9] = lf_hf(beat_times[starts[row]:stops[row]], rr[starts[row]:stops[row]])
    dfa_ok = ok & (count >= 2 * max(scales))
    if dfa_ok.any() and len(rr) >= max(scales):
        # a constant shift of the RR only adds a line to z: same residuals, smaller numbers
        rss = _box_rss(rr - rr.mean(), max(scales))
        if len(starts) > _FEW_WINDOWS:
            out[:, 3] = np.where(dfa_ok, _alpha1_prefix(rss, starts, stops, scales), np.nan)
        else:
            out[:, 3] = np.where(dfa_ok, _alpha1(rss, starts, stops, scales), np.nan)
    return out


def _windowed_sd(values: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Sample SD (ddof 1) of ``values[start:stop]`` for many windows, from prefix sums."""
    centred = values - values.mean()
    total = np.concatenate(([0.0], np.cumsum(centred)))
    squares = np.concatenate(([0.0], np.cumsum(centred ** 2)))
    return sd_from_sums(total[stops] - total[starts], squares[stops] - squares[starts],
                        (stops - starts).astype(float))


def sd_from_sums(total: np.ndarray | float, squares: np.ndarray | float,
                 n: np.ndarray | float) -> np.ndarray:
    """Sample SD (ddof 1) from the sum, the sum of squares and the count of values (NaN
    below two values)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ss = np.asarray(squares - total * total / n, dtype=float)
        return np.sqrt(np.maximum(ss, 0.0) / (np.asarray(n, dtype=float) - 1))


def lf_hf(times: np.ndarray, rr: np.ndarray) -> float:
    """LF/HF of an RR series (ms) at beat times (s) from a Lomb-Scargle periodogram."""
    if len(rr) < 3 or times[-1] - times[0] <= 0:
        return float("nan")
    power = _lomb_scargle(times - times[0], rr - rr.mean(), 2.0 * np.pi * _FREQUENCIES_HZ)
    lf = trapezoid(power[_LF], _FREQUENCIES_HZ[_LF])
    hf = trapezoid(power[_HF], _FREQUENCIES_HZ[_HF])
    return float(lf / hf) if hf > 0 else float("nan")


def _lomb_scargle(t: np.ndarray, y: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """Classic Lomb-Scargle power (Lomb 1976, Scargle 1982) of ``y`` at angular frequencies
    ``omega`` (rad/s); the phase shift tau enters by angle addition, so only cos(wt) and
    sin(wt) are evaluated."""
    wt = np.outer(omega, t)
    c, s = np.cos(wt), np.sin(wt)
    cc, ss, cs = (c * c).sum(axis=1), (s * s).sum(axis=1), (c * s).sum(axis=1)
    two_tau = np.arctan2(2.0 * cs, cc - ss)
    cos_tau, sin_tau = np.cos(two_tau / 2.0), np.sin(two_tau / 2.0)
    yc, ys = c @ y, s @ y
    cross = 2.0 * cos_tau * sin_tau * cs
    along_cos = cos_tau ** 2 * cc + cross + sin_tau ** 2 * ss
    along_sin = sin_tau ** 2 * cc - cross + cos_tau ** 2 * ss
    return 0.5 * ((cos_tau * yc + sin_tau * ys) ** 2 / along_cos
                  + (cos_tau * ys - sin_tau * yc) ** 2 / along_sin)


def _slope(log_f: np.ndarray, sizes: np.ndarray, scales: tuple[int, ...]) -> np.ndarray:
    """Least-squares slope of log2 F on log2 s over ``scales`` (duplicates weigh twice)."""
    column = {size: i for i, size in enumerate(sizes.tolist())}
    f = log_f[[column[s] for s in scales]].T                           # (windows, scales)
    x = np.log2(np.asarray(scales, dtype=float))
    xc = x - x.mean()
    return (f - f.mean(axis=1, keepdims=True)) @ xc / (xc @ xc)


def _alpha1_prefix(rss: np.ndarray, starts: np.ndarray, stops: np.ndarray,
                   scales: tuple[int, ...]) -> np.ndarray:
    """DFA alpha1 of many windows: box sums from prefix sums strided by the box size."""
    sizes = np.array(sorted(set(scales)))
    log_f = np.empty((len(sizes), len(starts)))
    for row, size in enumerate(sizes.tolist()):
        valid = rss[size, :len(rss[size]) - size + 1]
        padded = np.zeros(-(-len(valid) // size) * size)
        padded[:len(valid)] = valid
        # q[i] = rss[i] + rss[i - s] + rss[i - 2s] + ...
        q = np.cumsum(padded.reshape(-1, size), axis=0).reshape(-1)[:len(valid)]
        n_box = (stops - starts) // size

        def boxes(first: np.ndarray, n_box: np.ndarray = n_box, q: np.ndarray = q,
                  size: int = size) -> np.ndarray:
            last = np.clip(first + (n_box - 1) * size, 0, len(q) - 1)
            before = first - size
            return q[last] - np.where(before >= 0, q[np.maximum(before, 0)], 0.0)

        total = boxes(starts) + boxes(stops - n_box * size)
        with np.errstate(invalid="ignore", divide="ignore"):
            log_f[row] = 0.5 * np.log2(total / (2 * n_box * size))
    return _slope(log_f, sizes, scales)


def _alpha1(rss: np.ndarray, starts: np.ndarray, stops: np.ndarray,
            scales: tuple[int, ...]) -> np.ndarray:
    """DFA alpha1 of a few windows: every box gathered in one indexing call."""
    sizes = np.array(sorted(set(scales)))
    n_box = (stops - starts)[None, :] // sizes[:, None]              # (sizes, windows)
    j = np.arange(max(int(n_box.max()), 1))
    used = j < n_box[:, :, None]
    step = sizes[:, None, None]
    front = np.where(used, starts[None, :, None] + j * step, 0)       # boxes from the start
    back = np.where(used, stops[None, :, None] - (j + 1) * step, 0)   # boxes from the end
    total = np.where(used, rss[step, front] + rss[step, back], 0.0).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        log_f = 0.5 * np.log2(total / (2 * n_box * sizes[:, None]))
    return _slope(log_f, sizes, scales)


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
        self._none = _frame(np.empty(0), np.empty((0, len(HRV_COLUMNS))))  # read-only

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
            return self._none
        last = self._t[-1]
        if not final and last <= self._next_end:
            return self._none
        # a window is final once a beat after its end exists (or at the end of the stream)
        ends = np.arange(self._next_end, last + (self.step_s if final else 0.0), self.step_s)
        ends = ends[ends <= last] if final else ends[ends < last]
        lo = np.searchsorted(self._t, ends - self.window_s, side="right")
        hi = np.searchsorted(self._t, ends, side="right")
        accepted = np.concatenate(([0], np.cumsum(self._ok)))
        rows = window_features(self._rr[self._ok], accepted[lo], accepted[hi], hi - lo,
                               self.scales, self.min_beats, times=self._t[self._ok])
        if len(ends):
            self._next_end = float(ends[-1] + self.step_s)
        keep = np.searchsorted(self._t, self._next_end - self.window_s, side="right")
        self._t, self._rr, self._ok = self._t[keep:], self._rr[keep:], self._ok[keep:]
        return _frame(ends, rows)


def _frame(ends: np.ndarray, data: np.ndarray) -> pd.DataFrame:
    ns = np.round(np.asarray(ends, dtype=float) * 1e9).astype(np.int64)
    index = pd.DatetimeIndex(ns.view("datetime64[ns]"), name="time").tz_localize("UTC")
    return pd.DataFrame(data, index=index, columns=_COLUMNS, copy=False)
