"""Fixtures for the estimator tests: a documented athlete and constant-intensity bouts."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from myokinetics.athlete import Athlete

START = pd.Timestamp("2024-05-01 07:00", tz="UTC")


def bout(minutes: float, pct_vo2max: float, start: pd.Timestamp = START,
         vo2max: float = 58.0, mass: float = 75.0) -> pd.DataFrame:
    """A constant-intensity intensity frame (1 s rows) with the processing columns."""
    index = pd.date_range(start, periods=round(minutes * 60), freq="1s", name="time")
    vo2 = pct_vo2max / 100.0 * vo2max
    return pd.DataFrame({
        "heart_rate": 60.0 + pct_vo2max, "pct_hrr": pct_vo2max, "pct_vo2r": pct_vo2max,
        "vo2": vo2, "pct_vo2max": pct_vo2max, "zone": 3.0,
        "energy_kcal_min": vo2 * mass / 1000.0 * 4.9, "valid": True,
    }, index=index)


@pytest.fixture
def athlete() -> Athlete:
    """Fully specified (no defaults needed): male, 30 y, 75 kg, VO2max 58."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Athlete(sex="male", age=30, body_mass_kg=75, hr_rest=55, hr_max=190,
                       hr_threshold=170, vo2max=58, ftp_w=280,
                       zones=(120, 140, 155, 170, 190)).resolved()


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20240501)
