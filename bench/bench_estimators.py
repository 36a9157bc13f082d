"""Estimator speed: 45 min of exercise + 24 h recovery with 1 vs 200 draws, and the issue's targets.

Prints medians over repeats and ratios against the 1-draw run measured in the same process:
* 45 min exercise + 24 h recovery, n_draws = 1 and 200;
* 3 h exercise + 24 h recovery, n_draws = 200 (target: <= 1 s);
* 365 daily 1 h activities run continuously through one model, n_draws = 200 (target: <= 60 s;
  measured on 30 days and scaled linearly, which the constant cost per step justifies, unless
  ``MYOKINETICS_BENCH_FULL_YEAR=1``).
"""

from __future__ import annotations

import os
import statistics
import time
import warnings

import numpy as np
import pandas as pd

from myokinetics.athlete import Athlete
from myokinetics.estimators import CrosstalkModel, estimate_curves

START = pd.Timestamp("2024-01-01 07:00", tz="UTC")


def _athlete() -> Athlete:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Athlete(sex="male", age=35, body_mass_kg=72, hr_rest=55, hr_max=188,
                       vo2max=52).resolved()


def _bout(minutes: float, start: pd.Timestamp, seed: int = 0) -> pd.DataFrame:
    """Intervals-like intensity: 60-90 % VO2max with noise (the per-second frame columns)."""
    n = int(minutes * 60)
    rng = np.random.default_rng(seed)
    pct = 70 + 15 * np.sin(np.arange(n) / 240.0) + rng.normal(0, 2, n)
    vo2 = pct / 100 * 52
    index = pd.date_range(start, periods=n, freq="1s", name="time")
    return pd.DataFrame({"pct_vo2max": pct, "vo2": vo2,
                         "energy_kcal_min": vo2 * 72 / 1000 * 4.9}, index=index)


def _time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _days(athlete: Athlete, days: int) -> tuple[float, float]:
    """Wall and CPU seconds for ``days`` daily 1 h activities through one carried model."""
    model = CrosstalkModel(athlete, n_draws=200)
    bouts = [_bout(60, START + pd.Timedelta(days=day), day) for day in range(days)]
    t0, c0 = time.perf_counter(), time.process_time()
    for day, frame in enumerate(bouts):
        model.step(frame)
        model.rest_until(START + pd.Timedelta(days=day, hours=23, minutes=59))
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    athlete = _athlete()
    bout45 = _bout(45, START)
    one = _time(lambda: estimate_curves(bout45, athlete, "24h",
                                        CrosstalkModel(athlete, n_draws=1)), 5)
    many = _time(lambda: estimate_curves(bout45, athlete, "24h",
                                         CrosstalkModel(athlete, n_draws=200)), 5)
    print(f"45 min + 24 h, n_draws=1:   median {one * 1e3:8.1f} ms")
    print(f"45 min + 24 h, n_draws=200: median {many * 1e3:8.1f} ms  "
          f"(x{many / one:.2f} the 1-draw time for x200 the individuals)")
    bout3h = _bout(180, START)
    three = _time(lambda: estimate_curves(bout3h, athlete, "24h",
                                          CrosstalkModel(athlete, n_draws=200)), 3)
    print(f"3 h + 24 h, n_draws=200:    median {three * 1e3:8.1f} ms  (target <= 1000 ms; "
          f"x{three / one:.2f} the 45-min 1-draw time)")
    full = os.environ.get("MYOKINETICS_BENCH_FULL_YEAR") == "1"
    days = 365 if full else 30
    wall, cpu = _days(athlete, days)
    scale = 365 / days
    how = "measured" if full else f"scaled from {days} days"
    print(f"365 daily 1 h activities, continuous, n_draws=200: {wall * scale:6.1f} s wall, "
          f"{cpu * scale:6.1f} s CPU, {how} (target <= 60 s; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
