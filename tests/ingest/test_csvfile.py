"""CSV reader: the documented format, the real FatMaxxer RR log, RR -> heart rate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from myokinetics import read
from myokinetics.errors import InputError
from myokinetics.ingest.csvfile import (
    beat_times_from_arrivals,
    heart_rate_from_rr,
    looks_like_activity_csv,
    read_csv,
)
from tests.conftest import require_shared

RR_LOG = "replays/polar-h10-rr-2021-06-06.csv"


def test_documented_format_iso_times() -> None:
    text = ("time,heart_rate,power,speed,notes\n"
            "2024-05-01T06:00:00Z,120,200,3.1,a\n"
            "2024-05-01T06:00:01Z,,210,3.2,b\n"
            "# a comment line\n"
            "2024-05-01T06:00:02Z,122,,3.3,c\n")
    activity = read_csv(text.encode(), "a.csv")
    samples = activity.samples
    assert list(samples.columns) == ["heart_rate", "power", "speed"]
    assert len(samples) == 3 and np.isnan(samples["heart_rate"].iloc[1])
    assert samples.index[0] == pd.Timestamp("2024-05-01T06:00:00Z")
    assert "ignored columns: notes" in activity.warnings
    assert activity.meta.format == "csv" and activity.rr.empty


def test_fit_quality_rules_apply_to_text_formats() -> None:
    # Same rules as FIT files: no-reading markers (0, 255) and impossible values become NaN,
    # rows are sorted, a repeated time keeps the first non-missing value per column.
    text = ("time,heart_rate,power,altitude\n"
            "2024-05-01T06:00:02Z,255,210,-1200\n"
            "2024-05-01T06:00:00Z,0,200,30\n"
            "2024-05-01T06:00:01Z,,205,31\n"
            "2024-05-01T06:00:01Z,121,999,32\n")
    activity = read_csv(text.encode(), "q.csv")
    samples = activity.samples
    assert samples.index.is_monotonic_increasing and samples.index.is_unique
    assert np.isnan(samples["heart_rate"].iloc[[0, 2]]).all()
    assert samples["heart_rate"].iloc[1] == 121 and samples["power"].iloc[1] == 205
    assert np.isnan(samples["altitude"].iloc[2])
    assert any("heart_rate: 2 values outside" in w for w in activity.warnings)
    assert any("1 samples shared a timestamp" in w for w in activity.warnings)


@pytest.mark.parametrize(("stamp", "unit"), [(1714543200, "s"), (1714543200000, "ms")])
def test_epoch_seconds_and_milliseconds(stamp: int, unit: str) -> None:
    step = 1 if unit == "s" else 1000
    text = f"timestamp,heart_rate\n{stamp},100\n{stamp + step},101\n"
    samples = read_csv(text.encode(), "e.csv").samples
    assert samples.index[0] == pd.Timestamp("2024-05-01T06:00:00Z")
    assert (samples.index[1] - samples.index[0]).total_seconds() == 1


def test_rr_column_and_derived_heart_rate() -> None:
    rows = ["time,rr"] + [f"2024-05-01T06:00:{s:02d}Z,1000" for s in range(1, 11)]
    activity = read_csv("\n".join(rows).encode(), "rr.csv")
    assert len(activity.rr) == 10 and (activity.rr == 1000).all()
    hr = activity.samples["heart_rate"]
    assert (hr == 60).all() and hr.index[0] == pd.Timestamp("2024-05-01T06:00:00Z")


def test_relative_times_are_refused() -> None:
    with pytest.raises(InputError, match="relative"):
        read_csv(b"time,heart_rate\n0,100\n1,101\n", "rel.csv")


def test_first_column_must_be_time() -> None:
    with pytest.raises(InputError, match="first column"):
        read_csv(b"heart_rate,time\n100,2024-05-01T06:00:00Z\n", "x.csv")


def test_strava_activities_csv_is_not_an_activity() -> None:
    header = b"Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Filename\n"
    assert not looks_like_activity_csv(header)
    assert looks_like_activity_csv(b"\xef\xbb\xbftime,heart_rate\n")
    assert looks_like_activity_csv(b"timestamp,rr,since_start\n")


def test_heart_rate_from_rr_leaves_lost_beats_missing() -> None:
    beats = pd.to_datetime([1.0, 2.0, 3.0, 6.0, 7.0], unit="s", utc=True)
    hr = heart_rate_from_rr(pd.Series([1000.0] * 5, index=beats))
    assert hr.index[0] == pd.Timestamp(0, unit="s", tz="UTC")  # the first interval's start
    # the interval ending at 6 s began at 5 s: second 4 lies in no interval (lost beats)
    assert list(hr.index[hr.isna()]) == [pd.Timestamp(4, unit="s", tz="UTC")]
    assert hr.dropna().eq(60).all()


def test_beat_times_never_follow_arrival_and_jump_only_at_gaps() -> None:
    true_ms = np.array([k * 1000 for k in range(1, 21) if not 8 <= k <= 11])  # 4 beats lost
    latency_ms = np.resize([100, 600, 300, 900, 1450, 250], len(true_ms))
    arrivals = pd.DatetimeIndex(pd.to_datetime((true_ms + latency_ms) * 10**6, utc=True))
    beats = beat_times_from_arrivals(arrivals, np.full(len(true_ms), 1000.0))
    assert (beats <= arrivals).all()
    error_ms = beats.asi8 // 10**6 - true_ms
    # exact up to the smallest latency (unknowable), on both sides of the gap ...
    np.testing.assert_array_equal(error_ms[:-3], 100)
    # ... except the last beats, whose later arrivals no longer pin the clock down
    assert (error_ms[-3:] >= 100).all() and (error_ms[-3:] <= latency_ms.max()).all()


def test_real_fatmaxxer_rr_log() -> None:
    path = require_shared(RR_LOG)
    activity = read(path)
    raw = pd.read_csv(path)
    assert len(activity.rr) == len(raw) == 11463
    np.testing.assert_array_equal(activity.rr.to_numpy(), raw["rr"].to_numpy())
    arrivals = pd.to_datetime(raw["timestamp"], unit="ms", utc=True).to_numpy()
    lag = (arrivals - activity.rr.index.to_numpy()) / np.timedelta64(1, "ms")
    assert lag.min() >= 0 and np.median(lag) < 2000  # beats precede their notification
    assert activity.rr.index.is_monotonic_increasing
    hr = activity.samples["heart_rate"]
    assert (hr.index[1:] - hr.index[:-1] == pd.Timedelta("1s")).all()
    reference = pd.read_csv(require_shared(
        "replays/polar-h10-rr-2021-06-06.features-reference.csv"))
    # the whole-session mean agrees with the reference implementation's HR to 1.5 bpm
    assert abs(hr.mean() - reference["heartrate"].mean()) < 1.5
    assert str(activity.meta.start.date()) == "2021-06-06"
    # The log ends on an implausible 4189 ms interval: kept in rr, no heart rate from it.
    assert activity.rr.iloc[-1] == 4189
    last_beat = activity.rr.index[-1]
    covered = hr[(hr.index > last_beat - pd.Timedelta(milliseconds=4189))
                 & (hr.index <= last_beat)]
    assert len(covered) == 4 and covered.isna().all()
    assert hr.dropna().between(60000 / 3000, 60000 / 240).all()


def test_epoch_time_out_of_range_is_dropped_with_a_warning() -> None:
    # A damaged cell of 30 digits used to raise pandas' OutOfBoundsDatetime.
    text = "time,heart_rate\n1714543200,100\n1714543201,101\n" + "9" * 30 + ",102\n"
    activity = read_csv(text.encode(), "damaged.csv")
    assert list(activity.samples["heart_rate"]) == [100.0, 101.0]
    assert "1 points without a time were dropped" in activity.warnings


def test_values_that_are_not_numbers_are_reported(tmp_path):
    path = tmp_path / "garbled.csv"
    path.write_text("time,heart_rate,power\n"
                    "2024-05-12T05:30:00Z,120,200\n"
                    "2024-05-12T05:30:01Z,12x,210\n"
                    "2024-05-12T05:30:02Z,122,\n")
    activity = read(path)
    assert np.isnan(activity.samples["heart_rate"].iloc[1])
    assert any("heart_rate: 1 values are not numbers" in w and "'12x'" in w
               for w in activity.warnings)
    assert not any(w.startswith("power:") for w in activity.warnings)  # empty is just missing
