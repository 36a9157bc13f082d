"""tools.fitgen writes real FIT: decode its output with fitdecode and compare with the specs."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import fitdecode
import numpy as np
import pandas as pd
import pytest

from tests.conftest import SAMPLE_FIT
from tools import fitgen

_FIT_EPOCH = pd.Timestamp("1989-12-31", tz="UTC")


@dataclass
class Decoded:
    """What fitdecode sees in a FIT byte string."""

    headers: int = 0
    order: list[str] = field(default_factory=list)
    messages: dict[str, list[fitdecode.FitDataMessage]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> list[fitdecode.FitDataMessage]:
        return self.messages.get(name, [])


def decode(data: bytes) -> Decoded:
    out = Decoded()
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitHeader):
                out.headers += 1
            elif isinstance(frame, fitdecode.FitDataMessage):
                out.order.append(frame.name)
                out.messages.setdefault(frame.name, []).append(frame)
    return out


def native(message: fitdecode.FitDataMessage, name: str):
    """Value of the native (non-developer) field ``name``, or None when absent."""
    for item in message.fields:
        if item.name == name and item.field_def is not None and not item.field_def.is_dev:
            return item.value
    return None


def rr_values(decoded: Decoded) -> np.ndarray:
    values = [v for m in decoded["hrv"] for v in m.get_value("time") if v is not None]
    return np.array(values)


@pytest.fixture(scope="module")
def sample() -> fitgen.WorkoutSpec:
    return fitgen.sample_run(7)


@pytest.fixture(scope="module")
def sample_bytes(sample: fitgen.WorkoutSpec) -> bytes:
    return fitgen.fit_bytes(sample)


@pytest.fixture(scope="module")
def sample_decoded(sample_bytes: bytes) -> Decoded:
    return decode(sample_bytes)


# === The bundled sample ===


def test_committed_sample_is_what_the_generator_writes(sample_bytes: bytes) -> None:
    assert SAMPLE_FIT.read_bytes() == sample_bytes
    assert len(sample_bytes) < 400_000


def test_same_seed_same_bytes_other_seed_other_bytes(sample_bytes: bytes) -> None:
    assert fitgen.fit_bytes(fitgen.sample_run(7)) == sample_bytes
    other = fitgen.sample_run(8)
    assert not np.array_equal(
        other.records["heart_rate"], fitgen.sample_run(7).records["heart_rate"]
    )


def test_cli_writes_the_sample(tmp_path, sample_bytes: bytes, capsys) -> None:
    out = tmp_path / "sample.fit"
    assert fitgen.main([str(out)]) == 0
    assert out.read_bytes() == sample_bytes
    assert fitgen.main([]) == 2
    assert "usage" in capsys.readouterr().err


def test_sample_records_round_trip(sample: fitgen.WorkoutSpec, sample_decoded: Decoded) -> None:
    records = sample_decoded["record"]
    spec = sample.records
    assert len(records) == len(spec) == 2700
    times = pd.DatetimeIndex([m.get_value("timestamp") for m in records])
    assert (times == sample.times()).all()
    assert times[0] == pd.Timestamp("2024-05-12T05:30:00Z")
    hr = np.array([native(m, "heart_rate") for m in records], dtype=float)
    np.testing.assert_array_equal(hr, spec["heart_rate"])
    speed = np.array([native(m, "enhanced_speed") for m in records], dtype=float)
    np.testing.assert_allclose(speed, spec["speed"], atol=5e-4)
    distance = np.array([native(m, "distance") for m in records], dtype=float)
    np.testing.assert_allclose(distance, spec["distance"], atol=5e-3)
    altitude = np.array([native(m, "enhanced_altitude") for m in records], dtype=float)
    np.testing.assert_allclose(altitude, spec["altitude"], atol=0.1)
    cadence = np.array([native(m, "cadence") for m in records], dtype=float)
    np.testing.assert_array_equal(cadence, spec["cadence"])
    semicircle = 180.0 / 2**31
    lat = np.array([native(m, "position_lat") for m in records]) * semicircle
    np.testing.assert_allclose(lat, spec["latitude"], atol=1e-6)


def test_sample_rr_round_trip_in_hrv_messages(
    sample: fitgen.WorkoutSpec, sample_decoded: Decoded
) -> None:
    rr = rr_values(sample_decoded)
    assert len(rr) == len(sample.rr_ms) > 5000
    np.testing.assert_allclose(rr, sample.rr_ms / 1000.0, atol=5e-4)
    for message in sample_decoded["hrv"]:
        slots = message.get_value("time")
        assert len(slots) == 5
        filled = [v is not None for v in slots]
        assert filled == sorted(filled, reverse=True)  # values first, then invalid padding
    # interleaved as a watch writes them: each hrv follows a record or another hrv
    order = sample_decoded.order
    for i, name in enumerate(order):
        if name == "hrv":
            assert order[i - 1] in ("record", "hrv")
    # beats end before the last record's second
    assert sample.rr_ms.sum() / 1000.0 <= sample.records["elapsed_s"].iloc[-1]


def test_sample_laps_session_activity(sample: fitgen.WorkoutSpec, sample_decoded: Decoded) -> None:
    laps = sample_decoded["lap"]
    intensities = [m.get_value("intensity") for m in laps]
    assert intensities == ["warmup"] + ["active", "recovery"] * 6 + ["cooldown"]
    assert [m.get_value("total_elapsed_time") for m in laps] == [600] + [180, 120] * 6 + [300]
    starts = [pd.Timestamp(m.get_value("start_time")) for m in laps]
    assert starts == [sample.start + pd.Timedelta(seconds=lap.start) for lap in sample.laps]
    (session,) = sample_decoded["session"]
    assert session.get_value("sport") == "running"
    assert session.get_value("num_laps") == 14
    assert session.get_value("total_elapsed_time") == 2700
    lap_distance = sum(m.get_value("total_distance") for m in laps)
    assert lap_distance == pytest.approx(session.get_value("total_distance"), abs=0.05)
    assert session.get_value("total_distance") == pytest.approx(sample.records["distance"].iloc[-1])
    (activity,) = sample_decoded["activity"]
    assert activity.get_value("num_sessions") == 1
    local = activity.get_raw_value("local_timestamp")
    utc = activity.get_raw_value("timestamp")
    assert local - utc == 2 * 3600  # CEST
    assert sample_decoded.order[-1] == "activity"


def test_sample_devices(sample_decoded: Decoded) -> None:
    (file_id,) = sample_decoded["file_id"]
    assert file_id.get_value("type") == "activity"
    assert file_id.get_value("manufacturer") == "garmin"
    assert file_id.get_value("garmin_product") == "fr945"
    products = {m.get_value("garmin_product") for m in sample_decoded["device_info"]}
    assert products == {"fr945", "hrm_pro"}
    events = [(m.get_value("event"), m.get_value("event_type")) for m in sample_decoded["event"]]
    assert events == [("timer", "start"), ("timer", "stop_all")]


# === Physiology of the sample (what downstream estimators rely on) ===


def test_sample_heart_rate_shape(sample: fitgen.WorkoutSpec) -> None:
    hr = sample.records["heart_rate"].to_numpy()
    laps = sample.laps
    warmup = hr[laps[0].start : laps[0].stop]
    assert 90 <= warmup[0] <= 100
    assert 135 <= warmup[-30:].mean() <= 145
    peaks = [hr[lap.start : lap.stop].max() for lap in laps if lap.intensity == "active"]
    assert all(168 <= p <= 180 for p in peaks)
    assert peaks[-1] > peaks[0]  # slow component + drift
    for lap in laps:
        if lap.intensity == "recovery":
            part = hr[lap.start : lap.stop]
            assert part[0] - part[-1] >= 20
    # on-kinetics: ~63 % of the rise within 25-50 s of a rep's start
    rep = laps[1]
    rise = hr[rep.start : rep.stop]
    gain = (rise - rise[0]) / (rise.max() - rise[0])
    assert 25 <= int(np.argmax(gain >= 0.63)) <= 50


def test_sample_speed_distance_consistent(sample: fitgen.WorkoutSpec) -> None:
    speed = sample.records["speed"].to_numpy()
    distance = sample.records["distance"].to_numpy()
    integral = np.concatenate([[0.0], np.cumsum((speed[1:] + speed[:-1]) / 2)])
    np.testing.assert_allclose(distance, integral, atol=0.01)
    hard = [
        speed[lap.start + 20 : lap.stop].mean() for lap in sample.laps if lap.intensity == "active"
    ]
    assert all(1000 / 250 < v < 1000 / 230 for v in hard)  # 3:50-4:10 min/km


def test_sample_rr_matches_heart_rate_and_variability_shrinks(sample: fitgen.WorkoutSpec) -> None:
    rr = sample.rr_ms.astype(float)
    beat_s = np.cumsum(rr) / 1000.0
    hr = sample.records["heart_rate"].to_numpy()
    for minute in range(0, 45, 5):
        inside = (beat_s >= minute * 60) & (beat_s < minute * 60 + 60)
        from_rr = 60000.0 / np.median(rr[inside])
        assert from_rr == pytest.approx(hr[minute * 60 : minute * 60 + 60].mean(), abs=4)

    def rmssd(lap: fitgen.Lap) -> float:
        """RMSSD (ms) after the lap's first minute, without artifact jumps (> 20 %)."""
        part = rr[(beat_s >= lap.start + 60) & (beat_s < lap.stop)]
        steps = np.diff(part)
        steps = steps[np.abs(steps) < 0.2 * part[:-1]]
        return float(np.sqrt(np.mean(steps**2)))

    hard = [rmssd(lap) for lap in sample.laps if lap.intensity == "active"]
    assert rmssd(sample.laps[0]) > 1.3 * max(hard)  # warm-up vs hard reps
    assert all(2.0 < value < 6.0 for value in hard)
    jumps = np.abs(np.diff(rr)) / rr[:-1] > 0.3
    assert 1 <= jumps.sum() <= 10  # a few ectopic-like artifacts, rare


