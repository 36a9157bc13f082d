"""CrosstalkModel: chunk invariance, resume, state across bouts, dose-response, errors."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myokinetics.estimators import CrosstalkModel, EstimatorInputError, estimate_curves
from tests.estimators.conftest import START, bout


def _two_bouts() -> pd.DataFrame:
    first = bout(40.5, 70)
    second = bout(20.2, 85, start=START + pd.Timedelta(hours=3, seconds=7))
    return pd.concat([first, second])


def _run_chunked(athlete, frame: pd.DataFrame, cuts: list[int], resume_at: int | None,
                 end: pd.Timestamp) -> pd.DataFrame:
    model = CrosstalkModel(athlete, n_draws=16, seed=3)
    parts, previous = [], 0
    for cut in [*cuts, len(frame)]:
        parts.append(model.step(frame.iloc[previous:cut]))
        previous = cut
        if cut == resume_at:
            model = CrosstalkModel(athlete, n_draws=16, seed=99,
                                   state=pickle.loads(pickle.dumps(model.state)))
    parts.append(model.rest_until(end))
    return pd.concat([p for p in parts if len(p)])


@pytest.mark.parametrize("split", range(4))
def test_any_split_gives_the_same_curves(athlete, rng, split: int) -> None:
    frame = _two_bouts()
    end = frame.index[-1] + pd.Timedelta("6h")
    whole = _run_chunked(athlete, frame, [], None, end)
    cuts = sorted(rng.choice(np.arange(1, len(frame)), size=3 + 5 * split, replace=False).tolist())
    if split == 3:  # cuts on block boundaries and at the gap between the bouts
        cuts = sorted({10, 600, 2430, len(bout(40.5, 70)), len(bout(40.5, 70)) + 1, *cuts})
    chunked = _run_chunked(athlete, frame, cuts, cuts[len(cuts) // 2], end)
    assert chunked.index.equals(whole.index)
    np.testing.assert_allclose(chunked.to_numpy(), whole.to_numpy(), rtol=1e-10, atol=1e-12)


def test_second_bout_starts_depleted_and_responds_more(athlete) -> None:
    first = bout(60, 75)
    later = START + pd.Timedelta(hours=3)
    second = bout(60, 75, start=later)
    both = estimate_curves(pd.concat([first, second]), athlete, horizon="6h")
    alone = estimate_curves(second, athlete, horizon="6h")
    at_second = both.loc[later]
    rested = alone.iloc[0]
    assert at_second["glycogen"] < 0.8 * rested["glycogen"]
    assert at_second["il1ra"] > 1.5 * rested["il1ra"]
    assert at_second["insulin_sensitivity"] > rested["insulin_sensitivity"]
    window = slice(later, later + pd.Timedelta("90min"))
    assert both.loc[window, "il6"].max() > 1.3 * alone.loc[window, "il6"].max()
    assert both.loc[window, "glycogen"].min() < alone.loc[window, "glycogen"].min()
    # EPOC restarts with the second bout (cumulative since the bout began): the rest row at its
    # start closes the first bout's EPOC, the first exercise row starts again from 0.
    assert both.loc[later, "epoc"] > 1.0
    assert both.loc[later + pd.Timedelta("10s"), "epoc"] == 0.0


def _peaks(athlete, minutes: float, pct: float) -> pd.Series:
    curves = estimate_curves(bout(minutes, pct), athlete, horizon="30h")
    peaks = curves.max()
    peaks["glycogen_drop"] = 1.0 - curves["glycogen"].min()
    peaks["si_next_day"] = curves["insulin_sensitivity"].iloc[-1]
    return peaks


@pytest.mark.parametrize("name", ["il6", "il10", "il1ra", "lactate", "glucose_uptake",
                                  "cho_oxidation", "energy_expenditure", "epoc", "il15",
                                  "glycogen_drop", "si_next_day", "osteocalcin", "ffa"])
def test_rises_with_intensity(athlete, name: str) -> None:
    values = [_peaks(athlete, 45, pct)[name] for pct in (45, 65, 85)]
    assert values[0] < values[1] < values[2], values


@pytest.mark.parametrize("name", ["il6", "il10", "il1ra", "epoc", "glycogen_drop",
                                  "si_next_day", "ffa", "osteocalcin"])
def test_rises_with_duration(athlete, name: str) -> None:
    values = [_peaks(athlete, minutes, 65)[name] for minutes in (20, 60, 120)]
    assert values[0] < values[1] < values[2], values


def test_fat_oxidation_peaks_at_moderate_intensity(athlete) -> None:
    fat = [estimate_curves(bout(10, pct), athlete, horizon="0s")["fat_oxidation"].iloc[1:].mean()
           for pct in (40, 62, 90)]
    assert fat[1] > fat[0] and fat[1] > fat[2]


def test_rest_level_input_stays_at_baseline(athlete) -> None:
    rest = bout(60, 100 * 3.5 / 58)
    curves = estimate_curves(rest, athlete, horizon="2h")
    for name in ("il6", "il10", "il1ra", "lactate", "glycogen", "insulin_sensitivity", "ffa",
                 "irisin", "bdnf", "osteocalcin", "glucose_uptake", "hepatic_glucose_output"):
        np.testing.assert_allclose(curves[name], curves[name].iloc[0], rtol=1e-6, err_msg=name)


def test_single_draw_has_a_zero_width_band(athlete) -> None:
    model = CrosstalkModel(athlete, n_draws=1)
    curves = estimate_curves(bout(30, 70), athlete, horizon="1h", model=model)
    for name in ("il6", "lactate", "glycogen"):
        assert (curves[f"{name}_lo"] == curves[name]).all()
        assert (curves[f"{name}_hi"] == curves[name]).all()


def test_same_seed_same_band_other_seed_other_band(athlete) -> None:
    frame = bout(30, 70)
    a = estimate_curves(frame, athlete, "1h", CrosstalkModel(athlete, n_draws=30, seed=1))
    b = estimate_curves(frame, athlete, "1h", CrosstalkModel(athlete, n_draws=30, seed=1))
    c = estimate_curves(frame, athlete, "1h", CrosstalkModel(athlete, n_draws=30, seed=2))
    assert a.equals(b) and not a.equals(c)


def test_bad_input_is_a_one_line_error(athlete) -> None:
    model = CrosstalkModel(athlete, n_draws=2)
    with pytest.raises(EstimatorInputError, match="missing column"):
        model.step(bout(1, 50).drop(columns="vo2"))
    model.step(bout(1, 50))
    with pytest.raises(EstimatorInputError, match="before"):
        model.step(bout(1, 50))
    with pytest.raises(EstimatorInputError, match="no rows"):
        estimate_curves(bout(1, 50).iloc[:0], athlete)
    with pytest.raises(EstimatorInputError, match="number of draws"):
        CrosstalkModel(athlete, n_draws=3, state=model.state)


def test_very_long_rest_jumps_to_the_rested_state(athlete) -> None:
    from myokinetics.estimators.model import MAX_REST_S, REST_STEP_S

    first = bout(60, 75)
    far = START + pd.Timedelta(days=400)
    curves = estimate_curves(pd.concat([first, bout(30, 70, start=far)]), athlete, "2h")
    assert len(curves) < 60 * 6 + MAX_REST_S // REST_STEP_S + 30 * 6 + 2 * 12 + 10
    rested = curves.iloc[0]
    at_far = curves.loc[far]
    for name in ("il6", "glycogen", "insulin_sensitivity", "il1ra", "ffa"):
        assert at_far[name] == pytest.approx(rested[name], rel=1e-9), name
    # Simulated for 10 days first, and by then everything was back within 1 %.
    ten_days = curves.loc[: START + pd.Timedelta(days=10, hours=1)].iloc[-1]
    for name in ("il6", "glycogen", "insulin_sensitivity", "il1ra", "ffa"):
        assert ten_days[name] == pytest.approx(rested[name], rel=0.01), name


def test_one_second_chunks_equal_the_whole(athlete) -> None:
    """The live path: a strap delivers one row at a time."""
    frame = pd.concat([bout(3.1, 80), bout(2, 60, start=START + pd.Timedelta("20min"))])
    end = frame.index[-1] + pd.Timedelta("30min")
    whole = _run_chunked(athlete, frame, [], None, end)
    live = _run_chunked(athlete, frame, list(range(1, len(frame))), 97, end)
    assert live.index.equals(whole.index)
    np.testing.assert_allclose(live.to_numpy(), whole.to_numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(cuts=st.lists(st.integers(1, 599), max_size=12, unique=True),
       gap=st.integers(0, 900), seconds_cut=st.integers(0, 9))
def test_chunk_invariance_property(cuts: list[int], gap: int, seconds_cut: int) -> None:
    import warnings

    from myokinetics.athlete import Athlete

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        athlete = Athlete(sex="male", age=30, body_mass_kg=75, hr_rest=55, hr_max=190,
                          vo2max=58).resolved()
    first = bout(5, 85).iloc[seconds_cut:]
    second = bout(5, 55, start=first.index[-1] + pd.Timedelta(seconds=1 + gap))
    frame = pd.concat([first, second])
    # Intensity that varies inside every 10 s block, a few NaN seconds and a few missing ones,
    # so a block split between chunks is only right if its partial sums and counts are.
    noise = np.random.default_rng(len(cuts) + gap).uniform(0.6, 1.4, len(frame))
    for name in ("pct_vo2max", "vo2", "energy_kcal_min"):
        frame[name] = frame[name] * noise
    frame.iloc[7::53, frame.columns.get_loc("vo2")] = np.nan
    frame = frame.drop(frame.index[13::41])
    end = frame.index[-1] + pd.Timedelta("1h")
    cuts = sorted(c for c in cuts if c < len(frame))
    whole = _run_chunked(athlete, frame, [], None, end)
    chunked = _run_chunked(athlete, frame, cuts, cuts[0] if cuts else None, end)
    assert chunked.index.equals(whole.index)
    np.testing.assert_allclose(chunked.to_numpy(), whole.to_numpy(), rtol=1e-10, atol=1e-12)


def test_energy_and_epoc_agree_with_processing(athlete) -> None:
    """Exercise energy is processing's Keytel value; EPOC is processing's EPOC model: the debt
    processing reports at the end of a bout is what the curve has repaid once recovery is
    over."""
    from myokinetics.estimators.params import parameter_table
    from myokinetics.processing.epoc import EpocModel
    from myokinetics.processing.params import presets

    frame = bout(20, 70)
    curves = estimate_curves(frame, athlete, "72h", CrosstalkModel(athlete, n_draws=1))
    during = curves.loc[frame.index[0] + pd.Timedelta("10s"):frame.index[-1]]
    np.testing.assert_allclose(during["energy_expenditure"], frame["energy_kcal_min"].iloc[0])
    seconds = frame.index.as_unit("s").asi8
    debt = EpocModel(presets()["intensity"]["vo2_rest_ml_kg_min"], athlete.body_mass_kg).step(
        seconds, frame["vo2"].to_numpy(), frame["pct_vo2max"].to_numpy())[-1]
    assert curves["epoc"].iloc[-1] == pytest.approx(debt, rel=1e-6)
    assert parameter_table()["energy.rest_rer"]["value"] == presets()["energy"]["rest_rer"]


@pytest.mark.parametrize("n", [1, 2, 3, 20, 200, 201])
def test_band_percentiles_match_numpy(rng, n: int) -> None:
    from myokinetics.estimators.model import band_percentiles

    cube = rng.lognormal(size=(7, 5, n))
    expected = np.percentile(cube, [5.0, 50.0, 95.0], axis=2)
    np.testing.assert_allclose(np.stack(band_percentiles(cube)), expected, rtol=1e-12)
