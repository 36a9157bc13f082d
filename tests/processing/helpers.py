"""Synthetic recordings and a fully specified athlete for the processing tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from myokinetics.athlete import Athlete

START = pd.Timestamp("2024-05-01 09:59:37", tz="UTC")

#: Every field given, so no population default (and no warning) is involved.
ATHLETE = Athlete(sex="male", age=40, body_mass_kg=75, hr_rest=50, hr_max=185,
                  hr_threshold=165, vo2max=50, ftp_w=250, w_prime_j=20000,
                  zones=(111, 130, 148, 166, 185))


def constant_hr(bpm: float, seconds: int, start: pd.Timestamp = START) -> pd.DataFrame:
    """``seconds`` rows at 1 Hz of a constant heart rate."""
    index = pd.date_range(start, periods=seconds, freq="1s", name="time")
    return pd.DataFrame({"heart_rate": np.full(seconds, float(bpm))}, index=index)


def intervals(seconds: int = 1800, seed: int = 3, power: bool = True) -> pd.DataFrame:
    """An interval session with noise, a spike, FIT invalid values, dropouts and a pause."""
    rng = np.random.default_rng(seed)
    t = np.arange(seconds)
    hr = 120 + 45 * (np.sin(t / 90.0) > 0.3) + rng.normal(0, 2, seconds)
    hr[200] = 250.0           # spike
    hr[300] = 0.0             # FIT "no reading"
    hr[400:412] = np.nan      # short dropout: bridged
    hr[900:960] = np.nan      # long dropout: a gap
    index = pd.date_range(START, periods=seconds, freq="1s", name="time")
    frame = pd.DataFrame({"heart_rate": hr}, index=index)
    if power:
        frame["power"] = np.clip(180 + 120 * (np.sin(t / 90.0) > 0.3)
                                 + rng.normal(0, 25, seconds), 0, None)
    # a 10-minute pause (no samples) two thirds in
    cut = seconds * 2 // 3
    later = frame.iloc[cut:].copy()
    later.index = later.index + pd.Timedelta("10min")
    return pd.concat([frame.iloc[:cut], later])


def rr_from_hr(samples: pd.DataFrame, seed: int = 5) -> pd.Series:
    """Beat-to-beat intervals (ms) following the heart rate, with a few artifacts."""
    rng = np.random.default_rng(seed)
    hr = samples["heart_rate"].interpolate().bfill().clip(40, 200).to_numpy()
    t0 = samples.index[0]
    times, values, clock = [], [], 0.0
    end = (samples.index[-1] - t0).total_seconds()
    while clock < end:
        i = min(int(clock), len(hr) - 1)
        rr = 60000.0 / hr[i] * (1 + rng.normal(0, 0.02))
        if rng.random() < 0.01:
            rr *= 1.8            # missed beat
        clock += rr / 1000.0
        times.append(t0 + pd.Timedelta(seconds=clock))
        values.append(rr)
    return pd.Series(values, index=pd.DatetimeIndex(times, name="time"), name="rr")