# === Edge cases for the FIT reader ===


@pytest.mark.parametrize("packed", [True, False])
def test_chained_strap_files(packed: bool) -> None:
    chained = fitgen.chained_strap_bytes(strap_files=2, packed=packed)
    decoded = decode(chained.data)
    assert decoded.headers == 3
    assert len(decoded["file_id"]) == 1  # strap files have none, like the devices
    assert all(native(m, "heart_rate") is None for m in decoded["record"])
    assert len(decoded["record"]) == len(chained.watch.records)
    beats, bpm = _strap_beats(decoded, packed)
    truth = chained.strap
    assert len(beats) == len(truth) > 500
    error_ns = np.abs(beats.asi8 - pd.DatetimeIndex(truth["time"]).asi8)
    assert error_ns.max() <= 1000  # 1 us: the 1/1024 s grid rounded to ns
    np.testing.assert_array_equal(bpm, truth["filtered_bpm"])


def test_chained_strap_defeats_fitdecode_event_timestamp_expansion() -> None:
    chained = fitgen.chained_strap_bytes(strap_files=1, packed=True)
    message = decode(chained.data)["hr"][1]
    expanded = pd.Timestamp(next(f.value for f in message.fields if f.name == "event_timestamp"))
    truth = chained.strap["time"].iloc[1]
    assert abs((expanded - truth).total_seconds()) > 0.5


