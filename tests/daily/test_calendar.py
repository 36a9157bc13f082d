"""Local days: placement by each activity's own offset, rest days, contiguous windows."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd

from myokinetics.daily.calendar import build_days, entries_from_catalog, local_date, unplaced


def catalog(rows: list[tuple[str, str, float | None]]) -> pd.DataFrame:
    """A catalog of (id, UTC start, offset in hours or None) rows, 1 h each."""
    return pd.DataFrame({
        "id": [r[0] for r in rows],
        "sha256": [f"sha-{r[0]}" for r in rows],
        "sport": ["running"] * len(rows),
        "start": pd.to_datetime([r[1] for r in rows], utc=True),
        "utc_offset_s": [np.nan if r[2] is None else r[2] * 3600 for r in rows],
        "duration_s": [3600.0] * len(rows),
        "status": ["ok"] * len(rows),
    })


def test_late_evening_activity_lands_on_its_local_day():
    # 23:30 local in UTC-5 is 04:30 UTC on the next day.
    entries = entries_from_catalog(catalog([("a", "2024-03-02T04:30:00Z", -5)]))
    assert entries[0].local_date == dt.date(2024, 3, 1)
    # 00:30 local in UTC+9 is 15:30 UTC on the previous day.
    assert local_date(pd.Timestamp("2024-03-01T15:30:00Z"), 9 * 3600) == dt.date(2024, 3, 2)


def test_rest_days_are_included_and_windows_tile_time():
    entries = entries_from_catalog(catalog([("a", "2024-03-01T08:00:00Z", 1),
                                            ("b", "2024-03-05T08:00:00Z", 1)]))
    days = build_days(entries)
    assert [d.date.day for d in days] == [1, 2, 3, 4, 5]
    assert [len(d.entries) for d in days] == [1, 0, 0, 0, 1]
    assert days[0].start == pd.Timestamp("2024-02-29T23:00:00Z")
    for before, after in itertools.pairwise(days):
        assert before.end == after.start
        assert after.end - after.start == pd.Timedelta(hours=24)


def test_travel_makes_a_day_shorter_and_rest_days_keep_the_offset():
    entries = entries_from_catalog(catalog([("a", "2024-03-01T08:00:00Z", 0),
                                            ("b", "2024-03-02T01:00:00Z", 9)]))
    days = build_days(entries, last=dt.date(2024, 3, 3))
    assert [d.utc_offset_s for d in days] == [0, 9 * 3600, 9 * 3600]
    assert days[1].end - days[1].start == pd.Timedelta(hours=15)
    assert days[2].end - days[2].start == pd.Timedelta(hours=24)


def test_unknown_offset_is_borrowed_from_the_previous_activity():
    entries = entries_from_catalog(catalog([("a", "2024-03-01T08:00:00Z", -5),
                                            ("b", "2024-03-03T03:00:00Z", None)]))
    assert entries[1].utc_offset_s == -5 * 3600 and not entries[1].offset_known
    assert entries[1].local_date == dt.date(2024, 3, 2)


def test_range_outside_the_activities_and_empty_catalog():
    entries = entries_from_catalog(catalog([("a", "2024-03-01T08:00:00Z", 2)]))
    days = build_days(entries, dt.date(2024, 2, 27), dt.date(2024, 2, 28))
    assert [d.date.day for d in days] == [27, 28]
    assert all(not d.entries and d.utc_offset_s == 7200 for d in days)
    assert build_days(entries_from_catalog(catalog([]))) == []
    only = build_days([], dt.date(2024, 1, 1), dt.date(2024, 1, 2))
    assert len(only) == 2 and only[0].start == pd.Timestamp("2024-01-01T00:00:00Z")


def test_activities_without_wall_clock_time_belong_to_no_day():
    rows = catalog([("a", "2024-03-01T08:00:00Z", 1), ("b", "1990-01-01T00:10:00Z", None)])
    rows["time_base"] = ["absolute", "relative"]
    assert [e.id for e in entries_from_catalog(rows)] == ["a"]
    assert unplaced(rows) == ["b"]
