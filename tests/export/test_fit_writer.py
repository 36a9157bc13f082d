"""FIT export: Garmin's reference decoder (garmin-fit-sdk) accepts the file, and read() of it
gives back the samples and RR.

The source activities are the project's sample FIT (written by tools/fitgen via fit-tool) and a
hand-made activity with power, temperature, sub-resolution values and two laps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from myokinetics import Activity, ActivityMeta, read
from myokinetics.export.fit_encode import crc16
from myokinetics.export.fit_writer import fit_bytes
from myokinetics.ingest.dispatch import read_bytes
from tests.conftest import SAMPLE_FIT

# Garmin's reference decoder (the `test` extra); installing it into a shared environment also
# installs its stray top-level `tests` package, so it may be absent there
garmin_fit_sdk = pytest.importorskip("garmin_fit_sdk")
Decoder, Stream = garmin_fit_sdk.Decoder, garmin_fit_sdk.Stream

#: Largest read-back difference per column: the FIT field's resolution (half a step when
#: rounded, a whole one for semicircles which also go through float conversions).
RESOLUTION = {"heart_rate": 0.5, "power": 0.5, "cadence": 0.5 / 128, "speed": 0.0005,
              "distance": 0.005, "altitude": 0.1, "latitude": 180 / 2**31,
              "longitude": 180 / 2**31, "temperature": 0.5}


def garmin_decode(data: bytes) -> tuple[dict[str, list[dict]], list]:
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    return Decoder(Stream.from_byte_array(bytearray(data))).read()


def hand_made() -> Activity:
    """90 s of cycling at 1 Hz with power, temperature, odd decimals, RR and two laps."""
    start = pd.Timestamp("2024-06-01T07:00:00Z")
    index = pd.date_range(start, periods=90, freq="s", name="time")
    rng = np.random.default_rng(1)
    samples = pd.DataFrame({
        "heart_rate": 120 + np.arange(90) % 7,
        "power": np.where(np.arange(90) % 10 == 3, np.nan, 200 + rng.integers(0, 50, 90)),
        "cadence": 88.25 + (np.arange(90) % 4) * 0.125,
        "speed": 8.0 + rng.random(90).round(3),
        "distance": np.cumsum(np.full(90, 8.5)),
        "altitude": 400.2 + np.arange(90) * 0.2,
        "latitude": 47.0 + np.arange(90) * 1e-5,
        "longitude": 8.0 + np.arange(90) * 1e-5,
        "temperature": 21.0,
    }, index=index).astype("float64")
    rr_ms = np.tile([500.0, 510.0, 495.0, 505.0], 44)
    rr = pd.Series(rr_ms, index=start + pd.to_timedelta(np.cumsum(rr_ms), unit="ms"),
                   name="rr").rename_axis("time")
    laps = pd.DataFrame({"start": [start, start + pd.Timedelta(seconds=45)],
                         "end": [start + pd.Timedelta(seconds=45), index[-1]],
                         "sport": "cycling", "timer_s": [45.0, 44.0]})
    return Activity(samples=samples, rr=rr, laps=laps,
                    meta=ActivityMeta(sport="cycling", start=start,
                                      utc_offset=pd.Timedelta(hours=2).to_pytimedelta()))


@pytest.mark.parametrize("make", [lambda: read(SAMPLE_FIT), hand_made], ids=["sample", "hand"])
def test_read_back_gives_the_same_samples_and_rr(make) -> None:
    source = make()
    back = read_bytes(fit_bytes(source), "export.fit")
    assert back.warnings == [] and back.status == "ok"
    assert back.samples.index.equals(source.samples.index)
    assert set(back.samples.columns) == set(source.samples.columns)
    for column in source.samples:
        expected, got = source.samples[column].to_numpy(), back.samples[column].to_numpy()
        assert np.array_equal(np.isnan(expected), np.isnan(got)), column
        assert np.nanmax(np.abs(expected - got)) <= RESOLUTION[column] + 1e-9, column
    assert back.rr.index.equals(source.rr.index)
    assert np.array_equal(back.rr.to_numpy(), source.rr.to_numpy())
    assert back.meta.sport == source.meta.sport
    assert len(back.laps) == max(1, len(source.laps))


def test_garmin_sdk_decodes_every_message_without_error() -> None:
    source = hand_made()
    messages, errors = garmin_decode(fit_bytes(source))
    assert errors == []
    assert len(messages["record_mesgs"]) == len(source.samples)
    beats = [t for m in messages["hrv_mesgs"] for t in m["time"] if t is not None and t < 65]
    assert np.allclose(np.array(beats) * 1000, source.rr.to_numpy())
    assert [(e["event"], e["event_type"]) for e in messages["event_mesgs"]] == [
        ("timer", "start"), ("timer", "stop_all")]
    assert [lap["total_timer_time"] for lap in messages["lap_mesgs"]] == [45.0, 44.0]
    session = messages["session_mesgs"][0]
    assert (session["sport"], session["num_laps"]) == ("cycling", 2)
    assert session["avg_power"] == round(source.samples["power"].mean())
    assert messages["file_id_mesgs"][0]["type"] == "activity"
    assert messages["device_info_mesgs"][0]["device_index"] == "creator"
    activity = messages["activity_mesgs"][0]
    assert activity["num_sessions"] == 1
    assert activity["local_timestamp"] - int(activity["timestamp"].timestamp() - 631065600) == 7200
    record = messages["record_mesgs"][0]
    assert set(record) >= {"heart_rate", "power", "cadence", "enhanced_speed", "distance",
                           "position_lat", "position_long", "enhanced_altitude", "temperature"}


def test_rr_only_activity_and_crc() -> None:
    source = hand_made()
    rr_only = Activity(rr=source.rr, meta=source.meta)
    data = fit_bytes(rr_only)
    messages, errors = garmin_decode(data)
    assert errors == [] and "record_mesgs" not in messages
    assert crc16(data) == 0  # a FIT file's CRC over itself, CRC included, is zero
    assert np.array_equal(read_bytes(data, "rr.fit").rr.to_numpy(), source.rr.to_numpy())
