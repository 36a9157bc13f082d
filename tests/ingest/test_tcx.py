"""TCX reader: the corpus files against MANIFEST.tsv, plus the lenient and safe parsing paths."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest

from myokinetics import read
from myokinetics.errors import InputError
from myokinetics.ingest.tcx import read_tcx
from tests.conftest import corpus_manifest, require_shared

TCX_ROWS = [row for row in corpus_manifest() if row["format"] == "TCX"]


def merged_points(warnings: list[str]) -> int:
    """Points the reader merged because they repeated a time stamp (from its warning)."""
    for line in warnings:
        match = re.match(r"(\d+) samples shared a timestamp", line)
        if match:
            return int(match.group(1))
    return 0


@pytest.mark.parametrize("row", [r for r in TCX_ROWS if r["broken"] != "corrupt"],
                         ids=lambda r: r["name"])
def test_corpus_counts_match_manifest(row: dict[str, str]) -> None:
    activity = read(require_shared(f"fit-corpus/{row['name']}"))
    samples = activity.samples
    merged = merged_points(activity.warnings)
    assert len(samples) + merged == int(row["records"])
    assert activity.meta.format == "tcx"
    hr = int(samples["heart_rate"].notna().sum()) if "heart_rate" in samples else 0
    power = int(samples["power"].notna().sum()) if "power" in samples else 0
    gps = int(samples["latitude"].notna().sum()) if "latitude" in samples else 0
    if merged == 0:
        assert (hr, power, gps) == (int(row["rec_hr"]), int(row["rec_power"]),
                                    int(row["rec_gps"]))
    else:  # merged points carried the same readings twice
        assert hr <= int(row["rec_hr"]) and gps <= int(row["rec_gps"])
    assert samples.index.is_monotonic_increasing and samples.index.is_unique
    assert str(samples.index.tz) == "UTC"
    assert (samples.dtypes == "float64").all()
    assert activity.meta.start <= samples.index[0]


def test_broken_leading_whitespace_is_repaired() -> None:
    activity = read(require_shared("fit-corpus/sportslib__6281425038.tcx"))
    assert "whitespace before the XML declaration was removed" in activity.warnings
    assert len(activity.samples) > 1000
    assert activity.samples["heart_rate"].between(40, 220).all()


def test_multisport_gives_one_session_per_sport_leg() -> None:
    activity = read(require_shared("fit-corpus/runalyze__Multisport.tcx"))
    assert list(activity.sessions["sport"]) == ["cycling", "running", "cycling"]
    assert activity.meta.sport == "multisport"
    assert (activity.sessions["start"].diff().dropna() > dt.timedelta(0)).all()
    assert len(activity.laps) == 14
    assert set(activity.laps["sport"]) == {"cycling", "running"}
    assert activity.samples["session"].value_counts().sort_index().index.tolist() == [0, 1, 2]


def test_stated_utc_offset_is_kept() -> None:
    activity = read(require_shared("fit-corpus/runalyze__Wrong-time-zone-by-polar.tcx"))
    assert activity.meta.utc_offset == dt.timedelta(hours=1)
    assert str(activity.meta.start) == "2016-04-10 17:40:58+00:00"  # 18:40:58+01:00


def test_power_in_ns2_extension_and_lap_fields() -> None:
    activity = read(require_shared("fit-corpus/runalyze__Power-ns2-extension.tcx"))
    assert activity.has_power
    assert activity.samples["speed"].max() < 30  # m/s, not km/h
    lap = activity.laps.iloc[0]
    assert lap["end"] > lap["start"] and lap["timer_s"] > 0 and lap["elapsed_s"] > 0


TEMPLATE = """<?xml version="1.0"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Activities><Activity Sport="Running"><Id>2024-05-01T06:00:00Z</Id>
<Lap StartTime="2024-05-01T06:00:00Z"><TotalTimeSeconds>2</TotalTimeSeconds><Track>
<Trackpoint><Time>2024-05-01T06:00:00Z</Time><HeartRateBpm><Value>0</Value></HeartRateBpm>
 <Extensions><TPX><Watts>250</Watts><RunCadence>88</RunCadence></TPX></Extensions></Trackpoint>
<Trackpoint><Time>2024-05-01T06:00:01Z</Time><HeartRateBpm><Value>121</Value></HeartRateBpm>
 <Extensions><x:TPX><x:Speed>3.5</x:Speed></x:TPX></Extensions></Trackpoint>
</Track></Lap></Activity></Activities></TrainingCenterDatabase>"""


def test_unbound_prefix_unnamespaced_watts_and_zero_hr() -> None:
    activity = read_tcx(TEMPLATE.encode(), "synthetic.tcx")
    samples = activity.samples
    assert np.isnan(samples["heart_rate"].iloc[0]) and samples["heart_rate"].iloc[1] == 121
    assert samples["power"].iloc[0] == 250 and samples["cadence"].iloc[0] == 88
    assert samples["speed"].iloc[1] == 3.5
    assert any("undeclared namespace prefixes x" in w for w in activity.warnings)
    assert activity.meta.utc_offset is None and activity.meta.sport == "running"


def test_entity_expansion_is_refused() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<TrainingCenterDatabase>&b;</TrainingCenterDatabase>')
    with pytest.raises(InputError, match="forbidden XML"):
        read_tcx(bomb.encode(), "bomb.tcx")


def test_course_without_activity_is_an_input_error() -> None:
    course = b"<TrainingCenterDatabase><Courses/></TrainingCenterDatabase>"
    with pytest.raises(InputError, match="no <Activity>"):
        read_tcx(course, "course.tcx")


def test_damaged_xml_names_the_file() -> None:
    with pytest.raises(InputError, match=r"^cut\.tcx: TCX file is not well-formed"):
        read_tcx(TEMPLATE.encode()[:300], "cut.tcx")

