"""The bundled samples that `make demo` and the README use stay valid."""

import pytest

from myokinetics import Athlete, read
from tests.conftest import REPO, SAMPLE_FIT


def test_sample_athlete_profile_is_complete():
    athlete = Athlete.from_toml(REPO / "samples" / "athlete.toml")
    assert athlete.sex == "male" and athlete.hr_max == 188
    with pytest.warns(UserWarning) as announced:
        defaulted = set(athlete.resolved().defaulted)
    # only what the file leaves out on purpose: zones from HRmax, W' (no power meter)
    assert defaulted == {"zones", "w_prime_j"}
    assert len(announced) == 2


def test_sample_workout_reads_cleanly():
    activity = read(SAMPLE_FIT)
    assert activity.status == "ok" and not activity.warnings
    assert 44 * 60 <= activity.duration_s <= 46 * 60
