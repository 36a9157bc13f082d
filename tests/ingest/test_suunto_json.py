"""Suunto app JSON: both layouts, hand-written under tests/data/formats/ (DeviceLog as
SuuntoAnalyzer reads it; Samples/Attributes as suunto2python and MyTourbook read it; not real
exports), against a plain json parse."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from myokinetics import read
from myokinetics.errors import InputError
from myokinetics.ingest.formats import is_candidate_content, sniff
from myokinetics.ingest.suunto_json import read_suunto_json
from tests.ingest.formats_data import FORMATS_DATA

DEVICE_LOG = FORMATS_DATA / "suunto-devicelog.json"
ATTRIBUTES = FORMATS_DATA / "suunto-samples.json"


def test_device_log_layout() -> None:
    log = json.loads(DEVICE_LOG.read_text())["DeviceLog"]
    with_hr = [s["HR"] for s in log["Samples"] if s.get("HR") is not None]
    activity = read(DEVICE_LOG)
    samples = activity.samples
    assert activity.meta.format == "suunto_json" and activity.meta.sport == "cycling"
    assert len(samples) == sum(1 for s in log["Samples"] if "Events" not in s)
    assert samples["heart_rate"].dropna().tolist() == pytest.approx([v * 60 for v in with_hr])
    assert samples["power"].notna().sum() == 3  # 2e6 W is no plausible power
    assert samples.index[0] == pd.Timestamp("2024-05-03T16:30:00Z")
    assert activity.meta.utc_offset == pd.Timedelta(hours=2)
    assert activity.rr.tolist() == log["R-R"]["Data"]
    assert activity.rr.index[0] == pd.Timestamp("2024-05-03T16:30:00.400Z")


def test_attributes_layout() -> None:
    wrapped = json.loads(ATTRIBUTES.read_text())["Samples"]
    fields = [s["Attributes"]["suunto/sml"]["Sample"] for s in wrapped
              if "Sample" in s["Attributes"]["suunto/sml"]]
    blocks = [next(iter(s["Attributes"]["suunto/sml"]["R-R"].values())) for s in wrapped
              if "R-R" in s["Attributes"]["suunto/sml"]]  # under IBI or Data
    activity = read(ATTRIBUTES)
    assert activity.samples["heart_rate"].tolist() == pytest.approx([f["HR"] * 60 for f in fields])
    assert activity.rr.tolist() == [v for block in blocks for v in block]
    # the first block's stamp (06:00:01) is its last beat
    assert activity.rr.index[len(blocks[0]) - 1] == pd.Timestamp("2024-05-04T06:00:01Z")


def test_sniffed_by_content_and_candidates_in_archives() -> None:
    for path in (DEVICE_LOG, ATTRIBUTES):
        assert sniff(path.read_bytes()).name == "suunto_json"
        assert is_candidate_content("export/workout.json", path.read_bytes())
    assert not is_candidate_content("export/settings.json", b'{"units": "metric"}')


@pytest.mark.parametrize("data", [b"{}", b'{"Samples": 3}', b"[" * 100_000, b'"text"'])
def test_other_json_is_one_line(data: bytes) -> None:
    with pytest.raises(InputError, match=r"^x\.json: ") as error:
        read_suunto_json(data, "x.json")
    assert "\n" not in error.value.one_line()
