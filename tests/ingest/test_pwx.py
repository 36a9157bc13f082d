"""TrainingPeaks PWX: a hand-written ride (tests/data/formats/ride.pwx, written from the PWX
schema and GoldenCheetah's PwxRideFile.cpp; not a real export) against a plain xml.etree parse."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from myokinetics import read
from myokinetics.errors import InputError
from myokinetics.ingest.formats import sniff
from myokinetics.ingest.pwx import read_pwx
from tests.ingest.formats_data import FORMATS_DATA

PWX = FORMATS_DATA / "ride.pwx"
NS = {"p": "http://www.peaksware.com/PWX/1/0"}


def column(tag: str) -> list[float]:
    root = ET.parse(PWX).getroot()
    return [float(s.findtext(f"p:{tag}", "nan", NS)) for s in root.iterfind(".//p:sample", NS)]


def test_samples_laps_and_start() -> None:
    activity = read(PWX)
    samples = activity.samples
    assert sniff(PWX.read_bytes()).name == "pwx" and activity.meta.format == "pwx"
    assert len(samples) == len(column("timeoffset"))
    assert samples["power"].tolist() == column("pwr")
    assert samples["heart_rate"].dropna().tolist() == [v for v in column("hr") if v == v]
    assert samples["speed"].dropna().tolist() == [v for v in column("spd") if v <= 100]
    assert samples.index[0] == pd.Timestamp("2024-05-02T16:00:00Z")  # 17:00+01:00
    assert activity.meta.utc_offset == pd.Timedelta(hours=1)
    assert activity.meta.sport == "cycling" and activity.meta.product == "Edge 530"
    assert len(activity.laps) == len(ET.parse(PWX).getroot().findall(".//p:segment", NS))
    assert activity.laps["end"].iloc[-1] == samples.index[-1]


def test_workout_without_start_is_one_line() -> None:
    data = b'<pwx><workout><sample><timeoffset>0</timeoffset><hr>100</hr></sample></workout></pwx>'
    with pytest.raises(InputError, match=r"r\.pwx: PWX start time '' is missing"):
        read_pwx(data, "r.pwx")
