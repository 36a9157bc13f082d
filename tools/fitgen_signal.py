"""Small signal generators shared by the sample and the edge-case builders (1 Hz series)."""

from __future__ import annotations

import numpy as np

__all__ = ["ar1", "first_order_lag", "rr_intervals"]


def first_order_lag(x: np.ndarray, tau_s: float, first: float) -> np.ndarray:
    """First-order lag of a 1 Hz series (time constant ``tau_s`` seconds) starting at ``first``."""
    out = np.empty(len(x))
    alpha = 1 - np.exp(-1.0 / tau_s)
    prev = first
    for i, value in enumerate(x):
        prev += (value - prev) * alpha
        out[i] = prev
    return out


def ar1(rng: np.random.Generator, n: int, phi: float, sd: float) -> np.ndarray:
    """Stationary AR(1) noise with lag-1 correlation ``phi`` and standard deviation ``sd``."""
    shocks = rng.normal(0, sd * np.sqrt(1 - phi**2), n)
    out = np.empty(n)
    out[0] = rng.normal(0, sd)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + shocks[i]
    return out


def rr_intervals(
    rng: np.random.Generator,
    hr: np.ndarray,
    hr_rest: float,
    hr_max: float,
    artifacts: int = 4,
) -> np.ndarray:
    """RR intervals (ms, int) beat by beat around 60000/HR, ending before the last second.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    hr : numpy.ndarray
        Noise-free heart rate (bpm) at 1 Hz; beat ``k`` ends at ``sum(rr[:k+1])`` ms.
    hr_rest, hr_max : float
        Resting and maximal heart rate (bpm), to express intensity as %HRR.
    artifacts : int
        Ectopic-like artifacts to insert (``artifacts - 1`` premature beats at 65 % of the
        interval, compensated by the next one, and one missed beat, i.e. two intervals merged).
        Each keeps the beat timeline unchanged. 0 gives a clean series.

    Notes
    -----
    Beat-to-beat SD falls from ~16 ms at 30 %HRR to ~5 ms at 65 %HRR and ~3 ms at 90 %HRR
    (``2.5 + 60 exp(-%HRR / 20 %)`` ms); breathing modulates RR at 0.25 Hz (15/min) at rest,
    rising to 0.6 Hz at HRmax.
    """
    seconds = np.arange(len(hr), dtype=float)
    duration = seconds[-1]
    phase = rng.uniform(0, 2 * np.pi)
    rr: list[float] = []
    t = 0.0
    noise = 0.0
    while True:
        bpm = float(np.interp(t, seconds, hr))
        pct = min(max((bpm - hr_rest) / (hr_max - hr_rest), 0.0), 1.0)
        sd = 2.5 + 60.0 * np.exp(-pct / 0.2)
        breath_hz = 0.25 + 0.35 * pct
        noise = 0.4 * noise + np.sqrt(1 - 0.4**2) * rng.standard_normal()
        wave = 0.7 * np.sin(2 * np.pi * breath_hz * t + phase)
        value = float(round(60000.0 / bpm + sd * (wave + 0.7 * noise)))
        if t + value / 1000.0 > duration:
            break
        rr.append(value)
        t += value / 1000.0
    out = np.array(rr)
    if artifacts == 0:
        return out.astype(np.int64)
    margin = min(100, len(out) // 4)
    picks = rng.choice(np.arange(margin, len(out) - margin), size=artifacts, replace=False)
    for k in picks[:-1]:
        early = round(0.65 * out[k])
        out[k + 1] += out[k] - early
        out[k] = early
    missed = picks[-1]
    out[missed] += out[missed + 1]
    return np.delete(out, missed + 1).astype(np.int64)
