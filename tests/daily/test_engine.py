"""The day engine with a plain-data day computer: incremental plan, atomic and stable files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from myokinetics.daily.calendar import Day
from myokinetics.daily.engine import DayOutput, Deferred, run_days
from myokinetics.errors import InputError
from tests.daily.test_calendar import catalog


def render_note(date: str, hours: float) -> bytes:
    """A deferred day file (rendered in the engine's worker process)."""
    return f"# {date}\n{hours} h\n".encode()


class CountingDay:
    """Carries the running sum of activity hours; records which days it computed."""

    def __init__(self, version: str = "1", carry: bool = True) -> None:
        self.version = version
        self.carry = carry
        self.computed: list[dt.date] = []

    def fingerprint(self) -> dict[str, Any]:
        return {"version": self.version}

    def initial_state(self) -> Any:
        return {"hours": 0.0}

    def compute(self, day: Day, state: Any) -> DayOutput:
        self.computed.append(day.date)
        hours = sum(e.duration_s for e in day.entries) / 3600
        problems = [f"{e.id}: damaged" for e in day.entries if e.status == "damaged"]
        carried = state["hours"] + hours if self.carry else 0.0
        document = {"date": day.date.isoformat(), "utc_offset_s": day.utc_offset_s,
                    "activities": [{"id": e.id, "sport": e.sport} for e in day.entries],
                    "load": {"hours": hours, "third": hours / 3}, "carried": carried}
        return DayOutput(document=document, state={"hours": carried},
                         files={"txt": f"{day.date}\n".encode(),
                                "md": Deferred(render_note, (day.date.isoformat(), hours))},
                         problems=problems)

    def trend(self, table: pd.DataFrame) -> bytes | None:
        return table.to_csv(index=False).encode()


WEEK = [("a", "2024-03-01T08:00:00Z", 1), ("b", "2024-03-03T08:00:00Z", 1),
        ("c", "2024-03-07T08:00:00Z", 1)]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_first_run_writes_every_day_and_the_table(tmp_path):
    computer = CountingDay()
    report = run_days(catalog(WEEK), computer, tmp_path)
    assert len(computer.computed) == 7 and report.reused == []
    names = {p.name for p in tmp_path.iterdir()}
    assert {f"2024-03-0{d}.json" for d in range(1, 8)} <= names
    assert {"daily.csv", "trend.png", "manifest.json", "2024-03-02.txt"} <= names
    assert (tmp_path / "2024-03-07.md").read_text() == "# 2024-03-07\n1.0 h\n"
    table = pd.read_csv(tmp_path / "daily.csv")
    assert list(table.columns[:4]) == ["date", "utc_offset_s", "n_activities", "sports"]
    assert table["n_activities"].tolist() == [1, 0, 1, 0, 0, 0, 1]
    assert table["load.hours"].sum() == 3
    day = json.loads((tmp_path / "2024-03-07.json").read_text())
    assert day["carried"] == 3.0 and day["load"]["third"] == 0.3333333333


def test_rerun_computes_nothing_and_is_byte_identical(tmp_path):
    run_days(catalog(WEEK), CountingDay(), tmp_path)
    before = snapshot(tmp_path)
    computer = CountingDay()
    report = run_days(catalog(WEEK), computer, tmp_path)
    assert computer.computed == [] and len(report.reused) == 7
    assert snapshot(tmp_path) == before
    fresh = tmp_path / "fresh"
    run_days(catalog(WEEK), CountingDay(), fresh)
    assert snapshot(fresh) == {k: v for k, v in before.items() if not k.startswith("fresh")}


def test_adding_an_activity_recomputes_that_day_and_later_days_only(tmp_path):
    run_days(catalog(WEEK), CountingDay(), tmp_path)
    before = snapshot(tmp_path)
    computer = CountingDay()
    run_days(catalog([*WEEK, ("d", "2024-03-04T18:00:00Z", 1)]), computer, tmp_path)
    assert [d.day for d in computer.computed] == [4, 5, 6, 7]
    after = snapshot(tmp_path)
    for day in (1, 2, 3):
        assert after[f"2024-03-0{day}.json"] == before[f"2024-03-0{day}.json"]
    for day in (4, 5, 6, 7):
        assert after[f"2024-03-0{day}.json"] != before[f"2024-03-0{day}.json"]


def test_unchanged_carried_state_stops_the_recomputation(tmp_path):
    run_days(catalog(WEEK), CountingDay(carry=False), tmp_path)
    computer = CountingDay(carry=False)
    run_days(catalog([*WEEK, ("d", "2024-03-04T18:00:00Z", 1)]), computer, tmp_path)
    assert [d.day for d in computer.computed] == [4]


def test_changed_settings_recompute_everything(tmp_path):
    run_days(catalog(WEEK), CountingDay(), tmp_path)
    computer = CountingDay(version="2")
    run_days(catalog(WEEK), computer, tmp_path)
    assert len(computer.computed) == 7


def test_deleted_outputs_are_rebuilt_from_the_kept_state(tmp_path):
    run_days(catalog(WEEK), CountingDay(), tmp_path)
    (tmp_path / "2024-03-05.txt").unlink()
    computer = CountingDay()
    run_days(catalog(WEEK), computer, tmp_path)
    assert [d.day for d in computer.computed] == [5]
    assert (tmp_path / "2024-03-05.txt").exists()


def test_an_unreadable_day_document_is_recomputed(tmp_path):
    run_days(catalog(WEEK), CountingDay(), tmp_path)
    before = snapshot(tmp_path)
    (tmp_path / "2024-03-06.json").write_bytes(b"")
    computer = CountingDay()
    run_days(catalog(WEEK), computer, tmp_path)
    assert [d.day for d in computer.computed] == [6]
    assert snapshot(tmp_path) == before


def test_damaged_kept_state_or_manifest_cost_a_full_recomputation(tmp_path):
    run_days(catalog(WEEK), CountingDay(), tmp_path)
    before = snapshot(tmp_path)
    (tmp_path / "2024-03-05.txt").unlink()
    (tmp_path / ".state" / "2024-03-04.pkl").write_bytes(b"garbage")
    computer = CountingDay()
    run_days(catalog(WEEK), computer, tmp_path)
    assert len(computer.computed) == 7 and snapshot(tmp_path) == before
    (tmp_path / "manifest.json").write_text("{not json")
    computer = CountingDay()
    run_days(catalog(WEEK), computer, tmp_path)
    assert len(computer.computed) == 7 and snapshot(tmp_path) == before


def test_from_limits_the_files_but_not_the_carried_state(tmp_path):
    computer = CountingDay()
    report = run_days(catalog(WEEK), computer, tmp_path, first=dt.date(2024, 3, 5),
                      last=dt.date(2024, 3, 9))
    assert len(computer.computed) == 9 and [d.day for d in report.days] == [5, 6, 7, 8, 9]
    assert not (tmp_path / "2024-03-04.json").exists()
    assert json.loads((tmp_path / "2024-03-09.json").read_text())["carried"] == 3.0
    computer = CountingDay()
    run_days(catalog(WEEK), computer, tmp_path)  # days 1-4 now wanted: files, not new states
    assert [d.day for d in computer.computed] == [1, 2, 3, 4]


def test_days_with_problems_are_reported_and_retried(tmp_path):
    rows = catalog(WEEK)
    rows.loc[1, "status"] = "damaged"
    report = run_days(rows, CountingDay(), tmp_path)
    assert report.problems == ["b: damaged"]
    computer = CountingDay()
    run_days(rows, computer, tmp_path)
    assert [d.day for d in computer.computed] == [3]


def test_parquet_table_and_bad_format(tmp_path):
    run_days(catalog(WEEK), CountingDay(), tmp_path, fmt="parquet")
    table = pd.read_parquet(tmp_path / "daily.parquet")
    assert len(table) == 7
    with pytest.raises(InputError, match="csv or parquet"):
        run_days(catalog(WEEK), CountingDay(), tmp_path, fmt="xlsx")


@pytest.mark.parametrize("fields", [{"pmc_load": "tss"}, {"ctl_days": 0}, {"atl_days": -7},
                                    {"n_draws": 0}])
def test_bad_settings_are_one_line_errors(fields):
    from myokinetics.daily import DailySettings

    with pytest.raises(InputError, match=next(iter(fields))):
        DailySettings(**fields)


def test_no_temporary_files_are_left(tmp_path):
    run_days(catalog(WEEK), CountingDay(), tmp_path)
    assert not [p for p in tmp_path.rglob("*.tmp")]
