"""Day statistics of curves: window cutting, areas that add up, end values and means."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from myokinetics.daily.curvestats import day_estimates, day_slice


def curves() -> pd.DataFrame:
    """A triangle of IL-6 (0 -> 10 -> 0 pg/mL over 4 h) on an irregular grid, plus others."""
    index = pd.DatetimeIndex(pd.to_datetime(
        ["2024-03-01T22:00Z", "2024-03-01T23:00Z", "2024-03-02T00:00Z", "2024-03-02T00:30Z",
         "2024-03-02T02:00Z"]), name="time")
    il6 = np.array([0.0, 5.0, 10.0, 7.5, 0.0])
    return pd.DataFrame({"il6": il6, "il6_lo": il6 / 2, "il6_hi": il6 * 2,
                         "glycogen": [1.0, 0.9, 0.8, 0.85, 0.9],
                         "insulin_sensitivity": [1.0, 1.0, 1.2, 1.2, 1.2],
                         "fat_oxidation": [0.1] * 5}, index=index)


def test_areas_of_adjacent_windows_add_up_to_the_whole():
    frame = curves()
    midnight = pd.Timestamp("2024-03-02T00:00Z")
    cut = pd.Timestamp("2024-03-01T23:30Z")
    first = day_estimates(day_slice(frame, pd.Timestamp("2024-03-01T00:00Z"), cut))
    second = day_estimates(day_slice(frame, cut, pd.Timestamp("2024-03-03T00:00Z")))
    whole = day_estimates(frame)
    assert whole["il6"]["area"] == pytest.approx(20.0)  # triangle: 10 pg/mL x 4 h / 2
    assert first["il6"]["area"] + second["il6"]["area"] == pytest.approx(20.0)
    assert first["il6"]["peak"] == pytest.approx(7.5)  # interpolated at the bound
    assert second["il6"]["peak_time"] == midnight.isoformat()
    assert second["il6"]["peak_lo"] == 5.0 and second["il6"]["peak_hi"] == 20.0


def test_end_mean_and_grams():
    stats = day_estimates(curves())
    assert stats["glycogen"]["end"] == 0.9
    assert stats["fat_oxidation"]["total_g"] == pytest.approx(0.1 * 240)
    mean = stats["insulin_sensitivity"]["mean"]
    assert mean == pytest.approx((1.0 * 1 + 1.1 * 1 + 1.2 * 2) / 4)
    assert "cho_oxidation" not in stats and "il6" in stats


def test_windows_outside_the_curves():
    frame = curves()
    assert day_slice(frame, pd.Timestamp("2024-03-05T00:00Z"),
                     pd.Timestamp("2024-03-06T00:00Z")).empty
    assert day_estimates(frame.iloc[:1]) is None
