"""Cleaning: invalid values, spikes, bridged and unbridged dropouts, pauses, coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from myokinetics.processing import LoadPipeline
from tests.processing.helpers import ATHLETE, constant_hr, intervals


def analyse(samples: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    pipeline = LoadPipeline(ATHLETE)
    steps = [pipeline.push(samples), pipeline.finish()]
    intensity = pd.concat([s.intensity for s in steps])
    windows = pd.concat([s.windows for s in steps])
    return intensity, windows, pipeline.totals()


def test_invalid_values_spikes_and_short_gaps() -> None:
    samples = constant_hr(150, 600)
    hr = samples["heart_rate"].to_numpy().copy()
    hr[100], hr[200], hr[300] = 0.0, 255.0, 210.0     # FIT no-reading, FIT invalid, spike
    hr[400:420] = np.nan                               # 20 s dropout: bridged (<= 25 s)
    samples["heart_rate"] = hr
    intensity, _, totals = analyse(samples)
    assert intensity["heart_rate"].to_numpy() == pytest.approx(np.full(600, 150.0))
    assert intensity["valid"].all()
    assert intensity["bridged"].sum() == 23            # 20 s dropout + 3 removed readings
    assert totals["spikes_removed"] == 1
    assert totals["hr_coverage"] == 1.0
    assert totals["hr_real_fraction"] == pytest.approx(577 / 600)


def test_long_dropout_lowers_coverage_not_load_per_covered_minute() -> None:
    full = constant_hr(160, 1200)
    _, _, whole = analyse(full)
    broken = full.copy()
    broken.iloc[300:600, 0] = np.nan                   # the strap died for 5 minutes
    intensity, windows, totals = analyse(broken)
    assert totals["hr_coverage"] == pytest.approx(900 / 1200)
    assert totals["duration_s"] == 1200
    per_min = totals["trimp"] / (totals["hr_coverage"] * totals["duration_s"] / 60)
    assert per_min == pytest.approx(whole["trimp"] / 20, rel=1e-12)
    assert not intensity["valid"].iloc[300:600].any()
    assert windows["hr_coverage"].min() == 0.0


def test_zone_times_sum_to_covered_time() -> None:
    intensity, windows, totals = analyse(intervals())
    zone_total = sum(totals[f"time_z{z}_s"] for z in range(1, 6))
    assert zone_total == pytest.approx(totals["hr_coverage"] * totals["duration_s"])
    per_window = windows[[f"time_z{z}_s" for z in range(1, 6)]].sum(axis=1)
    assert per_window.to_numpy() == pytest.approx(
        (windows["hr_coverage"] * windows["duration_s"]).to_numpy())
    assert set(intensity["zone"].dropna().unique()) <= {1.0, 2.0, 3.0, 4.0, 5.0}


def test_pause_produces_no_rows_and_windows_sum_to_totals() -> None:
    samples = intervals()
    intensity, windows, totals = analyse(samples)
    assert len(intensity) == len(samples)              # 10-min pause: no rows
    assert windows["duration_s"].sum() == totals["duration_s"]
    for key in ("trimp_banister_lit_male", "trimp_edwards", "time_z4_s",
                "energy_kcal_keytel_vo2max_male"):
        assert windows[key].sum() == pytest.approx(totals[key], rel=1e-12)
    assert (windows.index.as_unit("ns").asi8 // 10**9 % 60 == 0).all()   # UTC-aligned window starts


def test_intensity_columns_and_units() -> None:
    intensity, _, _ = analyse(constant_hr(ATHLETE.hr_threshold, 120))
    row = intensity.iloc[0]
    hrr = (165 - 50) / (185 - 50) * 100
    assert row["pct_hrr"] == pytest.approx(hrr)
    assert row["pct_vo2r"] == pytest.approx((hrr + 0.1) / 1.0)
    assert row["vo2"] == pytest.approx(3.5 + row["pct_vo2r"] / 100 * (50 - 3.5))
    assert row["pct_vo2max"] == pytest.approx(row["vo2"] / 50 * 100)
    assert row["zone"] == 4.0
    assert str(intensity.index.tz) == "UTC" and intensity.index.name == "time"


def test_nanmedian_rows_matches_numpy() -> None:
    from myokinetics.processing._numeric import nanmedian_rows

    rng = np.random.default_rng(2)
    full = rng.normal(size=(500, 5))
    gappy = full.copy()
    gappy[::3, 1] = np.nan
    gappy[::7, :4] = np.nan
    gappy[::50] = np.nan
    for windows in (full, gappy):
        with np.errstate(all="ignore"), pytest.warns(RuntimeWarning) if np.isnan(
                windows).all(axis=1).any() else np.errstate():
            expected = np.nanmedian(windows, axis=1)
        assert nanmedian_rows(windows) == pytest.approx(expected, nan_ok=True)
