"""Polar Flow JSON: a hand-written training session (tests/data/formats/, written from the
layout slither's polar_json_loader.py reads; not a real export) against a plain json parse."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from myokinetics import read
from myokinetics.errors import InputError
from myokinetics.ingest.formats import sniff
from myokinetics.ingest.polar_flow import read_polar_flow
from tests.ingest.formats_data import FORMATS_DATA

SESSION = FORMATS_DATA / "training-session-2024-05-05-1234567-abcd.json"


def test_series_merged_by_time_in_canonical_units() -> None:
    series = json.loads(SESSION.read_text())["exercises"][0]["samples"]
    activity = read(SESSION)
    samples = activity.samples
    assert sniff(SESSION.read_bytes()).name == "polar_flow"
    assert activity.meta.format == "polar_flow" and activity.meta.sport == "running"
    stamps = {p["dateTime"] for name in ("heartRate", "speed", "cadence", "distance",
                                         "recordedRoute") for p in series[name]}
    assert len(samples) == len(stamps)
    assert samples["heart_rate"].dropna().tolist() == [p["value"] for p in series["heartRate"]
                                                       if "value" in p]
    assert samples["speed"].tolist() == pytest.approx([p["value"] / 3.6 for p in series["speed"]])
    assert samples["latitude"].notna().sum() == len(series["recordedRoute"])
    # local 09:00 at timezoneOffset +120 min
    assert samples.index[0] == pd.Timestamp("2024-05-05T07:00:00Z")
    assert activity.meta.utc_offset == pd.Timedelta(hours=2)
    assert activity.sessions["sport"].tolist() == ["running"]


def test_without_offset_times_are_read_as_utc() -> None:
    document = json.loads(SESSION.read_text())
    del document["timezoneOffset"], document["exercises"][0]["timezoneOffset"]
    activity = read_polar_flow(json.dumps(document).encode(), "s.json")
    assert activity.samples.index[0] == pd.Timestamp("2024-05-05T09:00:00Z")
    assert any("read as UTC" in w for w in activity.warnings)


def test_session_without_exercise_is_one_line() -> None:
    with pytest.raises(InputError, match=r"s\.json: Polar Flow session holds no exercise"):
        read_polar_flow(b'{"exportVersion": "1.6", "exercises": []}', "s.json")
