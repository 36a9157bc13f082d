"""One path for every caller: the same recording through ``analyze``, the live analysis worker,
the daily summary and an :class:`AthleteStream` pushed in random chunks gives the same numbers
(to 1e-9)."""

from __future__ import annotations

import asyncio
import itertools
import json
import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import myokinetics
from myokinetics.athlete import Athlete
from myokinetics.daily.curvestats import day_estimates, day_slice
from myokinetics.devices.analysis_worker import AnalysisWorker
from myokinetics.devices.capture import CaptureOptions, capture
from myokinetics.devices.session import LiveSession
from myokinetics.ingest.recording import recording_events
from myokinetics.library import Library
from myokinetics.stream import AthleteStream, StreamOptions, concat_steps
from tests.conftest import SAMPLE_FIT

pytestmark = pytest.mark.timeout(600)

ATHLETE = Athlete(sex="female", age=34, body_mass_kg=61, hr_rest=52, hr_max=188,
                  hr_threshold=170, vo2max=48)
#: Totals that only one caller knows (how many recordings analyze was given).
CALLER_ONLY = {"activities"}


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real live recording: the bundled sample replayed through the capture path."""
    if not SAMPLE_FIT.exists():
        pytest.skip("samples/run-intervals-45min.fit is not built yet")
    out = tmp_path_factory.mktemp("capture")
    options = CaptureOptions(replay=SAMPLE_FIT, out=out, speed=0, finish=False,
                             athlete=ATHLETE)
    result, = asyncio.run(capture(options, asyncio.Event()))
    return result.recording


@pytest.fixture(scope="module")
def batch(recording: Path) -> myokinetics.Analysis:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return myokinetics.analyze(recording, ATHLETE)


def _assert_totals(got: dict, expected: dict) -> None:
    expected = {k: v for k, v in expected.items() if k not in CALLER_ONLY}
    assert {k for k in got if k not in CALLER_ONLY} == expected.keys()
    for key, value in expected.items():
        if isinstance(value, float):
            assert got[key] == pytest.approx(value, rel=1e-9, nan_ok=True), key
        else:
            assert got[key] == value, key


def _chunks(n: int, how: str, rng: np.random.Generator) -> list[tuple[int, int]]:
    if how == "one":
        cuts = [0, n]
    elif how == "seconds":
        cuts = list(range(n + 1))
    else:  # odd splits, including empty chunks
        cuts = sorted({0, n, *rng.integers(0, n, size=max(n // 37, 1)).tolist()})
    return list(itertools.pairwise(cuts))


@pytest.mark.parametrize("how", ["one", "seconds", "odd"])
def test_any_chunking_equals_analyze(recording: Path, batch: myokinetics.Analysis,
                                     how: str) -> None:
    activity = myokinetics.read(recording)
    samples, rr = activity.samples, activity.rr
    stream = AthleteStream(ATHLETE, StreamOptions())
    rng = np.random.default_rng(7)
    steps = []
    times = [*samples.index, pd.Timestamp.max.tz_localize("UTC")]
    for lo, hi in _chunks(len(samples), how, rng):
        # Each chunk takes the beats up to the next chunk's first sample.
        since = times[lo] if lo else pd.Timestamp.min.tz_localize("UTC")
        beats = rr[(rr.index >= since) & (rr.index < times[hi])]
        steps.append(stream.push(samples.iloc[lo:hi], beats))
    steps.append(stream.finish())
    got = concat_steps(steps)
    for name, expected in (("intensity", batch.intensity), ("windows", batch.load),
                           ("hrv", batch.hrv), ("curves", batch.curves)):
        assert len(expected) > 0, name
        pd.testing.assert_frame_equal(getattr(got, name), expected, check_freq=False,
                                      rtol=1e-9, obj=name)
    _assert_totals(stream.totals(), batch.totals)


def test_state_moves_to_another_process_mid_recording(recording: Path,
                                                      batch: myokinetics.Analysis) -> None:
    activity = myokinetics.read(recording)
    half = len(activity.samples) // 2
    first = AthleteStream(ATHLETE)
    cut = activity.samples.index[half]
    steps = [first.push(activity.samples.iloc[:half], activity.rr[activity.rr.index < cut])]
    # A pickled state is what crosses a process boundary.
    second = AthleteStream(ATHLETE, state=pickle.loads(pickle.dumps(first.state)))
    steps.append(second.push(activity.samples.iloc[half:], activity.rr[activity.rr.index >= cut]))
    steps.append(second.finish())
    got = concat_steps(steps)
    pd.testing.assert_frame_equal(got.curves, batch.curves, check_freq=False, rtol=1e-9)
    _assert_totals(second.totals(), batch.totals)


def test_live_worker_equals_analyze(recording: Path, batch: myokinetics.Analysis) -> None:
    """The capture's analysis worker process shows the batch totals and curves at the end."""
    _, events, _ = recording_events(recording.read_bytes(), str(recording))
    worker = AnalysisWorker()
    try:
        session = LiveSession("replay", None, worker.analysis("strap", ATHLETE.resolved()))
        for number, event in enumerate(events):
            session.feed(event)
            if number % 7 == 0:
                session.analyze_pending()
        session.close()
    finally:
        worker.close()
    values = session.state.analysis
    totals = batch.totals
    for key, total in (("trimp", "trimp"), ("hrss", "hrss"), ("kcal", "energy_kcal")):
        assert values[key] == pytest.approx(totals[total], rel=1e-9), key
    end = batch.intensity.index[-1] + pd.Timedelta(seconds=1)
    ahead = batch.curves[batch.curves.index <= end + pd.Timedelta("6h")]
    assert values["il6_projected"] == pytest.approx(ahead["il6"].max(), rel=1e-9)
    assert values["glycogen_projected"] == pytest.approx(ahead["glycogen"].iloc[-1], rel=1e-9)


