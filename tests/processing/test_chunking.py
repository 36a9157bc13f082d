"""The one-path rule: any chunking gives the same intensity, windows, HRV and totals."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myokinetics.processing import LoadPipeline, PipelineStep
from tests.processing.helpers import ATHLETE, intervals, rr_from_hr

SAMPLES = intervals(seconds=1500)
RR = rr_from_hr(SAMPLES)


def run(splits: list[int], window_s: int = 60, step_s: int | None = None
        ) -> tuple[PipelineStep, dict]:
    """Feed SAMPLES (and RR up to each chunk's end) cut at the given row positions."""
    pipeline = LoadPipeline(ATHLETE, window_s=window_s, step_s=step_s)
    steps = []
    bounds = [0, *sorted(set(splits)), len(SAMPLES)]
    rr_done = 0
    for lo, hi in itertools.pairwise(bounds):
        if hi <= lo:
            continue
        chunk = SAMPLES.iloc[lo:hi]
        rr_end = int(np.searchsorted(RR.index, chunk.index[-1], side="right"))
        steps.append(pipeline.push(chunk, RR.iloc[rr_done:rr_end]))
        rr_done = rr_end
    steps.append(pipeline.push(SAMPLES.iloc[0:0], RR.iloc[rr_done:]))
    steps.append(pipeline.finish())
    merged = PipelineStep(*(pd.concat([getattr(s, name) for s in steps])
                            for name in ("intensity", "windows", "hrv")))
    return merged, pipeline.totals()


WHOLE, WHOLE_TOTALS = run([])


def assert_same(result: tuple[PipelineStep, dict], whole=WHOLE, totals=WHOLE_TOTALS) -> None:
    step, tot = result
    pd.testing.assert_frame_equal(step.intensity, whole.intensity, rtol=1e-9)
    pd.testing.assert_frame_equal(step.windows, whole.windows, rtol=1e-9)
    pd.testing.assert_frame_equal(step.hrv, whole.hrv, rtol=1e-9)
    for key, value in totals.items():
        if isinstance(value, float):
            assert tot[key] == pytest.approx(value, rel=1e-9, nan_ok=True), key
        else:
            assert tot[key] == value, key


def test_whole_recording_has_every_output() -> None:
    assert len(WHOLE.intensity) == 1500
    assert len(WHOLE.windows) > 20 and len(WHOLE.hrv) > 50
    assert WHOLE_TOTALS["rr_artifact_pct"] > 0


def test_one_second_chunks() -> None:
    assert_same(run(list(range(1, len(SAMPLES)))))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=len(SAMPLES) - 1), max_size=40))
def test_random_splits(splits: list[int]) -> None:
    assert_same(run(splits))


def test_sliding_windows_are_chunk_invariant_and_overlap() -> None:
    whole = run([], window_s=60, step_s=15)
    assert_same(run(list(range(7, len(SAMPLES), 37)), window_s=60, step_s=15), *whole)
    windows = whole[0].windows
    assert (np.diff(windows.index.as_unit("ns").asi8) // 10**9 == 15).mean() > 0.9
    # each second is counted in window_s / step_s = 4 windows
    assert windows["duration_s"].sum() == pytest.approx(4 * whole[1]["duration_s"])


def test_sub_second_samples_split_inside_a_second() -> None:
    index = pd.date_range("2024-05-01 10:00", periods=1200, freq="250ms", tz="UTC", name="time")
    fast = pd.DataFrame({"heart_rate": 140 + 10 * np.sin(np.arange(1200) / 50.0)}, index=index)
    outputs = []
    for cuts in ([], [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987]):
        pipeline = LoadPipeline(ATHLETE)
        bounds = [0, *cuts, len(fast)]
        steps = [pipeline.push(fast.iloc[lo:hi])
                 for lo, hi in itertools.pairwise(bounds)]
        steps.append(pipeline.finish())
        outputs.append(pd.concat([s.intensity for s in steps]))
    pd.testing.assert_frame_equal(outputs[0], outputs[1])
    assert len(outputs[0]) == 300
