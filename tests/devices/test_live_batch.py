"""Live and batch agree: a recording replayed through the live path, stepped in irregular
chunks as a live stream is, gives the same load windows, totals, HRV and curves as
``myokinetics.analyze`` on the same recording."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import myokinetics
from myokinetics.devices.capture import CaptureOptions, capture
from myokinetics.devices.live_analysis import LiveAnalysis
from myokinetics.devices.session import LiveSession
from myokinetics.ingest.recording import recording_events
from myokinetics.stream import DEFAULT_HORIZON
from tests.conftest import SAMPLE_FIT

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def recording(tmp_path: Path, athlete) -> Path:
    if not SAMPLE_FIT.exists():
        pytest.skip("samples/run-intervals-45min.fit is not built yet")
    options = CaptureOptions(replay=SAMPLE_FIT, out=tmp_path, speed=0, finish=False,
                             athlete=athlete)
    result, = asyncio.run(capture(options, asyncio.Event()))
    return result.recording


def _live(recording: Path, athlete, seed: int) -> LiveAnalysis:
    _, events, _ = recording_events(recording.read_bytes(), str(recording))
    analysis = LiveAnalysis(athlete)
    session = LiveSession("replay", None, analysis)
    rng = np.random.default_rng(seed)
    for event in events:
        session.feed(event)
        if rng.random() < 0.15:  # the dashboard refresh lands at irregular points
            session.analyze_pending()
    session.close()
    return analysis


def test_live_equals_analyze(recording: Path, athlete) -> None:
    live = _live(recording, athlete, seed=1)
    batch = myokinetics.analyze(recording, athlete, horizon=DEFAULT_HORIZON)
    frames = live.frames()
    for name, expected in (("intensity", batch.intensity), ("windows", batch.load),
                           ("hrv", batch.hrv), ("curves", batch.curves)):
        assert len(expected) > 0, name
        pd.testing.assert_frame_equal(frames[name], expected, check_freq=False, rtol=1e-9,
                                      obj=name)
    totals = {k: v for k, v in batch.totals.items() if k != "activities"}
    live_totals = live.stream.totals()
    assert live_totals.keys() == totals.keys()
    for key, value in totals.items():
        if isinstance(value, float):
            assert live_totals[key] == pytest.approx(value, rel=1e-9, nan_ok=True), key
        else:
            assert live_totals[key] == value, key
    # What the dashboard showed last is the batch's final total.
    assert live.values["trimp"] == pytest.approx(totals["trimp"], rel=1e-9)
    assert live.values["kcal"] == pytest.approx(totals["energy_kcal"], rel=1e-9)
