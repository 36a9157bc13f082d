"""Daily summaries: a year of one activity a day into an empty folder, then the cost of one more.

Targets (issue 7): the year in at most 60 s, adding one activity in at most 5 s.

The library holds 365 one-hour runs at 1 Hz (warm-up, 4-min intervals, cool-down, with noise),
one each morning. Printed beside the daily timings, measured in the same run, is the baseline
that any daily summary must pay: the processing pipeline and one continuous estimator run over
the same year (no files). The estimator uses its default ensemble (200 draws) unless
``MYOKINETICS_BENCH_DRAWS`` says otherwise; the ensemble size dominates the cost.
"""

from __future__ import annotations

import hashlib
import os
import resource
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from myokinetics.activity import Activity, ActivityMeta
from myokinetics.athlete import Athlete
from myokinetics.library import Library

DAYS = 365
FIRST = pd.Timestamp("2025-01-01T06:00Z")
OFFSET = pd.Timedelta(hours=1)
ATHLETE = Athlete(sex="male", age=38, body_mass_kg=72, hr_rest=50, hr_max=186,
                  hr_threshold=168, vo2max=54)


def one_hour_run(day: int, seed: int = 0) -> Activity:
    """A one-hour interval run at 1 Hz on day ``day`` after :data:`FIRST`."""
    rng = np.random.default_rng(seed * 1000 + day)
    seconds = np.arange(3600)
    warm = np.interp(seconds, [0, 600], [100, 140])
    work = np.where((seconds // 240) % 2 == 0, 150.0, 168.0) + rng.normal(0, 2, 3600)
    cool = np.interp(seconds, [3000, 3600], [150, 112])
    hr = np.where(seconds < 600, warm, np.where(seconds < 3000, work, cool))
    hr = hr + rng.normal(0, 1.5, 3600) + rng.normal(0, 6)  # day-to-day form
    start = FIRST + pd.Timedelta(days=day) + pd.Timedelta(minutes=int(rng.integers(0, 90)))
    index = pd.DatetimeIndex(start + pd.to_timedelta(seconds, unit="s"), name="time")
    samples = pd.DataFrame({"heart_rate": hr.round()}, index=index)
    sha = hashlib.sha256(f"bench-daily-{seed}-{day}".encode()).hexdigest()
    meta = ActivityMeta(sport="running", start=start, utc_offset=OFFSET.to_pytimedelta(),
                        source=f"bench-{day}.fit", sha256=sha, format="fit")
    return Activity(samples=samples, meta=meta)


def build_library(path: str | Path, days: int = DAYS) -> Library:
    """A library of ``days`` one-hour runs, one a day."""
    library = Library(path)
    for day in range(days):
        library.add(one_hour_run(day))
    return library


def _cpu_s() -> float:
    """CPU seconds of this process (the PNG worker, a forkserver child, is not counted)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _draws() -> int | None:
    value = os.environ.get("MYOKINETICS_BENCH_DRAWS")
    return int(value) if value else None


def baseline(library: Library) -> tuple[float, float]:
    """Wall and CPU seconds for the pipeline and one continuous estimator run, no files."""
    from myokinetics.estimators import CrosstalkModel
    from myokinetics.processing import LoadPipeline

    draws = _draws()
    t0, c0 = time.perf_counter(), _cpu_s()
    athlete = ATHLETE.resolved()
    model = CrosstalkModel(athlete, **({} if draws is None else {"n_draws": draws}))
    for identifier in library.activities()["id"]:
        activity = library.load(identifier)
        pipeline = LoadPipeline(athlete)
        steps = [pipeline.push(activity.samples), pipeline.finish()]
        pipeline.totals()
        intensity = pd.concat([s.intensity for s in steps if len(s.intensity)])
        model.rest_until(intensity.index[0])
        model.step(intensity)
    model.rest_until(intensity.index[-1] + pd.Timedelta(hours=24))
    return time.perf_counter() - t0, _cpu_s() - c0


def timed_daily(library: Library, out: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of one daily run, and the number of days it computed."""
    from myokinetics.daily import DailySettings, write_daily

    t0, c0 = time.perf_counter(), _cpu_s()
    report = write_daily(library, out, athlete=ATHLETE, settings=DailySettings(n_draws=_draws()))
    return time.perf_counter() - t0, _cpu_s() - c0, len(report.computed)


def main() -> None:
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        library = build_library(root / "library")
        print(f"library: {DAYS} one-hour 1 Hz runs, built in {time.perf_counter() - t0:.1f} s;"
              f" estimator draws: {_draws() or 'default'}")
        base, base_cpu = baseline(library)
        print(f"baseline (pipeline + continuous estimator, no files): {base:.1f} s wall, "
              f"{base_cpu:.1f} s CPU")
        full, full_cpu, computed = timed_daily(library, root / "daily")
        print(f"year into an empty folder: {full:.1f} s wall, {full_cpu:.1f} s main-process "
              f"CPU for {computed} days ({1000 * full / computed:.0f} ms/day; "
              f"{full / base:.2f}x the baseline's wall time; target 60 s)")
        rerun, rerun_cpu, computed = timed_daily(library, root / "daily")
        print(f"re-run, nothing changed: {rerun:.2f} s wall, {rerun_cpu:.2f} s CPU "
              f"({computed} days computed)")
        appended = []
        for extra in range(3):
            library.add(one_hour_run(DAYS + extra, seed=1))
            seconds, _cpu, computed = timed_daily(library, root / "daily")
            appended.append(seconds)
        median = statistics.median(appended)
        print(f"one new activity the day after the last (3 repeats): median {median:.2f} s, "
              f"runs {', '.join(f'{s:.2f}' for s in appended)} ({computed} day computed each; "
              f"{median / full:.3f}x the year; target 5 s)")
        library.add(one_hour_run(DAYS // 2, seed=2))
        mid, mid_cpu, computed = timed_daily(library, root / "daily")
        print(f"one new activity mid-year: {mid:.1f} s wall, {mid_cpu:.1f} s main-process CPU "
              f"({computed} "
              "days computed: that day and every later day, whose carried state changed)")
        print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
              "(wall times grow with it; CPU times do not)")


if __name__ == "__main__":
    main()