def test_daily_summary_equals_analyze(recording: Path, batch: myokinetics.Analysis,
                                      tmp_path: Path) -> None:
    library = Library(tmp_path / "library")
    library.import_paths([recording], workers=1, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        myokinetics.write_daily(library, tmp_path / "daily", athlete=ATHLETE)
    day = batch.intensity.index[0].tz_convert(None).date()
    document = json.loads((tmp_path / "daily" / f"{day.isoformat()}.json").read_text())
    activity, = document["activities"]
    for key, value in batch.totals.items():
        if isinstance(value, float) and np.isfinite(value):
            # The day files keep ten significant digits.
            assert activity["totals"][key] == pytest.approx(value, rel=1e-9), key
    window = document["window"]
    start, end = pd.Timestamp(window["start"]), pd.Timestamp(window["end"])
    expected = day_estimates(day_slice(batch.curves, start, end),
                             {c: float(batch.curves[c].iloc[0]) for c in batch.curves})
    got = document["estimates"]
    for name in ("il6", "il10", "il1ra", "irisin", "lactate"):
        assert got[name]["peak"] == pytest.approx(expected[name]["peak"], rel=1e-9), name
        assert pd.Timestamp(got[name]["time_of_peak"]) == \
            pd.Timestamp(expected[name]["time_of_peak"]), name
    assert got["il6"]["area"] == pytest.approx(expected["il6"]["area"], rel=1e-9)
    assert got["glycogen"]["end"] == pytest.approx(expected["glycogen"]["end"], rel=1e-9)


def test_daily_uses_the_offline_rr_correction_as_analyze_does(recording: Path,
                                                             tmp_path: Path) -> None:
    from myokinetics.daily import DailySettings

    library = Library(tmp_path / "library")
    library.import_paths([recording], workers=1, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        batch = myokinetics.analyze(recording, ATHLETE, rr_correction="lipponen_tarvainen")
        myokinetics.write_daily(library, tmp_path / "daily", athlete=ATHLETE,
                                settings=DailySettings(rr_correction="lipponen_tarvainen",
                                                       plots=False))
    day = batch.intensity.index[0].tz_convert(None).date()
    document = json.loads((tmp_path / "daily" / f"{day.isoformat()}.json").read_text())
    totals = document["activities"][0]["totals"]
    assert document["load"]["variants"]["rr_filter"] == "lipponen_tarvainen_2019"
    for key in ("rmssd_ms", "sdnn_ms", "rr_artifact_pct", "dfa_alpha1_median"):
        assert totals[key] == pytest.approx(batch.totals[key], rel=1e-9), key
