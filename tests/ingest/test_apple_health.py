"""Apple Health export: one activity per workout, heart rate and beats inside its span, route
joined, read() pointing to import.

tests/data/formats/apple-health-export.zip is written by hand after the layout of real exports
(export.xml with its internal DTD, Records then Workouts, WorkoutRoute/FileReference to
workout-routes/*.gpx); it is not a real export. Expected counts come from an independent parse
with ElementTree over the whole document.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd
import pytest

from myokinetics import Library, read
from myokinetics.errors import InputError
from myokinetics.ingest.dispatch import read_many_bytes
from tests.ingest.formats_data import FORMATS_DATA

ZIP = FORMATS_DATA / "apple-health-export.zip"


def parse(text: str) -> pd.Timestamp:
    return pd.Timestamp(dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")).tz_convert("UTC")


def independent_counts() -> list[tuple[int, int]]:
    """(heart-rate records, RR intervals) inside each workout, with a whole-tree parse."""
    with zipfile.ZipFile(ZIP) as archive:
        root = ET.fromstring(archive.read("apple_health_export/export.xml"))
    counts = []
    for workout in root.iter("Workout"):
        begin, end = parse(workout.get("startDate")), parse(workout.get("endDate"))
        hr = sum(1 for r in root.iter("Record")
                 if r.get("type") == "HKQuantityTypeIdentifierHeartRate"
                 and begin <= parse(r.get("startDate")) <= end)
        series = [r.findall(".//InstantaneousBeatsPerMinute") for r in root.iter("Record")
                  if begin <= parse(r.get("startDate")) <= end]
        beats = sum(len(s) - 1 for s in series if s)
        counts.append((hr, beats))
    return counts


def test_one_activity_per_workout_with_its_heart_rate_beats_and_route() -> None:
    activities = list(read_many_bytes(ZIP.read_bytes(), str(ZIP)))
    assert [a.meta.sport for a in activities] == ["running", "cycling"]
    assert [(int(a.samples["heart_rate"].notna().sum()), len(a.rr)) for a in activities] == \
        independent_counts() == [(4, 3), (2, 0)]
    run = activities[0]
    assert run.meta.start == pd.Timestamp("2024-05-01T05:10:00Z")
    assert run.meta.utc_offset == dt.timedelta(hours=2)
    assert run.rr.tolist() == [510.0, 510.0, 500.0]  # 7:15:00.10 -> .61 -> 1.12 -> 1.62
    assert run.rr.index[0] == pd.Timestamp("2024-05-01T05:15:00.61Z")
    assert int(run.samples["latitude"].notna().sum()) == 3  # the route's points
    assert run.sessions.loc[0, "distance_m"] == 5200.0
    assert run.sessions.loc[0, "timer_s"] == 1800.0
    assert activities[0].meta.sha256 != activities[1].meta.sha256


def test_read_points_to_import(tmp_path) -> None:
    with pytest.raises(InputError, match=r"several activities — use `myokinetics import`"):
        read(ZIP)
    with zipfile.ZipFile(ZIP) as archive:
        xml = archive.read("apple_health_export/export.xml")
    path = tmp_path / "export.xml"
    path.write_bytes(xml)
    with pytest.raises(InputError, match="several activities"):
        read(path)


def test_import_yields_each_workout_once_and_skips_the_routes(tmp_path) -> None:
    with Library(tmp_path / "lib") as library:
        report = library.import_paths([ZIP], workers=1, progress=False)
        again = library.import_paths([ZIP], workers=1, progress=False)
        assert (report.imported, report.failed, again.present) == (2, 0, 2)
        assert sorted(library.activities()["sport"]) == ["cycling", "running"]


def test_an_export_without_workouts_says_so() -> None:
    xml = b'<?xml version="1.0"?>\n<HealthData locale="en"><ExportDate value="x"/></HealthData>'
    with pytest.raises(InputError, match="holds no workout"):
        list(read_many_bytes(xml, "export.xml"))
