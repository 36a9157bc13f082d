"""Daily summaries over a multi-day library of generated FIT activities (real reader, real
processing and estimators): sums, time zones, carried state, damaged entries, stable bytes."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from myokinetics.athlete import Athlete
from myokinetics.daily import DailySettings, write_daily
from myokinetics.daily.schema import validate
from myokinetics.processing import LoadPipeline
from tests.daily.helpers import ListLibrary, generated
from tests.daily.test_engine import snapshot

ATHLETE = Athlete(sex="female", age=34, body_mass_kg=61, hr_rest=52, hr_max=188,
                  hr_threshold=170, vo2max=48)
FAST = DailySettings(n_draws=20)


def week() -> list:
    """A: 07:00 UTC+1 on Mar 1; B: 22:30 local in UTC-5 on Mar 1 (03:30 UTC Mar 2);
    Mar 2 a rest day; C: 11:00 local UTC-5 on Mar 3; D: 09:00 local UTC-5 on Mar 5."""
    return [generated("2024-03-01T06:00Z", 1, seed=1),
            generated("2024-03-02T03:30Z", -5, seed=2),
            generated("2024-03-03T16:00Z", -5, seed=3),
            generated("2024-03-05T14:00Z", -5, seed=4)]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def days(folder) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("2024-*.json"))}


def totals(activity) -> dict:
    pipeline = LoadPipeline(ATHLETE)
    pipeline.push(activity.samples, activity.rr)
    pipeline.finish()
    return pipeline.totals()


def test_days_sums_zones_and_schema(tmp_path):
    activities = week()
    report = write_daily(ListLibrary(activities), tmp_path, athlete=ATHLETE, settings=FAST)
    assert report.problems == []
    written = days(tmp_path)
    assert list(written) == ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04",
                             "2024-03-05"]
    for document in written.values():
        assert validate(document) == []
    # The late-evening run in UTC-5 is on its local day, Mar 1.
    assert [a["start_local"] for a in written["2024-03-01"]["activities"]] == [
        "2024-03-01T07:00:00", "2024-03-01T22:30:00"]
    assert written["2024-03-02"]["activities"] == []
    expected = [totals(a) for a in activities]
    per_day = [expected[0:2], [], [expected[2]], [], [expected[3]]]
    for document, parts in zip(written.values(), per_day, strict=True):
        for key in ("trimp", "hrss", "energy_kcal", "epoc_l"):
            assert document["load"]["total"][key] == pytest.approx(sum(t[key] for t in parts),
                                                                  rel=1e-9)
        zone_s = sum(document["zones"]["time_s"].values())
        assert zone_s + document["zones"]["no_hr_s"] == pytest.approx(
            sum(t["duration_s"] for t in parts), abs=len(parts) * 2)
    # Every plain name in an activity's totals has its variant in the day's load.variants.
    named = written["2024-03-01"]["load"]["variants"]
    aliases = ("trimp", "trimp_avg_hr", "trimp_zonal", "hrss", "energy_kcal", "epoc_l",
               "epoc_end_l")
    assert all(key in written["2024-03-01"]["activities"][0]["totals"] for key in aliases)
    assert {key: named.get(key) for key in aliases} == {
        key: expected[0]["variants"][key] for key in aliases}
    table = pd.read_csv(tmp_path / "daily.csv")
    assert table["load.total.trimp"].sum() == pytest.approx(sum(t["trimp"] for t in expected))
    assert table["n_activities"].tolist() == [2, 0, 1, 0, 1]


def test_state_is_carried_across_rest_days(tmp_path):
    write_daily(ListLibrary(week()), tmp_path, athlete=ATHLETE, settings=FAST)
    written = days(tmp_path)
    rest = written["2024-03-02"]
    assert rest["pmc"]["ctl"] > 0 and rest["pmc"]["atl"] > rest["pmc"]["ctl"]
    assert rest["pmc"]["atl"] < written["2024-03-01"]["pmc"]["atl"]
    # The evening run's IL-6 is still above rest on the next (rest) morning.
    assert rest["estimates"]["il6"]["area"] > 0
    assert rest["estimates"]["glycogen"]["end"] >= written["2024-03-01"]["estimates"][
        "glycogen"]["end"]
    assert (tmp_path / "2024-03-02.png").stat().st_size > 1000


def test_adding_an_activity_mid_range_changes_that_day_and_later_only(tmp_path):
    activities = week()
    write_daily(ListLibrary(activities), tmp_path, athlete=ATHLETE, settings=FAST)
    before = snapshot(tmp_path)
    extra = generated("2024-03-04T12:00Z", -5, seed=5)
    report = write_daily(ListLibrary([*activities, extra]), tmp_path, athlete=ATHLETE,
                         settings=FAST)
    assert [d.isoformat() for d in report.computed] == ["2024-03-04", "2024-03-05"]
    after = snapshot(tmp_path)
    for day in ("01", "02", "03"):
        for ext in ("json", "png"):
            assert after[f"2024-03-{day}.{ext}"] == before[f"2024-03-{day}.{ext}"]
    for day in ("04", "05"):
        assert after[f"2024-03-{day}.json"] != before[f"2024-03-{day}.json"]


def test_damaged_entry_is_reported_and_skipped(tmp_path):
    activities = week()
    report = write_daily(ListLibrary(activities, damaged=("a002",)), tmp_path,
                         athlete=ATHLETE, settings=FAST)
    assert len(report.problems) == 1 and "a002" in report.problems[0]
    assert "\n" not in report.problems[0]
    written = days(tmp_path)
    assert written["2024-03-03"]["activities"] == []
    assert written["2024-03-03"]["skipped"] == report.problems
    assert len(written["2024-03-05"]["activities"]) == 1


def test_two_runs_are_byte_identical(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    write_daily(ListLibrary(week()), first, athlete=ATHLETE, settings=FAST, fmt="parquet")
    write_daily(ListLibrary(week()), second, athlete=ATHLETE, settings=FAST, fmt="parquet")
    assert snapshot(first) == snapshot(second)


def test_an_activity_across_midnight_counts_on_its_day_and_its_curves_on_both(tmp_path):
    # 23:50 local (UTC+1) on Mar 1 for 15 min: load on Mar 1, curves spill into Mar 2.
    late = generated("2024-03-01T22:50Z", 1, seed=6)
    write_daily(ListLibrary([late]), tmp_path, athlete=ATHLETE, settings=FAST,
                last=pd.Timestamp("2024-03-02").date())
    first, second = days(tmp_path).values()
    assert len(first["activities"]) == 1 and second["activities"] == []
    assert second["load"]["total"]["trimp"] == 0
    assert first["window"]["end"] == second["window"]["start"] == "2024-03-01T23:00:00+00:00"
    peak = pd.Timestamp(second["estimates"]["lactate"]["time_of_peak"])
    assert pd.Timestamp("2024-03-01T23:00Z") <= peak <= pd.Timestamp("2024-03-01T23:10Z")
    assert second["estimates"]["lactate"]["peak"] > first["estimates"]["lactate"]["peak"] * 0.5


def test_two_devices_recording_one_workout_do_not_break_the_run(tmp_path):
    watch = generated("2024-03-01T06:00Z", 1, seed=1)
    bike = generated("2024-03-01T06:05Z", 1, seed=2)  # overlaps the watch by 10 min
    report = write_daily(ListLibrary([watch, bike]), tmp_path, athlete=ATHLETE, settings=FAST)
    assert report.problems == []
    (document,) = days(tmp_path).values()
    assert len(document["activities"]) == 2
    assert document["load"]["total"]["trimp"] == pytest.approx(
        totals(watch)["trimp"] + totals(bike)["trimp"], rel=1e-9)
    assert document["estimates"]["lactate"]["peak"] > 1.5


def test_monotony_and_strain_are_fosters_over_the_trailing_week(tmp_path):
    from myokinetics.processing import monotony_strain

    write_daily(ListLibrary(week()), tmp_path, athlete=ATHLETE, settings=FAST,
                last=pd.Timestamp("2024-03-09").date())
    written = days(tmp_path)
    loads = pd.Series([d["load"]["total"]["trimp"] for d in written.values()])
    expected = monotony_strain(loads)
    for (date, document), (_, row) in zip(written.items(), expected.iterrows(), strict=True):
        if row.isna().any():
            assert document["pmc"]["monotony"] is None, date
        else:
            assert document["pmc"]["monotony"] == pytest.approx(row["monotony"], rel=1e-9)
            assert document["pmc"]["strain"] == pytest.approx(row["strain"], rel=1e-9)
    assert written["2024-03-09"]["pmc"]["strain"] > 0
