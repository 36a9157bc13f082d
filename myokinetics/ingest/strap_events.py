"""What a heart-rate source emits: notifications and connection events, and their JSON form.

Times are seconds since the Unix epoch (UTC, float) in memory and ISO 8601 UTC with microseconds
in recordings. One JSON object per event; the ``event`` key names its kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from myokinetics.ingest.hrm import (
    HeartRateMeasurement,
    HeartRateMeasurementError,
    parse_heart_rate_measurement,
)

__all__ = ["EVENT_KINDS", "DeviceEvent", "Notification", "event_from_json", "format_time",
           "parse_time"]

#: Connection events. ``connect``/``disconnect``: the link came up / went down (``reason``);
#: ``connect_failed``: one failed attempt (``error``);
#: ``silent``: the watchdog saw no notification for a while (``since``); ``device_info`` and
#: ``battery``: what the device reported after connecting; ``end``: the capture was closed.
EVENT_KINDS = ("connect", "connect_failed", "disconnect", "silent", "device_info", "battery",
               "end")
EventKind = Literal["connect", "connect_failed", "disconnect", "silent", "device_info",
                    "battery", "end"]


def format_time(t: float) -> str:
    """ISO 8601 UTC with microseconds, e.g. ``2026-11-27T05:30:00.123456Z``."""
    stamp = dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="microseconds")
    return stamp.replace("+00:00", "Z")


def parse_time(text: str) -> float:
    """Inverse of :func:`format_time` (seconds since the Unix epoch)."""
    return dt.datetime.fromisoformat(text).timestamp()


@dataclass(frozen=True, slots=True)
class Notification:
    """One Heart Rate Measurement value as it arrived.

    Attributes
    ----------
    time : float
        Arrival time, seconds since the Unix epoch (UTC).
    data : bytes
        The characteristic value, byte for byte.
    """

    time: float
    data: bytes

    def decode(self) -> HeartRateMeasurement | None:
        """The decoded packet, or None when it is malformed."""
        try:
            return parse_heart_rate_measurement(self.data)
        except HeartRateMeasurementError:
            return None

    def to_json(self, decoded: HeartRateMeasurement | None = None) -> dict[str, Any]:
        """The recording line: arrival time, raw hex, then the decoded values (or the error).

        ``decoded`` saves parsing the packet again when the caller already did.
        """
        out: dict[str, Any] = {"t": format_time(self.time), "event": "hrm", "hex": self.data.hex()}
        try:
            m = decoded or parse_heart_rate_measurement(self.data)
        except HeartRateMeasurementError as error:
            out["error"] = error.what
            return out
        out.update(bpm=m.bpm, contact=m.sensor_contact, energy_kj=m.energy_expended_kj,
                   rr_ms=[round(v, 4) for v in m.rr_ms], rr_rejected=m.rr_rejected)
        return out


@dataclass(frozen=True, slots=True)
class DeviceEvent:
    """A connection event (see :data:`EVENT_KINDS`) with its details."""

    time: float
    kind: EventKind
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The recording line: time, kind, details."""
        return {"t": format_time(self.time), "event": self.kind, **self.detail}


def event_from_json(obj: dict[str, Any]) -> Notification | DeviceEvent:
    """Rebuild an event from its recording line.

    Raises
    ------
    KeyError, ValueError, TypeError
        When the object is not an event line.
    """
    t = parse_time(obj["t"])
    kind = obj["event"]
    if kind == "hrm":
        return Notification(t, bytes.fromhex(obj["hex"]))
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event {kind!r}")
    detail = {k: v for k, v in obj.items() if k not in ("t", "event")}
    return DeviceEvent(t, kind, detail)