def _strap_beats(decoded: Decoded, packed: bool) -> tuple[pd.DatetimeIndex, list[int]]:
    """Beat times from raw hr fields, by the FIT SDK's anchor rule (1/1024 s ticks)."""
    times, bpm = [], []
    anchor_utc = anchor_tick = tick = None
    for message in decoded["hr"]:
        values = message.get_value("filtered_bpm")
        if message.has_field("timestamp"):
            anchor_utc = pd.Timestamp(message.get_value("timestamp")) + pd.Timedelta(
                seconds=message.get_value("fractional_timestamp")
            )
            anchor_tick = tick = message.get_raw_value("event_timestamp")
            times.append(anchor_utc)
            bpm.append(values)
            continue
        if packed:
            raw = int.from_bytes(bytes(message.get_raw_value("event_timestamp_12")), "little")
            ticks = []
            for k in range(8):
                tick += ((raw >> (12 * k)) & 0xFFF) - tick & 0xFFF
                ticks.append(tick)
        else:
            ticks = next(f.raw_value for f in message.fields if f.name == "event_timestamp")
        for t, b in zip(ticks, values, strict=True):
            times.append(anchor_utc + pd.Timedelta(seconds=(t - anchor_tick) / 1024))
            bpm.append(b)
    return pd.DatetimeIndex(times), bpm


