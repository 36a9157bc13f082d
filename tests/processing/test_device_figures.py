"""What ``bench energy`` reads of a FIT file's own figures: calories, and whether the device
had a heart rate while it accumulated them."""

from __future__ import annotations

from bench.bench_energy import device_figures
from tests.conftest import require_shared


def test_pool_swim_with_storing_strap_has_calories_without_hr() -> None:
    # FIT SDK pool swim: the strap's heart rate is only in hr messages after the session;
    # the 138 kcal are the active lengths' sum
    figures = device_figures(require_shared("fit-corpus/tormoder__activity_poolswim_with_hr.fit"))
    assert figures.calories == 138
    assert figures.records == 3501 and figures.records_with_hr == 0
    assert figures.calories_without_hr


def test_swim_with_live_heart_rate() -> None:
    figures = device_figures(require_shared("fit-corpus/gc__Garmin945swimRRdata.fit"))
    assert figures.calories == 705
    assert figures.records == figures.records_with_hr == 2915
    assert not figures.calories_without_hr
    assert figures.profile["body_mass_kg"] == 99.4
