"""frame_from_arrays: the pandas-internal fast path and its public fallback build equal frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from myokinetics.processing import LoadPipeline
from myokinetics.processing._numeric import frame_from_arrays
from tests.processing.helpers import ATHLETE, intervals

COLUMNS = pd.Index(["hr", "valid"])
INDEX = pd.DatetimeIndex(["2024-05-01 10:00:00", "2024-05-01 10:00:01"], tz="UTC", name="time")
ARRAYS = [np.array([120.0, np.nan]), np.array([True, False])]


def _without_internal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(pd.DataFrame, "_from_arrays", raising=False)


def _internal_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    def changed(*args, **kwargs):  # e.g. ``verify_integrity`` renamed in a later pandas
        raise TypeError("unexpected keyword argument")

    monkeypatch.setattr(pd.DataFrame, "_from_arrays", changed)


@pytest.mark.parametrize("break_internal", [_without_internal, _internal_changed])
def test_public_fallback_builds_the_same_frame(monkeypatch, break_internal) -> None:
    fast = frame_from_arrays(ARRAYS, COLUMNS, INDEX)
    break_internal(monkeypatch)
    public = frame_from_arrays(ARRAYS, COLUMNS, INDEX)
    pd.testing.assert_frame_equal(public, fast)
    assert public["valid"].dtype == bool and public.index.name == "time"


def test_pipeline_output_does_not_depend_on_the_internal(monkeypatch) -> None:
    samples = intervals(seconds=600)
    fast = LoadPipeline(ATHLETE).push(samples).intensity
    _without_internal(monkeypatch)
    public = LoadPipeline(ATHLETE).push(samples).intensity
    assert len(fast) > 500
    pd.testing.assert_frame_equal(public, fast)