def test_multisport_sessions() -> None:
    spec = fitgen.multisport()
    decoded = decode(fitgen.fit_bytes(spec))
    sessions = decoded["session"]
    assert [s.get_value("sport") for s in sessions] == ["running", "transition", "cycling"]
    assert [s.get_value("first_lap_index") for s in sessions] == [0, 2, 3]
    assert [s.get_value("num_laps") for s in sessions] == [2, 1, 2]
    starts = [pd.Timestamp(s.get_value("start_time")) for s in sessions]
    ends = [pd.Timestamp(s.get_value("timestamp")) for s in sessions]
    assert starts[1:] == ends[:-1]  # contiguous legs
    assert len(decoded["lap"]) == 5
    (activity,) = decoded["activity"]
    assert activity.get_value("num_sessions") == 3
    assert activity.get_value("type") == "auto_multi_sport"
    records = decoded["record"]
    assert len(records) == 780
    with_power = [i for i, m in enumerate(records) if native(m, "power") is not None]
    assert with_power == list(range(360, 780))  # the bike leg only
    assert len(rr_values(decoded)) == len(spec.rr_ms)


def test_duplicate_timestamps() -> None:
    spec = fitgen.duplicate_timestamps()
    records = decode(fitgen.fit_bytes(spec))["record"]
    assert len(records) == 305
    stamps = [m.get_raw_value("timestamp") for m in records]
    assert stamps == sorted(stamps)
    repeats = [i for i in range(1, len(stamps)) if stamps[i] == stamps[i - 1]]
    assert len(repeats) == 5
    for i in repeats:
        assert native(records[i], "heart_rate") == native(records[i - 1], "heart_rate") + 1


def test_invalid_heart_rates() -> None:
    records = decode(fitgen.fit_bytes(fitgen.invalid_heart_rates()))["record"]
    assert {native(records[i], "heart_rate") for i in range(100, 110)} == {0}
    for i in range(200, 210):  # 255 is written, and is FIT's invalid uint8
        (item,) = [f for f in records[i].fields if f.name == "heart_rate"]
        assert item.value is None
    for i in range(250, 255):
        assert not records[i].has_field("heart_rate")
    assert native(records[199], "heart_rate") > 100


def test_developer_fields_named_like_native_ones() -> None:
    spec = fitgen.shadowing_dev_fields()
    decoded = decode(fitgen.fit_bytes(spec))
    names = [m.get_value("field_name") for m in decoded["field_description"]]
    assert names == ["speed", "heart_rate"]
    for i, message in enumerate(decoded["record"][:50]):
        speeds = [f for f in message.fields if f.name == "speed" and f.field_def is not None]
        assert sorted(f.field_def.is_dev for f in speeds) == [False, True]
        native_speed = next(f for f in speeds if not f.field_def.is_dev)
        dev_speed = next(f for f in speeds if f.field_def.is_dev)
        assert native_speed.value == pytest.approx(spec.records["speed"].iloc[i], abs=5e-4)
        assert dev_speed.raw_value == round(spec.records["speed"].iloc[i] * 3.6 * 100)
        hrs = {f.field_def.is_dev: f.value for f in message.fields if f.name == "heart_rate"}
        assert hrs[False] - hrs[True] == 7


def test_power_round_trip() -> None:
    spec = fitgen.with_power()
    records = decode(fitgen.fit_bytes(spec))["record"]
    power = np.array([native(m, "power") for m in records], dtype=float)
    np.testing.assert_array_equal(power, spec.records["power"])
    assert 150 < power[-60:].mean() < 260


def test_relative_timestamps() -> None:
    decoded = decode(fitgen.fit_bytes(fitgen.relative_timestamps(power_on_s=3600)))
    stamps = [m.get_raw_value("timestamp") for m in decoded["record"]]
    assert stamps == list(range(3600, 3900))
    assert decoded["file_id"][0].get_raw_value("time_created") == 3600
    assert max(m.get_raw_value("timestamp") for m in decoded["lap"]) < 0x10000000


# === Spec validation ===


def test_spec_rejects_bad_input(sample: fitgen.WorkoutSpec) -> None:
    import dataclasses

    with pytest.raises(ValueError, match="timezone-aware"):
        dataclasses.replace(sample, start=pd.Timestamp("2024-05-12T05:30:00"))
    with pytest.raises(ValueError, match="unknown record columns"):
        dataclasses.replace(sample, records=sample.records.assign(watts=1.0))
    with pytest.raises(ValueError, match="outside"):
        dataclasses.replace(sample, laps=(fitgen.Lap(0, 5000),))
    with pytest.raises(ValueError, match="anchor beat"):
        fitgen.strap_hr_bytes(sample.times()[:8], np.full(8, 120))
