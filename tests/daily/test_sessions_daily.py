"""Daily summaries over a mixed library: a session counted once, suspect dates left out, and
a short range of a long history computed from its warm-up only, inside ``--out``."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import pytest

from myokinetics.daily import DailySettings, write_daily
from myokinetics.daily.engine import WARMUP_GRID_DAYS, run_days, warmup_start
from myokinetics.library import Library
from tests.daily.helpers import generated
from tests.daily.test_calendar import catalog
from tests.daily.test_engine import CountingDay, snapshot
from tests.library.test_sessions import devices  # noqa: F401 (the fixture)

#: Quick settings: a 1-day CTL time constant makes a 5-day warm-up.
QUICK = DailySettings(ctl_days=1.0, n_draws=20, plots=False)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def test_a_run_recorded_by_four_devices_is_counted_once(devices, tmp_path):  # noqa: F811
    library = Library(tmp_path / "library")
    library.import_paths(list(devices.values()), workers=1, progress=False)
    day = dt.date(2024, 5, 12)
    report = write_daily(library, tmp_path / "out", day, day, settings=QUICK)
    assert report.merged == 1 and report.days == [day]
    document = json.loads((tmp_path / "out" / "2024-05-12.json").read_text())
    counted, = document["activities"]
    assert len(counted["also_recorded_by"]) == 3
    frame = library.activities().set_index("id")
    assert frame.loc[int(counted["id"]), "primary"]
    assert {int(i) for i in counted["also_recorded_by"]} == \
        set(frame.index[frame["session"] == frame.loc[int(counted["id"]), "session"]]) \
        - {int(counted["id"])}
    assert document["load"]["total"]["trimp"] == pytest.approx(counted["totals"]["trimp"])
    assert document["load"]["total"]["duration_s"] == pytest.approx(counted["totals"]["duration_s"])


def test_a_week_of_a_history_from_1901_computes_the_warm_up_and_the_week_only(tmp_path):
    rows = [("bad-clock", "1901-06-01T08:00:00Z", 0), ("old", "2019-01-01T08:00:00Z", 0),
            ("before", "2021-01-20T08:00:00Z", 0), ("in", "2021-03-03T08:00:00Z", 0),
            ("last", "2024-06-01T08:00:00Z", 0)]
    computer = CountingDay()
    warmup = DailySettings().warmup
    first, last = dt.date(2021, 3, 1), dt.date(2021, 3, 7)
    report = run_days(catalog(rows), computer, tmp_path / "out", first, last, warmup=warmup)
    assert warmup == dt.timedelta(days=210)
    start = computer.computed[0]
    assert start == warmup_start(first, warmup) and computer.computed[-1] == last
    assert first - warmup - dt.timedelta(days=WARMUP_GRID_DAYS) < start <= first - warmup
    assert len(computer.computed) == (last - start).days + 1 < warmup.days + 28 + 7
    assert report.days == [first + dt.timedelta(days=i) for i in range(7)]
    # The warm-up state includes the activity of 2021-01-20: 1 h carried into March.
    march = json.loads((tmp_path / "out" / "2021-03-07.json").read_text())
    assert march["carried"] == pytest.approx(2.0)
    assert {p.name for p in (tmp_path / "out").iterdir()} <= {
        *(f"{first + dt.timedelta(days=i)}.{ext}" for i in range(7) for ext in ("json", "txt",
                                                                                 "md")),
        "daily.csv", "trend.png", "manifest.json", ".state"}


def test_a_range_moved_by_a_day_keeps_its_warm_up_and_computes_the_new_day_only(tmp_path):
    rows = [("a", "2021-01-20T08:00:00Z", 0), ("b", "2021-03-03T08:00:00Z", 0)]
    warmup = DailySettings().warmup
    first = next(dt.date(2021, 3, 1) + dt.timedelta(days=i) for i in range(28)
                 if warmup_start(dt.date(2021, 3, 1) + dt.timedelta(days=i), warmup)
                 == warmup_start(dt.date(2021, 3, 2) + dt.timedelta(days=i), warmup))
    run_days(catalog(rows), CountingDay(), tmp_path, first, first + dt.timedelta(days=6),
             warmup=warmup)
    computer = CountingDay()  # the next morning: --last-days 7 moved by one day
    run_days(catalog(rows), computer, tmp_path, first + dt.timedelta(days=1),
             first + dt.timedelta(days=7), warmup=warmup)
    assert computer.computed == [first + dt.timedelta(days=7)]


def test_suspect_dates_are_kept_marked_and_left_out_and_nothing_is_written_elsewhere(tmp_path):
    library = Library(tmp_path / "library")
    bad, _ = library.add(generated("1901-06-01T08:00Z", 0, seed=3, seconds=600))
    good, _ = library.add(generated("2021-03-03T08:00Z", 1, seed=4, seconds=600))
    frame = library.activities().set_index("id")
    assert frame.loc[bad, "status"] == "suspect" and frame.loc[good, "status"] == "ok"
    assert "before 1985" in frame.loc[bad, "warnings"][-1]
    before = snapshot(tmp_path)
    first, last = dt.date(2021, 3, 1), dt.date(2021, 3, 7)
    report = write_daily(library, tmp_path / "out", first, last, settings=QUICK)
    assert report.suspect == [str(bad)]
    assert report.days[0] == first and report.days[-1] == last
    assert len(report.computed) < QUICK.warmup.days + WARMUP_GRID_DAYS + 7
    report = write_daily(library, tmp_path / "out2", first, last, settings=QUICK,
                         include_suspect=True)
    assert report.suspect == [] and len(report.computed) < QUICK.warmup.days + WARMUP_GRID_DAYS + 7
    after = snapshot(tmp_path)
    changed = {name for name in after if before.get(name) != after[name]}
    outside = {name for name in changed if not name.startswith(("out/", "out2/"))}
    assert all(name.startswith("library/catalog.sqlite") for name in outside), outside
    assert all(path.is_relative_to(tmp_path / "out") or path.is_relative_to(tmp_path / "out2")
               for path in report.files)
