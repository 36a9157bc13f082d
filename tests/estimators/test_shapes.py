"""The shapes issue 11 names, on the point model: what the physiology says must hold.

Each test runs constant-intensity bouts (tests/estimators/conftest.py) through the estimators at
the parameters' point values (``n_draws = 1``), so a failure is the model's structure, not a draw.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from myokinetics.estimators import CrosstalkModel, estimate_curves
from myokinetics.estimators.dynamics import ModelParameters
from myokinetics.estimators.model import athlete_constants
from myokinetics.estimators.params import sample_parameters
from tests.estimators.conftest import START, bout


def _point(athlete, frame: pd.DataFrame, horizon: str) -> pd.DataFrame:
    return estimate_curves(frame, athlete, horizon=horizon,
                           model=CrosstalkModel(athlete, n_draws=1))


def _il6_end_fold(athlete, minutes: float, pct: float) -> float:
    curves = _point(athlete, bout(minutes, pct), "0s")
    return float(curves["il6"].iloc[-1] / curves["il6"].iloc[0])


def test_il6_grows_with_duration_and_barely_rises_in_a_short_moderate_bout(athlete) -> None:
    folds = [_il6_end_fold(athlete, minutes, 65) for minutes in (30, 60, 120, 240)]
    assert all(a < b for a, b in itertools.pairwise(folds)), folds
    # A 30-min moderate bout raises plasma IL-6 a little (Fischer 2006: duration is what
    # matters); hours raise it an order of magnitude.
    assert folds[0] < 3.0 < 8.0 < folds[-1], folds
    # Growth per doubling of duration, in the log-linear range the duration literature shows.
    slopes = np.diff(np.log(folds)) / np.log(2.0)
    assert np.all(slopes > 0.3), slopes


def test_il6_is_released_by_contraction_and_amplified_by_low_glycogen(athlete) -> None:
    """Without any glycogen effect IL-6 still rises; low glycogen adds to it."""
    frame = bout(90, 75)
    plain = CrosstalkModel(athlete, n_draws=1, overrides={"il6.glycogen_amplification": 0.0})
    without = estimate_curves(frame, athlete, horizon="0s", model=plain)["il6"]
    with_glycogen = _point(athlete, frame, "0s")["il6"]
    assert without.iloc[-1] > 3.0 * without.iloc[0]
    assert with_glycogen.iloc[-1] > 1.2 * without.iloc[-1]


def test_fat_oxidation_never_exceeds_the_ceiling_and_stops_above_fatmin(athlete) -> None:
    draws = sample_parameters(1)
    p = ModelParameters(draws, athlete_constants(athlete))
    long_moderate = _point(athlete, bout(300, 60), "0s")
    assert long_moderate["fat_oxidation"].max() <= float(p.fat_ceiling[0]) + 1e-9
    # Fat takes over as glycogen falls (Watt 2002), within that ceiling.
    exercise = long_moderate["fat_oxidation"].iloc[1:]
    assert exercise.iloc[-1] > 1.2 * exercise.iloc[30]
    hard = _point(athlete, bout(120, 100 * min(float(p.fatmin[0]) + 0.05, 0.99)), "0s")
    assert hard["fat_oxidation"].iloc[1:].max() < 1e-6


def test_resting_rer_is_near_0_82(athlete) -> None:
    rest = _point(athlete, bout(30, 100 * 3.5 / 58), "0s").iloc[-1]
    fat_l = rest["fat_oxidation"] / 0.5043   # L O2 (g/L O2 as in parameters.toml)
    cho_l = rest["cho_oxidation"] / 1.359
    rer = (0.7 * fat_l + 1.0 * cho_l) / (fat_l + cho_l)
    assert 0.80 < rer < 0.85, rer


def test_glycogen_use_slows_as_stores_fall(athlete) -> None:
    curves = _point(athlete, bout(240, 57), "0s")
    minutes = (curves.index - curves.index[0]).total_seconds() / 60.0
    at = [float(curves["glycogen"].iloc[np.searchsorted(minutes, m)]) for m in (0, 120, 240)]
    assert at[0] - at[1] > 1.5 * (at[1] - at[2]), at


def test_insulin_sensitivity_rises_in_the_hours_after_a_short_intense_bout(athlete) -> None:
    intervals = pd.concat([bout(4, 93, start=START + pd.Timedelta(minutes=7 * i))
                           for i in range(4)])
    curves = _point(athlete, intervals, "6h")
    end = intervals.index[-1]
    after = curves.loc[curves.index > end, "insulin_sensitivity"]
    hours = (after.index - end).total_seconds() / 3600.0
    assert after[hours <= 1.0].iloc[-1] > 1.15
    assert after[(hours > 2.5) & (hours <= 3.5)].iloc[0] > 1.05


def test_insulin_sensitivity_saturates_the_day_after_a_marathon(athlete) -> None:
    curves = _point(athlete, bout(210, 78), "30h")
    next_day = curves["insulin_sensitivity"].iloc[-1]
    assert 1.1 < next_day < 1.6, next_day


def test_lactate_falls_during_a_long_steady_bout_after_its_early_peak(athlete) -> None:
    curves = _point(athlete, bout(150, 75), "0s")
    minutes = (curves.index - curves.index[0]).total_seconds() / 60.0
    early = curves["lactate"][minutes <= 30].max()
    assert early > curves["lactate"].iloc[-1] + 0.1, (early, curves["lactate"].iloc[-1])


@pytest.mark.filterwarnings("ignore::myokinetics.athlete.MyokineticsDefaultWarning")
def test_untrained_lactate_threshold_defaults_from_fitness(athlete) -> None:
    """Without a threshold heart rate, a lower VO2max reaches more lactate at the same %VO2max."""
    from dataclasses import replace

    untrained = replace(athlete, vo2max=40.0, hr_threshold=None)
    trained = replace(athlete, vo2max=65.0, hr_threshold=None)
    lactate = [CrosstalkModel(a, n_draws=1).step(bout(30, 65, vo2max=a.vo2max))["lactate"].max()
               for a in (untrained, trained)]
    assert lactate[0] > 1.5 * lactate[1], lactate


def test_bdnf_rises_only_above_the_ventilatory_threshold(athlete) -> None:
    below = _point(athlete, bout(30, 55), "0s")["bdnf"]
    above = _point(athlete, bout(30, 90), "0s")["bdnf"]
    assert below.iloc[-1] < 1.02 * below.iloc[0]
    assert above.iloc[-1] > 1.1 * above.iloc[0]
    minutes = (above.index - above.index[0]).total_seconds() / 60.0
    rise = above.iloc[-1] - above.iloc[0]
    assert above[minutes <= 15].iloc[-1] - above.iloc[0] > 0.8 * rise  # minutes, not an hour


def test_epoc_after_a_long_low_intensity_bout_stays_small(athlete) -> None:
    frame = bout(180, 40)
    curves = _point(athlete, frame, "12h")
    net_o2_l = float(((frame["vo2"] - 3.5).clip(lower=0) * 75 / 1000 / 60).sum())
    assert curves["epoc"].iloc[-1] < 0.05 * net_o2_l
