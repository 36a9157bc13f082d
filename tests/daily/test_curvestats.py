"""Day statistics of curves: window cutting, areas that add up, end values and means."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from myokinetics.daily.curvestats import day_estimates, day_slice
from myokinetics.estimators import CURVE_COLUMNS


def curves() -> pd.DataFrame:
    """IL-6 a triangle 1 -> 11 -> 1 pg/mL over 4 h on an irregular grid; other curves flat."""
    index = pd.DatetimeIndex(pd.to_datetime(
        ["2024-03-01T22:00Z", "2024-03-01T23:00Z", "2024-03-02T00:00Z", "2024-03-02T00:30Z",
         "2024-03-02T02:00Z"]), name="time")
    frame = pd.DataFrame({c: np.ones(5) for c in CURVE_COLUMNS}, index=index)
    il6 = np.array([1.0, 6.0, 11.0, 8.5, 1.0])
    frame["il6"], frame["il6_lo"], frame["il6_hi"] = il6, il6 / 2, il6 * 2
    frame["glycogen"] = [1.0, 0.9, 0.8, 0.85, 0.9]
    frame["insulin_sensitivity"] = [1.0, 1.0, 1.2, 1.2, 1.2]
    frame["fat_oxidation"] = 0.1
    return frame


REST = {c: 1.0 for c in CURVE_COLUMNS} | {"il6_lo": 0.5, "il6_hi": 2.0}


def test_areas_of_adjacent_windows_add_up_to_the_whole():
    frame = curves()
    cut = pd.Timestamp("2024-03-01T23:30Z")
    first = day_estimates(day_slice(frame, pd.Timestamp("2024-03-01T00:00Z"), cut), REST)
    second = day_estimates(day_slice(frame, cut, pd.Timestamp("2024-03-03T00:00Z")), REST)
    whole = day_estimates(frame, REST)
    assert whole["il6"]["area"] == pytest.approx(20.0)  # 10 pg/mL above rest x 4 h / 2
    assert whole["il6"]["area_hi"] == pytest.approx(40.0)
    assert first["il6"]["area"] + second["il6"]["area"] == pytest.approx(20.0)
    assert first["il6"]["peak"] == pytest.approx(8.5)  # interpolated at the bound
    assert second["il6"]["time_of_peak"] == pd.Timestamp("2024-03-02T00:00Z").isoformat()
    assert second["il6"]["peak_lo"] == 5.5 and second["il6"]["peak_hi"] == 22.0


def test_end_mean_and_grams():
    stats = day_estimates(curves(), REST)
    assert stats["glycogen"]["end"] == 0.9
    assert stats["fat_oxidation"]["total_g"] == pytest.approx(0.1 * 240)
    assert stats["cho_oxidation"]["total_g_lo"] == pytest.approx(1.0 * 240)
    mean = stats["insulin_sensitivity"]["mean"]
    assert mean == pytest.approx((1.0 * 1 + 1.1 * 1 + 1.2 * 2) / 4)
    assert set(stats) == {"il6", "il10", "il1ra", "irisin", "lactate", "glycogen",
                          "insulin_sensitivity", "fat_oxidation", "cho_oxidation"}


def test_windows_outside_the_curves():
    frame = curves()
    assert day_slice(frame, pd.Timestamp("2024-03-05T00:00Z"),
                     pd.Timestamp("2024-03-06T00:00Z")).empty
    assert day_estimates(frame.iloc[:1], REST) is None
