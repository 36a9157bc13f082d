"""Load pipeline throughput: batch (one chunk) versus live (1 s chunks), with RR.

``python -m bench load`` prints, for each recording, the median wall time of one-chunk
processing, the median and p99 cost of a live one-second push, and their ratio:

* a synthetic 24 h 1 Hz stream with RR (the issue's batch target: >= 1,000,000 samples/s;
  live target: <= 1 ms p99 per one-second chunk);
* the bundled 45-min sample FIT (``samples/run-intervals-45min.fit``);
* the real 1 h 42 min Polar H10 RR session of ../shared (heart rate from the RR, per second).
"""

from __future__ import annotations

import os
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from myokinetics.athlete import Athlete
from myokinetics.processing import LoadPipeline

REPO = Path(__file__).resolve().parents[1]
REPLAY = REPO.parent / "shared" / "replays" / "polar-h10-rr-2021-06-06.csv"
ATHLETE = Athlete(sex="male", age=40, body_mass_kg=75, hr_rest=50, hr_max=185, hr_threshold=165,
                  vo2max=50, ftp_w=250, w_prime_j=20000, zones=(111, 130, 148, 166, 185))


def synthetic_day(hours: float = 24.0, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    """1 Hz heart rate and power for ``hours`` plus RR intervals following the heart rate."""
    n = int(hours * 3600)
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    hr = 70 + 60 * (np.sin(t / 1800.0) > 0.5) + 15 * np.sin(t / 97.0) + rng.normal(0, 2, n)
    index = pd.date_range("2024-05-01", periods=n, freq="1s", tz="UTC", name="time")
    samples = pd.DataFrame({"heart_rate": hr, "power": np.clip(hr * 2 - 100, 0, None)},
                           index=index)
    rr = 60000.0 / np.repeat(hr, 3)[: n * 3] * (1 + rng.normal(0, 0.02, n * 3))
    beat = np.cumsum(rr) / 1000.0
    keep = beat < n
    rr_index = index[0] + pd.to_timedelta(beat[keep], unit="s")
    return samples, pd.Series(rr[keep], index=pd.DatetimeIndex(rr_index, name="time"))


def replay() -> tuple[pd.DataFrame, pd.Series] | None:
    """The H10 RR session as samples (HR per second from RR) plus RR."""
    if not REPLAY.exists():
        return None
    raw = pd.read_csv(REPLAY).dropna()
    rr = raw["rr"].to_numpy(dtype=float)
    t0 = pd.Timestamp(int(raw["timestamp"].iloc[0]), unit="ms", tz="UTC")
    beats = t0 + pd.to_timedelta(raw["since_start"].to_numpy() + rr - rr[0], unit="ms")
    series = pd.Series(rr, index=pd.DatetimeIndex(beats, name="time"))
    hr = (60000.0 / series).resample("1s").mean()
    return pd.DataFrame({"heart_rate": hr}), series


def sample_fit() -> tuple[pd.DataFrame, pd.Series] | None:
    path = REPO / "samples" / "run-intervals-45min.fit"
    if not path.exists():
        return None
    from myokinetics import read

    activity = read(path)
    return activity.samples, activity.rr


def batch_seconds(samples: pd.DataFrame, rr: pd.Series, repeats: int = 3) -> float:
    """Median wall time (s) to push the whole recording as one chunk and finish."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        pipeline = LoadPipeline(ATHLETE)
        pipeline.push(samples, rr)
        pipeline.finish()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def live_costs(samples: pd.DataFrame, rr: pd.Series, limit: int | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """Wall and CPU cost (s) of each one-second push (samples and the RR of that second).

    CPU time (``time.process_time``) excludes the time the process waits for a core, which
    dominates wall-clock tails on a shared machine.
    """
    seconds = samples.index.floor("s")
    bounds = np.flatnonzero(np.r_[True, seconds[1:] != seconds[:-1], True])
    rr_ends = np.searchsorted(rr.index, seconds[bounds[1:] - 1] + pd.Timedelta("1s"))
    # slice first so that only the pipeline is timed
    chunks = [(samples.iloc[a:b], rr.iloc[c:d]) for a, b, c, d in
              zip(bounds[:-1], bounds[1:], np.r_[0, rr_ends[:-1]], rr_ends, strict=True)]
    if limit:
        chunks = chunks[:limit]
    pipeline = LoadPipeline(ATHLETE)
    wall, cpu = np.empty(len(chunks)), np.empty(len(chunks))
    for i, (part, beats) in enumerate(chunks):
        start, start_cpu = time.perf_counter(), time.process_time()
        pipeline.push(part, beats)
        wall[i] = time.perf_counter() - start
        cpu[i] = time.process_time() - start_cpu
    pipeline.finish()
    return wall, cpu


def report(name: str, data: tuple[pd.DataFrame, pd.Series] | None,
           live_limit: int | None = None) -> None:
    if data is None:
        print(f"{name}: skipped (file absent)")
        return
    samples, rr = data
    batch = batch_seconds(samples, rr)
    costs, cpu = live_costs(samples, rr, live_limit)
    per_second_batch = batch / len(samples)
    print(f"{name}: {len(samples):,} samples, {len(rr):,} RR")
    print(f"  batch (one chunk): median {batch * 1000:.1f} ms = "
          f"{len(samples) / batch:,.0f} samples/s")
    print(f"  live (1 s chunks, {len(costs):,} pushes): wall median "
          f"{np.median(costs) * 1e6:.0f} us, p99 {np.percentile(costs, 99) * 1e6:.0f} us; "
          f"CPU median {np.median(cpu) * 1e6:.0f} us, p99 {np.percentile(cpu, 99) * 1e6:.0f} us")
    print(f"  ratio live/batch per second of data: "
          f"{np.median(costs) / per_second_batch:.0f}x (median push vs batch share)")


def main() -> None:
    warnings.simplefilter("ignore")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, 1-min load average {load:.1f}")
    report("24 h synthetic 1 Hz + RR", synthetic_day(), live_limit=3600)
    report("45-min sample FIT", sample_fit())
    report("Polar H10 RR replay 1 h 42 min", replay())


if __name__ == "__main__":
    main()
