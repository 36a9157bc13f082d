"""Heart Rate Measurement (GATT characteristic 0x2A37) decoding: pure, no I/O.

Layout (GATT Specification Supplement, "Heart Rate Measurement"; Heart Rate Service 1.0)::

    flags (u8) | heart rate (u8 or u16 LE) | [energy expended (u16 LE, kJ)] | [RR (u16 LE)]*

Flags: bit 0 heart-rate format (0 = u8, 1 = u16); bit 1 sensor contact detected; bit 2 sensor
contact supported; bit 3 energy expended present; bit 4 RR intervals present; bits 5-7 reserved
(ignored). RR intervals are in units of 1/1024 s and run to the end of the packet; a trailing odd
byte is ignored. A notification carries zero or more RR values (none when no beat ended since the
last one, two or more above 60 bpm).
"""

from __future__ import annotations

from dataclasses import dataclass

from myokinetics.errors import MyokineticsError
from myokinetics.limits import limit

__all__ = [
    "RR_MAX_MS",
    "RR_MIN_MS",
    "HeartRateMeasurement",
    "HeartRateMeasurementError",
    "parse_heart_rate_measurement",
]

#: Plausible RR intervals (ms), from the one table (``limits.toml``): straps emit bogus short
#: intervals (a Garmin HRM-Dual sent 52 ms beside a real 1044 ms beat).
RR_MIN_MS, RR_MAX_MS = limit("reader", "rr_ms")

_FLAG_HR_U16 = 0x01
_FLAG_CONTACT_DETECTED = 0x02
_FLAG_CONTACT_SUPPORTED = 0x04
_FLAG_ENERGY = 0x08
_FLAG_RR = 0x10


class HeartRateMeasurementError(MyokineticsError, ValueError):
    """A Heart Rate Measurement packet too short for the fields its flags announce.

    Attributes
    ----------
    data : bytes
        The packet as received.
    offset : int
        Byte offset where the missing field should have started.
    """

    def __init__(self, data: bytes, offset: int, field: str) -> None:
        self.data = bytes(data)
        self.offset = offset
        super().__init__(
            "heart-rate packet",
            f"{self.data.hex() or '(empty)'} ends at byte {len(self.data)} before the {field} "
            f"at offset {offset}",
            "the strap sent a malformed notification; it is skipped",
        )


@dataclass(frozen=True, slots=True)
class HeartRateMeasurement:
    """One decoded 0x2A37 notification.

    Attributes
    ----------
    bpm : int
        Heart rate (beats/min) as sent; 0 means the strap has no reading.
    sensor_contact : bool or None
        Skin contact detected; None when the strap does not report contact.
    energy_expended_kj : int or None
        Cumulative energy expended (kJ) when the packet carries it; 65535 means saturated.
    rr_ms : tuple of float
        Plausible RR intervals (ms), in the order sent.
    rr_rejected : int
        RR values outside [:data:`RR_MIN_MS`, :data:`RR_MAX_MS`], dropped from ``rr_ms``.
    rr_raw : tuple of int
        Every RR value as sent (units of 1/1024 s), rejected ones included.
    """

    bpm: int
    sensor_contact: bool | None
    energy_expended_kj: int | None
    rr_ms: tuple[float, ...]
    rr_rejected: int
    rr_raw: tuple[int, ...]


def _u16(data: bytes, offset: int) -> int:
    return data[offset] | (data[offset + 1] << 8)


def parse_heart_rate_measurement(data: bytes) -> HeartRateMeasurement:
    """Decode one Heart Rate Measurement notification.

    Parameters
    ----------
    data : bytes
        The characteristic value exactly as notified.

    Returns
    -------
    HeartRateMeasurement

    Raises
    ------
    HeartRateMeasurementError
        When the packet is empty or shorter than the heart-rate or energy field its flags
        announce. No other exception is raised for any input.
    """
    data = bytes(data)
    if not data:
        raise HeartRateMeasurementError(data, 0, "flags")
    flags = data[0]
    offset = 1
    if flags & _FLAG_HR_U16:
        if len(data) < offset + 2:
            raise HeartRateMeasurementError(data, offset, "16-bit heart rate")
        bpm = _u16(data, offset)
        offset += 2
    else:
        if len(data) < offset + 1:
            raise HeartRateMeasurementError(data, offset, "8-bit heart rate")
        bpm = data[offset]
        offset += 1
    contact: bool | None = None
    if flags & _FLAG_CONTACT_SUPPORTED:
        contact = bool(flags & _FLAG_CONTACT_DETECTED)
    energy: int | None = None
    if flags & _FLAG_ENERGY:
        if len(data) < offset + 2:
            raise HeartRateMeasurementError(data, offset, "energy expended")
        energy = _u16(data, offset)
        offset += 2
    raw: tuple[int, ...] = ()
    if flags & _FLAG_RR:
        raw = tuple(_u16(data, i) for i in range(offset, len(data) - 1, 2))
    all_ms = [value * 1000.0 / 1024.0 for value in raw]
    kept = tuple(ms for ms in all_ms if RR_MIN_MS <= ms <= RR_MAX_MS)
    return HeartRateMeasurement(bpm=bpm, sensor_contact=contact, energy_expended_kj=energy,
                                rr_ms=kept, rr_rejected=len(all_ms) - len(kept), rr_raw=raw)
