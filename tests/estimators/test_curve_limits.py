"""No curve or band leaves its physiological range (data/curve_limits.toml) for any input:
random heart-rate streams with 0, 250, gaps, steps and plateaus, of any length."""

from __future__ import annotations

import tomllib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myokinetics.athlete import Athlete
from myokinetics.estimators.columns import CURVES
from myokinetics.stream import AthleteStream, StreamOptions, concat_steps

LIMITS = tomllib.loads((Path(__file__).resolve().parents[2] / "myokinetics" / "estimators"
                        / "data" / "curve_limits.toml").read_text())
ATHLETE = Athlete(sex="male", age=45, body_mass_kg=90, hr_rest=65, hr_max=175, vo2max=35)

segment = st.tuples(st.integers(1, 40),                                   # minutes
                    st.one_of(st.just(0.0), st.just(250.0), st.just(np.nan),
                              st.floats(20.0, 250.0)))


def test_every_curve_has_a_sourced_limit() -> None:
    assert set(LIMITS) == set(CURVES)
    for name, row in LIMITS.items():
        assert row["min"] < row["max"] and row["source"], name


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(segment, min_size=1, max_size=6))
def test_curves_stay_within_physiological_limits(segments: list[tuple[int, float]]) -> None:
    hr = np.concatenate([np.full(minutes * 60, value) for minutes, value in segments])
    index = pd.date_range("2024-03-01 07:00", periods=len(hr), freq="s", tz="UTC", name="time")
    stream = AthleteStream(ATHLETE, StreamOptions(n_draws=24, horizon=pd.Timedelta(hours=12)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        curves = concat_steps([stream.push(pd.DataFrame({"heart_rate": hr}, index=index)),
                               stream.finish()]).curves
    for name, row in LIMITS.items():
        values = curves[[name, f"{name}_lo", f"{name}_hi"]].to_numpy()
        finite = values[np.isfinite(values)]
        assert len(finite), name
        assert finite.min() >= row["min"] and finite.max() <= row["max"], \
            (name, float(finite.min()), float(finite.max()), segments)
