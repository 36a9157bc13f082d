"""Suunto SML: a hand-written move (tests/data/formats/move.sml, written from the layout
GoldenCheetah's SmlParser.cpp reads; not a real export) against a plain xml.etree parse."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from myokinetics import read
from myokinetics.errors import InputError
from myokinetics.ingest.formats import sniff
from myokinetics.ingest.sml import read_sml
from tests.ingest.formats_data import FORMATS_DATA

SML = FORMATS_DATA / "move.sml"
NS = {"s": "http://www.suunto.com/schemas/sml"}


def periodic_values(field: str) -> list[float]:
    root = ET.parse(SML).getroot()
    return [float(s.findtext(f"s:{field}", namespaces=NS) or "nan")
            for s in root.iterfind(".//s:Sample", NS)
            if s.findtext("s:SampleType", namespaces=NS) == "periodic"]


def test_units_times_and_counts() -> None:
    activity = read(SML)
    samples = activity.samples
    assert sniff(SML.read_bytes()).name == "sml" and activity.meta.format == "sml"
    assert len(samples) == len(periodic_values("HR")) + 1  # + the GPS sample at 0.5 s
    hr_hz = [v for v in periodic_values("HR") if v > 0]  # 0 Hz is no reading
    assert samples["heart_rate"].dropna().tolist() == pytest.approx([v * 60 for v in hr_hz])
    assert samples["cadence"].dropna().tolist() == pytest.approx(
        [v * 60 for v in periodic_values("Cadence")])
    assert samples["temperature"].dropna().tolist() == pytest.approx(
        [v - 273.15 for v in periodic_values("Temperature")])
    assert samples["latitude"].dropna().iloc[0] == pytest.approx(math.degrees(0.8377580409572781))
    # header 09:00 local; the first periodic sample's UTC is 07:00Z
    assert samples.index[0] == pd.Timestamp("2024-05-01T07:00:00Z")
    assert activity.meta.utc_offset == pd.Timedelta(hours=2)
    assert activity.meta.sport == "running" and activity.meta.serial == "123456789"


def test_rr_data_back_to_back_from_the_start() -> None:
    root = ET.parse(SML).getroot()
    intervals = [float(v) for v in root.findtext(".//s:R-R/s:Data", namespaces=NS).split()]
    rr = read(SML).rr
    assert rr.tolist() == [v for v in intervals if v >= 240]  # the 100 ms artifact is left out
    assert rr.index[-1] == pd.Timestamp("2024-05-01T07:00:00Z") + pd.Timedelta(
        milliseconds=sum(intervals))


def test_without_device_log_is_one_line() -> None:
    with pytest.raises(InputError, match=r"x\.sml: SML file has no <DeviceLog>"):
        read_sml(b'<?xml version="1.0"?><sml/>', "x.sml")


def test_without_utc_samples_the_local_start_is_read_as_utc() -> None:
    data = re.sub(rb"\s*<UTC>[^<]*</UTC>", b"", SML.read_bytes())
    activity = read_sml(data, "no-utc.sml")
    assert activity.samples.index[0] == pd.Timestamp("2024-05-01T09:00:00Z")
    assert activity.meta.utc_offset is None and any("read as UTC" in w for w in activity.warnings)
