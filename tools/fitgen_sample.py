"""The bundled sample workout: a 45 min interval run simulated second by second.

A ~35 year-old runner (HRrest 55, HRmax 188 bpm) runs a 10 min warm-up, 6 x (3 min at
4:00 min/km + 2 min jog) and a 5 min cool-down (the sixth jog and the cool-down make the 7 min
easy finish). Heart rate follows first-order kinetics toward a pace-dependent steady state
(on-kinetics tau drawn in 30-40 s, off-kinetics 45 s; sweatpy's De Smet model fits 24 s / 30 s,
../shared/science/load-metrics.md §2.8), with a slow component during hard reps and
cardiovascular drift, so rep peaks climb from ~172 to ~175 bpm. RR intervals are drawn beat by
beat around 60000/HR with variability that shrinks with intensity, respiratory modulation and
four rare ectopic-like artifacts. All values are quantised to the FIT resolution so they
round-trip exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.fitgen_signal import ar1, first_order_lag, rr_intervals
from tools.fitgen_spec import Lap, Sensor, WorkoutSpec

__all__ = ["HR_MAX", "HR_REST", "sample_run"]

HR_REST = 55.0  #: resting heart rate of the simulated runner (bpm)
HR_MAX = 188.0  #: maximal heart rate (bpm), ~208 - 0.7 * 35 years (Tanaka 2001)
_HR_START = 95.0  # bpm when the watch starts: standing, ready to go
# Steady-state %HRR = _HRR_AT_0 + _HRR_PER_MS * speed: 2.78 m/s (6:00 min/km) -> 64 %HRR
# (140 bpm), 4.17 m/s (4:00 min/km) -> 84 %HRR (167 bpm) before slow component and drift.
_HRR_PER_MS = 0.1456
_HRR_AT_0 = 0.235
_TAU_OFF_S = 45.0  # HR off-kinetics time constant (s)
_SLOW_BPM, _SLOW_TAU_S = 3.0, 90.0  # slow component during hard reps (bpm, s)
_DRIFT_BPM_PER_MIN = 0.15  # cardiovascular drift
_HARD_SPEED = 1000.0 / 240.0  # 4:00 min/km (m/s)
_LOOP_M = 2000.0  # the GPS track is a 2 km loop around a park
_ORIGIN = (47.3569, 8.5500)  # degrees; Zurich, local time CEST (UTC+2) in May


@dataclass(frozen=True)
class _Phase:
    intensity: str  # FIT lap intensity
    seconds: int
    speed_from: float  # planned speed at the phase start (m/s)
    speed_to: float  # planned speed at the phase end (m/s)


def sample_run(seed: int = 7) -> WorkoutSpec:
    """The bundled 45 min interval run (2700 one-second records, ~6,800 RR intervals).

    Parameters
    ----------
    seed : int
        Seed of the ``numpy.random.Generator``; the same seed gives the same spec and bytes.

    Returns
    -------
    WorkoutSpec
        Garmin Forerunner 945 + HRM-Pro, 14 laps (warmup, 6 x active/recovery, cooldown),
        heart rate, speed, distance, cadence (strides/min), altitude and GPS every second.
    """
    rng = np.random.default_rng(seed)
    phases = _phases(rng)
    planned = np.concatenate([np.linspace(p.speed_from, p.speed_to, p.seconds) for p in phases])
    hard = np.concatenate([np.full(p.seconds, p.intensity == "active") for p in phases])
    n = len(planned)
    speed_smooth = first_order_lag(planned, tau_s=4.0, first=1.2)
    speed = np.round(np.clip(speed_smooth + ar1(rng, n, phi=0.9, sd=0.06), 0.5, None), 3)
    distance = np.round(np.concatenate([[0.0], np.cumsum((speed[1:] + speed[:-1]) / 2)]), 2)
    hr_true = _heart_rate(rng, speed_smooth, hard)
    heart_rate = np.round(hr_true + ar1(rng, n, phi=0.7, sd=0.8))
    cadence = np.round((166.0 + 10.0 * (speed_smooth - 2.8)) / 2 + rng.normal(0, 0.7, n))
    altitude = (
        410 + 4 * np.sin(2 * np.pi * distance / 1600) + 2 * np.sin(2 * np.pi * distance / 650 + 1)
    )
    theta = 2 * np.pi * distance / _LOOP_M
    radius_deg = _LOOP_M / (2 * np.pi) / 111_320.0
    records = pd.DataFrame(
        {
            "elapsed_s": np.arange(n, dtype=np.int64),
            "heart_rate": heart_rate,
            "speed": speed,
            "distance": distance,
            "cadence": cadence,
            "altitude": np.round(altitude * 5) / 5,
            "latitude": _ORIGIN[0] + radius_deg * np.cos(theta),
            "longitude": _ORIGIN[1] + radius_deg * np.sin(theta) / np.cos(np.radians(_ORIGIN[0])),
        }
    )
    bounds = np.cumsum([0] + [p.seconds for p in phases])
    spans = zip(bounds[:-1], bounds[1:], phases, strict=True)
    laps = tuple(Lap(int(a), int(b), p.intensity) for a, b, p in spans)
    return WorkoutSpec(
        start=pd.Timestamp("2024-05-12T05:30:00Z"),
        utc_offset=dt.timedelta(hours=2),
        records=records,
        rr_ms=rr_intervals(rng, hr_true, HR_REST, HR_MAX),
        laps=laps,
        sport="running",
        sub_sport="street",
        sensors=(Sensor(),),
    )


def _phases(rng: np.random.Generator) -> list[_Phase]:
    phases = [_Phase("warmup", 600, 2.3, 2.85)]
    for _ in range(6):
        rep = _HARD_SPEED + rng.normal(0, 0.04)
        phases.append(_Phase("active", 180, rep, rep))
        phases.append(_Phase("recovery", 120, 2.55, 2.55))
    phases.append(_Phase("cooldown", 300, 2.7, 2.3))
    return phases


def _heart_rate(rng: np.random.Generator, speed: np.ndarray, hard: np.ndarray) -> np.ndarray:
    """Noise-free heart rate (bpm) every second: first-order kinetics toward the steady state."""
    n = len(speed)
    tau_on = rng.uniform(30.0, 40.0)
    pct_hrr = _HRR_AT_0 + _HRR_PER_MS * speed
    minutes = np.arange(n) / 60.0
    since_rep = np.zeros(n)
    for i in range(1, n):
        since_rep[i] = since_rep[i - 1] + 1 if hard[i] else 0.0
    slow = np.where(hard, _SLOW_BPM * (1 - np.exp(-since_rep / _SLOW_TAU_S)), 0.0)
    target = HR_REST + (HR_MAX - HR_REST) * pct_hrr + _DRIFT_BPM_PER_MIN * minutes + slow
    target = np.minimum(target, HR_MAX)
    hr = np.empty(n)
    hr[0] = _HR_START
    for i in range(1, n):
        tau = tau_on if target[i] > hr[i - 1] else _TAU_OFF_S
        hr[i] = hr[i - 1] + (target[i] - hr[i - 1]) * (1 - np.exp(-1.0 / tau))
    return hr
