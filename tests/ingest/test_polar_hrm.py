"""Polar HRM: a 1 s session with speed, cadence, altitude and power, and an R-R mode file.

Both files are written by hand under tests/data/formats/ from the Polar HRM format
description (Polar's "HRM file format" document, versions 1.05-1.07); not real exports.
"""

from __future__ import annotations

import pandas as pd
import pytest

from myokinetics import read
from myokinetics.errors import InputError
from myokinetics.ingest.polar_hrm import read_hrm
from tests.ingest.formats_data import FORMATS_DATA


def hrdata(name: str) -> list[list[float]]:
    text = (FORMATS_DATA / name).read_text()
    return [[float(v) for v in line.split()] for line in text.split("[HRData]")[1].splitlines()
            if line.strip()]


def test_session_columns_and_units() -> None:
    rows = hrdata("session.hrm")
    activity = read(FORMATS_DATA / "session.hrm")
    samples = activity.samples
    assert activity.meta.format == "hrm" and len(samples) == len(rows) == 5
    assert samples.index[0] == pd.Timestamp("2024-05-01T07:00:00Z")
    assert samples["speed"].iloc[0] == pytest.approx(25.0 / 3.6)  # 250 = 25.0 km/h
    assert samples["cadence"].tolist() == [r[2] for r in rows]
    assert samples["altitude"].tolist() == [r[3] for r in rows]
    assert samples["power"].tolist() == [r[4] for r in rows]
    assert samples["heart_rate"].isna().sum() == 1  # the 0 of the third row is no reading


def test_rr_mode() -> None:
    rows = hrdata("rr-mode.hrm")
    activity = read(FORMATS_DATA / "rr-mode.hrm")
    assert activity.rr.tolist() == [r[0] for r in rows]
    assert activity.rr.index[0] == pd.Timestamp("2024-05-02T06:30:00.812Z")


def test_missing_hrdata_is_one_line() -> None:
    with pytest.raises(InputError, match=r"x\.hrm: Polar HRM file has no \[HRData\]"):
        read_hrm(b"[Params]\nVersion=106\n", "x.hrm")
