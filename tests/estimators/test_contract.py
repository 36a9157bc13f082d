"""One contract over every curve quantity: names, units, grid, band order, sign, recovery."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from myokinetics.estimators import CURVE_COLUMNS, CURVES, MODEL_NOTE, ORGANS, estimate_curves
from myokinetics.estimators.model import EXERCISE_STEP_S, REST_STEP_S
from tests.estimators.conftest import bout

DESIGN_CURVES = {  # DESIGN.md "Curves" table, copied as the contract
    "il6": "pg/mL plasma", "il10": "pg/mL plasma", "il1ra": "pg/mL plasma",
    "il15": "pg/mL plasma", "irisin": "ng/mL plasma", "bdnf": "ng/mL serum",
    "lactate": "mmol/L blood", "glycogen": "fraction of rested muscle glycogen",
    "glucose_uptake": "mg/kg/min (muscle)", "hepatic_glucose_output": "mg/kg/min",
    "insulin_sensitivity": "ratio to the athlete's rested baseline",
    "ffa": "mmol/L plasma free fatty acids", "fat_oxidation": "g/min", "cho_oxidation": "g/min",
    "energy_expenditure": "kcal/min", "epoc": "L O2, cumulative since the bout began",
    "osteocalcin": "undercarboxylated osteocalcin, ratio to the rested baseline",
}


@pytest.fixture(scope="module")
def week_curves() -> pd.DataFrame:
    import warnings

    from myokinetics.athlete import Athlete

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        athlete = Athlete(sex="female", age=41, body_mass_kg=62, hr_rest=58, hr_max=181,
                          vo2max=44).resolved()
    frame = bout(45, 72, vo2max=44, mass=62)
    return estimate_curves(frame, athlete, horizon=pd.Timedelta("7D"))


def test_names_units_and_note(week_curves: pd.DataFrame) -> None:
    assert CURVES == DESIGN_CURVES
    assert list(week_curves.columns) == list(CURVE_COLUMNS)
    assert len(CURVE_COLUMNS) == 3 * len(CURVES)
    assert week_curves.attrs["note"] == MODEL_NOTE and "not measurements" in MODEL_NOTE
    assert week_curves.attrs["units"] == DESIGN_CURVES
    assert {q for qs in ORGANS.values() for q in qs} == set(CURVES)


def test_grid_is_utc_fine_in_exercise_coarse_in_rest(week_curves: pd.DataFrame) -> None:
    index = week_curves.index
    assert str(index.tz) == "UTC" and index.name == "time" and index.is_monotonic_increasing
    steps = np.diff(index.asi8 // 10**9)
    assert set(steps[: 45 * 6]) == {EXERCISE_STEP_S}
    rest = steps[45 * 6:]
    assert rest.max() == REST_STEP_S and rest.min() > 0
    assert (index[45 * 6 + 1:].asi8 // 10**9 % REST_STEP_S == 0)[:-1].all()
    assert index[-1] - index[0] >= pd.Timedelta("7D")


@pytest.mark.parametrize("name", list(DESIGN_CURVES))
def test_band_order_sign_and_return_to_baseline(week_curves: pd.DataFrame, name: str) -> None:
    value, lo, hi = (week_curves[f"{name}{s}"].to_numpy() for s in ("", "_lo", "_hi"))
    assert np.isfinite(value).all()
    assert (lo <= value + 1e-12).all() and (value <= hi + 1e-12).all()
    assert (lo >= 0).all()
    if name == "epoc":  # cumulative: never decreases within the bout's recovery, then plateaus
        after = week_curves.index >= week_curves.index[0] + pd.Timedelta("45min")
        assert (np.diff(value[after]) >= -1e-12).all()
        day2 = week_curves.index >= week_curves.index[0] + pd.Timedelta("2D")
        assert value[-1] - value[day2][0] < 0.01 and value[-1] > 1.0
    else:
        assert value[-1] == pytest.approx(value[0], rel=0.02), "not back to baseline after 7 d"
