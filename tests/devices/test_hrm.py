"""Heart Rate Measurement parser: every shared vector, and no surprise on any byte string."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myokinetics.ingest.hrm import (
    RR_MAX_MS,
    RR_MIN_MS,
    HeartRateMeasurementError,
    parse_heart_rate_measurement,
)
from tests.conftest import SHARED, require_shared

VECTORS = "science/vectors/heart-rate-measurement.csv"


def _vector_rows() -> list[dict[str, str]]:
    path = SHARED / VECTORS
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _vector_rows() or [None], ids=lambda r: r["hex"] if r else "none")
def test_every_shared_vector_decodes_exactly(row: dict[str, str] | None) -> None:
    require_shared(VECTORS)
    assert row is not None
    decoded = parse_heart_rate_measurement(bytes.fromhex(row["hex"]))
    assert decoded.bpm == int(row["bpm"])
    contact = {"True": True, "False": False, "": None}[row["sensor_contact"]]
    assert decoded.sensor_contact is contact
    energy = int(row["energy_expended_kj"]) if row["energy_expended_kj"] else None
    assert decoded.energy_expended_kj == energy
    raw = tuple(int(v) for v in row["rr_raw_1024ths"].split())
    assert decoded.rr_raw == raw
    all_ms = [float(v) for v in row["rr_ms"].split()]
    plausible = [ms for ms in all_ms if RR_MIN_MS <= ms <= RR_MAX_MS]
    assert decoded.rr_ms == pytest.approx(plausible, abs=1e-4)
    assert decoded.rr_rejected == len(all_ms) - len(plausible)


def test_garmin_bogus_rr_is_rejected_and_counted() -> None:
    decoded = parse_heart_rate_measurement(bytes.fromhex("10382d043500"))
    assert decoded.rr_ms == pytest.approx((1069 * 1000 / 1024,))
    assert decoded.rr_rejected == 1


def test_trailing_odd_byte_and_reserved_bits_are_ignored() -> None:
    decoded = parse_heart_rate_measurement(bytes([0xF0, 60, 0x00, 0x04, 0x07]))
    assert decoded.bpm == 60
    assert decoded.rr_raw == (1024,)


@pytest.mark.parametrize(("packet", "field"), [
    (b"", "flags"), (b"\x00", "8-bit heart rate"), (b"\x01\x3c", "16-bit heart rate"),
    (b"\x08\x3c\x01", "energy expended"),
])
def test_truncated_packets_raise_the_documented_error(packet: bytes, field: str) -> None:
    with pytest.raises(HeartRateMeasurementError, match=field) as info:
        parse_heart_rate_measurement(packet)
    assert isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


@given(st.binary(max_size=64))
def test_any_bytes_decode_or_raise_the_documented_error(packet: bytes) -> None:
    try:
        decoded = parse_heart_rate_measurement(packet)
    except HeartRateMeasurementError as error:
        assert error.data == packet
        return
    assert 0 <= decoded.bpm <= 0xFFFF
    assert len(decoded.rr_ms) + decoded.rr_rejected == len(decoded.rr_raw)
    assert all(RR_MIN_MS <= ms <= RR_MAX_MS for ms in decoded.rr_ms)
