"""Hostile and absurd input to every text reader: seeded mutations (tools/mutate.py; a longer
campaign is ``python -m bench fuzz``) and value-level edge cases.

Every input ends as an Activity or a one-line MyokineticsError, within seconds; an accepted
activity keeps no value outside the plausible ranges and spans no implausible length. FIT has
its own fuzz tests (test_fit_fuzz.py). A failing case found here stays as a named case below.
"""

from __future__ import annotations

import random
import re
import time
import warnings

import numpy as np
import pytest

from myokinetics.activity import Activity
from myokinetics.errors import MyokineticsError
from myokinetics.ingest.dispatch import read_bytes
from myokinetics.ingest.quality import VALID_RANGES
from myokinetics.limits import limit
from tests.ingest.formats_data import FORMATS_DATA
from tools.mutate import mutate, seed_files

CASES_PER_SEED = 25
SECONDS_PER_FILE = 10.0
SEEDS = seed_files(FORMATS_DATA)


def assert_bounded(data: bytes, name: str) -> None:
    """Activity or MyokineticsError, in time; an activity's values and span plausible."""
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            activity = read_bytes(data, name)
    except MyokineticsError as error:
        assert "\n" not in error.one_line() and name in error.one_line()
        activity = None
    assert time.perf_counter() - start < SECONDS_PER_FILE, name
    if isinstance(activity, Activity):
        assert_plausible(activity)


def assert_plausible(activity: Activity) -> None:
    for column, (low, high) in VALID_RANGES.items():
        if column in activity.samples:
            values = activity.samples[column].dropna().to_numpy()
            assert ((values >= low) & (values <= high)).all(), column
    low, high = limit("reader", "rr_ms")
    rr = activity.rr.to_numpy()
    assert ((rr >= low) & (rr <= high)).all()
    if len(activity.samples) > 1:
        span = (activity.samples.index[-1] - activity.samples.index[0]).total_seconds()
        assert span <= limit("reader", "duration_s")[1]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", sorted(SEEDS))
def test_mutated_files_end_as_activity_or_one_line_error(name: str, seed: int) -> None:
    rng = random.Random(f"{name}/{seed}")
    for _ in range(CASES_PER_SEED):
        assert_bounded(mutate(SEEDS[name], rng), name)


@pytest.mark.parametrize(("name", "old", "new"), [
    ("three-runs.tcx", rb"\d{4}-\d\d-\d\dT[\d:]+Z", b"9999-12-31T23:59:59Z"),
    ("three-runs.tcx", rb"\d{4}-\d\d-\d\dT[\d:]+Z", b"0001-01-01T00:00:00Z"),
    ("three-runs.tcx", rb"<TotalTimeSeconds>[^<]*<", b"<TotalTimeSeconds>1e308<"),
    ("three-runs.tcx", rb'encoding="[^"]*"', b'encoding="big5"'),
    ("gpx-with-tcx-namespace.gpx", rb"\d{4}-\d\d-\d\dT[\d:]+Z", b"1677-09-21T00:00:00Z"),
    ("seed.csv", rb"2024-05-01T08:00:1\dZ", b"2262-04-12T00:00:00Z"),
    ("seed.mkrec.jsonl", rb'\n\{"t"[^\n]*', b"\n" + b"[" * 100_000 + b"]" * 100_000),
    ("2024-05-01 07-30-12.txt", rb"\d{3,4}", b"1e12"),
    ("session.hrm", rb"Interval=\d+", b"Interval=1e308"),
    ("seed.mkrec.jsonl", rb'"utc_offset_s": [^,]*', b'"utc_offset_s": Infinity'),
    ("seed.mkrec.jsonl", rb'"utc_offset_s": [^,]*', b'"utc_offset_s": "x"'),
    ("seed.mkrec.jsonl", rb'"created": "[^"]*"', b'"created": "0001-01-01T00:00:00Z"'),
    ("seed.mkrec.jsonl", rb'"t": 17900001', b'"t": 37900001'),
    ("move.sml", rb"<Time>1</Time>", b"<Time>1e308</Time>"),
    ("move.sml", rb"<Data>[^<]*</Data>", b"<Data>" + b"2999 " * 1_000_000 + b"</Data>"),
    ("ride.pwx", rb"<timeoffset>3</timeoffset>", b"<timeoffset>-1e308</timeoffset>"),
    ("ride.pwx", rb"<duration>2</duration>", b"<duration>1e308</duration>"),
    ("suunto-devicelog.json", rb'"Power": 180', b'"Power": ' + b"9" * 500),
    ("suunto-samples.json", rb'"Data": \[700', b'"Data": [1e308'),
    ("training-session-2024-05-05-1234567-abcd.json", rb'"value": 101', b'"value": ' + b"9" * 400),
])
def test_known_hostile_values(name: str, old: bytes, new: bytes) -> None:
    assert_bounded(re.sub(old, new.replace(b"\\", b"\\\\"), SEEDS[name]), name)


def test_half_the_points_moved_decades_away_are_dropped() -> None:
    data = SEEDS["seed.csv"].replace(b"2024-05-01T08:00:3", b"2050-05-01T08:00:3")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        activity = read_bytes(data, "moved.csv")
    assert activity.samples.index.year.max() == 2024
    assert any("outside 1985..now" in w for w in activity.warnings)
    assert len(activity.samples) == 50 and np.isfinite(activity.samples["heart_rate"]).all()
