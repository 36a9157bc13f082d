"""Energy expenditure variants: VO2 x O2 energy equivalent at the substrate RER, cycling power."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from myokinetics.processing.energy import (
    o2_energy_kj_per_l,
    power_kcal_min,
    resting_kcal_min,
    vo2_kcal_min,
)
from myokinetics.processing.pipeline import LoadPipeline
from myokinetics.processing.substrate import rer
from tests.processing.helpers import ATHLETE

RESOLVED = ATHLETE.resolved()


def test_rer_rises_from_rest_to_pure_carbohydrate_at_fatmin() -> None:
    x = np.linspace(0.0, 1.0, 101)
    values = rer(x)
    assert values[0] == pytest.approx(0.82)
    assert np.all(np.diff(values) >= 0.0)
    assert values[x >= 0.861].min() == pytest.approx(1.0)


def test_vo2_energy_is_oxygen_times_its_energy_equivalent() -> None:
    kcal = vo2_kcal_min(np.array([RESOLVED.vo2max]), RESOLVED)[0]
    litres = RESOLVED.vo2max * RESOLVED.body_mass_kg / 1000.0
    assert kcal == pytest.approx(litres * o2_energy_kj_per_l(1.0) / 4.184)


def test_vo2_energy_is_capped_at_vo2max_and_floored_at_rest() -> None:
    kcal = vo2_kcal_min(np.array([1.0, 1.5 * RESOLVED.vo2max, RESOLVED.vo2max]), RESOLVED)
    assert kcal[0] == pytest.approx(resting_kcal_min(RESOLVED))
    assert kcal[1] == pytest.approx(kcal[2])


def test_power_energy_is_rest_plus_work_over_delta_efficiency() -> None:
    kcal = power_kcal_min(np.array([200.0, np.nan]), RESOLVED)
    work_kcal_min = 200.0 * 60.0 / 4184.0
    assert kcal[0] == pytest.approx(resting_kcal_min(RESOLVED) + work_kcal_min / 0.258)
    assert np.isnan(kcal[1])


def _ride(seconds: int = 600) -> pd.DataFrame:
    index = pd.date_range("2024-05-01 08:00", periods=seconds, freq="s", tz="UTC", name="time")
    power = np.full(seconds, 180.0)
    power[: seconds // 2] = np.nan  # power meter paired half-way through
    return pd.DataFrame({"heart_rate": np.full(seconds, 140.0), "power": power}, index=index)


def _energy(sport: str | None) -> tuple[dict, pd.DataFrame]:
    pipeline = LoadPipeline(ATHLETE, sport=sport)
    frames = [pipeline.push(_ride()).intensity, pipeline.finish().intensity]
    return pipeline.totals(), pd.concat(frames)


def test_cycling_takes_power_where_recorded_and_heart_rate_elsewhere() -> None:
    totals, frame = _energy("cycling")
    assert totals["variants"]["energy_kcal"].startswith("energy_kcal_vo2r_rer_power_de ")
    per_second = frame["energy_kcal_min"].to_numpy()
    from_hr = vo2_kcal_min(frame["vo2"].to_numpy(), RESOLVED)
    assert np.allclose(per_second[:300], from_hr[:300])
    assert np.allclose(per_second[300:], power_kcal_min(np.array([180.0]), RESOLVED))
    assert totals["energy_kcal"] == pytest.approx(per_second.sum() / 60.0)
    assert totals["energy_kcal_vo2r_rer"] == pytest.approx(from_hr.sum() / 60.0)


def test_running_power_is_not_used_for_energy() -> None:
    totals, _ = _energy("running")
    assert totals["variants"]["energy_kcal"].startswith("energy_kcal_vo2r_rer ")
    assert "energy_kcal_vo2r_rer_power_de" not in totals
    assert totals["energy_kcal"] == totals["energy_kcal_vo2r_rer"]
