"""Third-party CSV layouts: Wahoo Fitness and Polar Sensor Logger.

Samples written by hand under tests/data/formats/ from the column names these apps write, as
the maintainers know them (no real export was available): they test the mapping, not the
apps.
"""

from __future__ import annotations

import csv

import pandas as pd

from myokinetics import read
from tests.ingest.formats_data import FORMATS_DATA


def test_wahoo_rows_and_units() -> None:
    path = FORMATS_DATA / "wahoo.csv"
    rows = list(csv.DictReader(path.read_text().splitlines()[3:]))
    activity = read(path)
    assert activity.meta.format == "csv_layout" and activity.meta.product == "wahoo"
    samples = activity.samples
    assert len(samples) == len(rows) == 6
    assert samples["power"].tolist() == [float(r["pwr_instpwr"]) for r in rows]
    # the last row's heart rate of 0 is "no reading": the quality stage made it missing
    assert samples["heart_rate"].isna().tolist() == [False] * 5 + [True]
    assert samples.index[0] == pd.Timestamp(int(rows[0]["hr_timestamp"]), unit="s", tz="UTC")
    assert any("heart_rate: 1 values outside" in w for w in activity.warnings)


def test_polar_sensor_logger_rr_beats_rebuilt_from_arrivals() -> None:
    path = FORMATS_DATA / "polar-sensor-logger-rr.txt"
    rows = [line.split(";") for line in path.read_text().splitlines()[1:]]
    activity = read(path)
    assert activity.rr.tolist() == [float(rr) for _, rr in rows]
    # every value arrived 150 ms after its beat; beats keep the RR spacing exactly
    gaps = activity.rr.index.to_series().diff().dt.total_seconds().dropna() * 1000
    assert gaps.round(3).tolist() == [float(rr) for _, rr in rows[1:]]
    assert activity.rr.index[-1] <= pd.Timestamp(rows[-1][0], tz="UTC")
    assert "heart_rate" in activity.samples
