"""summarize_curves and plot_curves."""

from __future__ import annotations

import pandas as pd
import pytest

from myokinetics.estimators import CURVES, estimate_curves, plot_curves, summarize_curves
from tests.estimators.conftest import bout


@pytest.fixture(scope="module")
def curves() -> pd.DataFrame:
    import warnings

    from myokinetics.athlete import Athlete

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        athlete = Athlete(sex="male", age=30, body_mass_kg=75, hr_rest=55, hr_max=190,
                          vo2max=58).resolved()
    return estimate_curves(bout(60, 72), athlete, horizon="12h")


def test_summary_has_peak_time_and_area_per_quantity(curves: pd.DataFrame) -> None:
    summary = summarize_curves(curves)
    assert set(summary) == set(CURVES)
    il6 = summary["il6"]
    assert il6["peak_lo"] <= il6["peak"] <= il6["peak_hi"] and il6["peak"] > il6["baseline"]
    peak_time = pd.Timestamp(il6["time_of_peak"])
    assert curves.index[0] < peak_time <= curves.index[0] + pd.Timedelta("75min")
    assert il6["area"] > 0 and "x h" in il6["area_unit"]
    assert summary["glycogen"]["extreme"] == "min"
    assert summary["glycogen"]["peak"] < summary["glycogen"]["baseline"]
    assert summary["epoc"]["area"] == pytest.approx(curves["epoc"].iloc[-1])
    assert summarize_curves(curves.iloc[:0]) == {}
    assert summary["il6"]["organs"] == ["working muscle", "immune balance"]
    assert all(entry["organs"] for entry in summary.values())


def test_plot_writes_a_png(curves: pd.DataFrame, tmp_path) -> None:
    path = plot_curves(curves, tmp_path / "curves.png",
                       [(curves.index[0], curves.index[0] + pd.Timedelta("60min"))])
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
