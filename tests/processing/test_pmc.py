"""PMC conventions, seeds, local days, monotony (load-metrics.md vectors 4, 5, 8)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from myokinetics.errors import InputError
from myokinetics.processing import daily_load, ewma_alpha, pmc


def days(values: list[float]) -> pd.Series:
    return pd.Series(values, index=pd.date_range("2024-01-01", periods=len(values), name="day"))


def test_ewma_constants_vector_8() -> None:
    assert ewma_alpha(42) == pytest.approx(0.023528, abs=1e-6)
    assert ewma_alpha(7) == pytest.approx(0.133122, abs=1e-6)
    assert ewma_alpha(7, "simple") == pytest.approx(0.142857, abs=1e-6)
    assert ewma_alpha(42, "runalyze") == pytest.approx(0.046512, abs=1e-6)


def test_single_load_vector_4_both_conventions() -> None:
    load = days([1000.0] + [0.0] * 20)
    runalyze = pmc(load, convention="runalyze", tsb_next_day=False)
    assert round(runalyze["ctl"].iloc[0]) == 47
    assert round(runalyze["atl"].iloc[0]) == 250
    assert runalyze["tsb"].iloc[0] == pytest.approx(-203.5, abs=0.5)
    gc = pmc(load)
    assert gc["ctl"].iloc[0] == pytest.approx(23.5, abs=0.05)
    assert gc["atl"].iloc[0] == pytest.approx(133.1, abs=0.05)
    assert gc["tsb"].iloc[0] == 0.0                      # shown the next day by default
    assert gc["tsb"].iloc[1] == pytest.approx(23.53 - 133.12, abs=0.01)
    assert "pmc_exp ctl=42d atl=7d" in gc.attrs["variant"]


def test_steady_load_is_a_fixed_point_and_seeds_apply() -> None:
    out = pmc(days([50.0] * 30), ctl_seed=50.0, atl_seed=50.0)
    assert out["ctl"].to_numpy() == pytest.approx([50.0] * 30)
    assert out["atl"].to_numpy() == pytest.approx([50.0] * 30)
    seeded = pmc(days([0.0]), ctl_seed=60.0, atl_seed=80.0, ctl_days=21, atl_days=5)
    assert seeded["ctl"].iloc[0] == pytest.approx(60.0 * (1 - ewma_alpha(21)))
    assert seeded["atl"].iloc[0] == pytest.approx(80.0 * (1 - ewma_alpha(5)))


def test_monotony_vector_5() -> None:
    out = pmc(days([0, 20, 10, 10, 10, 10, 10]))
    assert out["monotony"].iloc[-1] == pytest.approx(1.8708, abs=1e-4)
    assert out["strain"].iloc[-1] == pytest.approx(130.96, abs=0.01)
    assert out["monotony"].iloc[:-1].isna().all()


def test_daily_load_uses_local_calendar_days_and_fills_rest_days() -> None:
    utc = pd.DatetimeIndex(["2024-03-01 22:30", "2024-03-01 23:30", "2024-03-03 08:00"],
                           tz="UTC")
    load = pd.Series([10.0, 20.0, 5.0], index=utc)
    local = daily_load(load, utc_offset=dt.timedelta(hours=2))
    assert local.to_dict() == {pd.Timestamp("2024-03-02"): 30.0,
                               pd.Timestamp("2024-03-03"): 5.0}
    plain = daily_load(load)
    assert list(plain.to_numpy()) == [30.0, 0.0, 5.0]
    per_value = daily_load(load, utc_offset=pd.Series(pd.to_timedelta(["2h", "0h", "0h"])))
    assert list(per_value.to_numpy()) == [20.0, 10.0, 5.0]


def test_bad_convention_and_naive_index_are_one_line_errors() -> None:
    with pytest.raises(InputError, match="runalyze"):
        ewma_alpha(42, "banister")
    with pytest.raises(InputError, match="time index"):
        daily_load(pd.Series([1.0], index=pd.DatetimeIndex(["2024-01-01"])))
