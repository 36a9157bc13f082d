"""Timer pauses: read from FIT timer events, kept by the library, left out of moving time."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import myokinetics
from myokinetics.library.store import read_activity, write_activity
from myokinetics.processing.timer import moving_samples
from myokinetics.stream import AthleteStream, StreamOptions
from tests.conftest import require_shared
from tests.processing.helpers import ATHLETE

#: Corpus files whose devices auto-paused; their sessions' total_timer_time is moving time (s).
PAUSED = ("runalyze__Fenix-2-pauses.fit", "runalyze__FR920-additional-start-events.fit",
          "sportslib__6909950168.fit", "runalyze__Fenix-2.fit")


def totals(samples: pd.DataFrame, pauses: pd.DataFrame, convention: str) -> dict:
    stream = AthleteStream(ATHLETE, StreamOptions(curves=False, time_convention=convention))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stream.push(samples, sport="running", pauses=pauses)
        stream.finish()
    return stream.totals()


@pytest.mark.parametrize("name", PAUSED)
def test_moving_time_is_the_devices_timer_time(name: str) -> None:
    activity = myokinetics.read(require_shared(f"fit-corpus/{name}"))
    assert len(activity.pauses) and (activity.pauses["end"] > activity.pauses["start"]).all()
    moving = totals(activity.samples, activity.pauses, "moving")
    elapsed = totals(activity.samples, activity.pauses, "elapsed")
    timer_s = activity.sessions["timer_s"].sum()
    assert moving["duration_s"] == pytest.approx(timer_s, abs=6.0)
    assert elapsed["duration_s"] > moving["duration_s"]
    assert moving["trimp"] <= elapsed["trimp"]
    assert moving["variants"]["time"].startswith("moving")
    assert elapsed["variants"]["time"].startswith("elapsed")


@pytest.mark.parametrize("backend", ["fast", "fitdecode", "fitparse"])
def test_every_backend_reads_the_same_pauses(backend: str) -> None:
    path = require_shared(f"fit-corpus/{PAUSED[0]}")
    reference = myokinetics.read(path, backend="fitdecode").pauses
    pd.testing.assert_frame_equal(myokinetics.read(path, backend=backend).pauses, reference)


def test_the_library_keeps_pauses(tmp_path) -> None:
    activity = myokinetics.read(require_shared(f"fit-corpus/{PAUSED[0]}"))
    write_activity(activity, tmp_path / "a.parquet")
    pd.testing.assert_frame_equal(read_activity(tmp_path / "a.parquet").pauses,
                                  activity.pauses)


def test_a_short_pause_is_neither_counted_nor_bridged() -> None:
    index = pd.date_range("2024-04-02 06:00", periods=600, freq="s", tz="UTC", name="time")
    hr = np.full(600, 150.0)
    hr[300:320] = np.nan                       # the strap sent nothing while paused ...
    hr[305] = 90.0                             # ... but for one reading
    samples = pd.DataFrame({"heart_rate": hr}, index=index)
    pauses = pd.DataFrame({"start": [index[299]], "end": [index[320]]})
    kept = moving_samples(samples, pauses)
    assert len(kept) == 600 - 20 and kept["resumed"].sum() == 1.0
    moving = totals(samples, pauses, "moving")
    elapsed = totals(samples, pauses, "elapsed")
    assert moving["duration_s"] == 580            # the 20 paused seconds make no rows
    assert elapsed["duration_s"] == 600
    assert moving["hr_coverage"] == 1.0           # nothing bridged, nothing missing
    assert elapsed["trimp"] > moving["trimp"]
