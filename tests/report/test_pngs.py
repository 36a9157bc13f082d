"""The analysis PNGs: segment boundaries of multisport timelines, a power panel when recorded."""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from myokinetics.analysis import analyze
from myokinetics.athlete import Athlete
from myokinetics.report.files import _segment_starts, plot_load
from tests.daily.helpers import generated

ATHLETE = Athlete(sex="female", age=34, hr_rest=50, hr_max=185, ftp_w=220)


def _analysis(*sources: object) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyze(list(sources), ATHLETE, curves=False)


def test_two_recordings_are_two_segments_and_one_is_none() -> None:
    run = generated("2024-05-12T06:00Z", 2, seed=3, seconds=600)
    ride = generated("2024-05-12T06:20Z", 2, seed=4, seconds=600)
    ride = dataclasses.replace(ride, meta=dataclasses.replace(ride.meta, sport="cycling"))
    starts = _segment_starts(_analysis(run, ride))
    assert [sport for _, sport in starts] == [run.meta.sport, "cycling"]
    assert starts[1][0] == ride.samples.index[0]
    assert _segment_starts(_analysis(run)) == []


def test_power_gets_its_own_panel(tmp_path: Path) -> None:
    index = pd.date_range("2024-05-12T06:00Z", periods=1200, freq="1s", name="time")
    hr = 120 + 30 * np.sin(np.arange(1200) / 120)
    plain = pd.DataFrame({"heart_rate": hr}, index=index)
    with_power = plain.assign(power=200 + 50 * np.sin(np.arange(1200) / 60))
    heights = [Image.open(plot_load(_analysis(frame), tmp_path / f"{i}.png")).size[1]
               for i, frame in enumerate((plain, with_power))]
    assert heights[1] > heights[0] + 200  # one more 2.6-inch panel at 110 dpi
