"""Crash-safe live recordings: JSON Lines, one header then one line per event.

Format (version 1), UTF-8, ``\\n``-terminated lines::

    {"format": "myokinetics-recording", "version": 1, "created": "...Z", "device": {...}, ...}
    {"t": "2026-11-27T05:30:01.023456Z", "event": "connect"}
    {"t": "...", "event": "hrm", "hex": "163c1104", "bpm": 60, "contact": true, ...}
    {"t": "...", "event": "disconnect", "reason": "link lost"}
    {"t": "...", "event": "end"}

The raw ``hex`` is the record; decoded fields are a convenience and are re-derived on reading.
The writer is :class:`myokinetics.devices.recorder.RecordingWriter`; this reader accepts a file
cut off anywhere after the header.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from myokinetics._version import __version__
from myokinetics.activity import Activity, ActivityMeta
from myokinetics.errors import InputError, UnsupportedFormatError
from myokinetics.ingest.quality import plausible_span
from myokinetics.ingest.strap_events import (
    DeviceEvent,
    Notification,
    event_from_json,
    format_time,
    parse_time,
)
from myokinetics.ingest.strap_timeline import TimelineBuilder
from myokinetics.ingest.time_bounds import EARLIEST, plausible_epoch_s

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "RecordingHeader", "read_recording",
           "recording_events"]

FORMAT_NAME = "myokinetics-recording"
FORMAT_VERSION = 1
DECODER = "myokinetics-recording"


@dataclass(frozen=True)
class RecordingHeader:
    """First line of a recording.

    Attributes
    ----------
    created : float
        When the capture started, seconds since the Unix epoch (UTC).
    device_name, device_address : str or None
        The strap as advertised (address is a MAC on Linux/Windows, a UUID on macOS).
    sport : str
        Activity sport; "generic" when unknown.
    utc_offset_s : float or None
        Local time minus UTC (s) on the capturing machine.
    source : str
        "ble" for a strap, "replay:<file>" for a replayed file.
    """

    created: float
    device_name: str | None = None
    device_address: str | None = None
    sport: str = "generic"
    utc_offset_s: float | None = None
    source: str = "ble"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The header object; ``format`` is the first key (the sniffer relies on it)."""
        return {"format": FORMAT_NAME, "version": FORMAT_VERSION,
                "created": format_time(self.created),
                "device": {"name": self.device_name, "address": self.device_address},
                "sport": self.sport, "utc_offset_s": self.utc_offset_s, "source": self.source,
                "software": f"myokinetics {__version__}",
                "characteristic": "00002a37-0000-1000-8000-00805f9b34fb", **self.extra}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> RecordingHeader:
        device = obj.get("device") or {}
        known = {"format", "version", "created", "device", "sport", "utc_offset_s", "source",
                 "software", "characteristic"}
        created = parse_time(obj["created"])
        if not plausible_epoch_s(created):
            raise ValueError(f"created {obj['created']!r} is not a plausible time")
        offset = obj.get("utc_offset_s")
        plausible_offset = isinstance(offset, int | float) and not isinstance(offset, bool) \
            and abs(offset) <= 14 * 3600  # UTC-12 .. UTC+14; NaN and inf fail too
        return cls(created=created, device_name=device.get("name"),
                   device_address=device.get("address"), sport=obj.get("sport") or "generic",
                   utc_offset_s=float(offset) if plausible_offset and offset is not None else None,
                   source=obj.get("source", "ble"),
                   extra={k: v for k, v in obj.items() if k not in known})


def recording_events(data: bytes, source: str) -> tuple[RecordingHeader,
                                                         list[Notification | DeviceEvent],
                                                         list[str]]:
    """Header, events and warnings of a recording's bytes (tolerates a cut-off last line).

    Raises
    ------
    InputError
        When the header line is missing or damaged.
    UnsupportedFormatError
        When the recording's version is newer than this reader.
    """
    lines = data.split(b"\n")
    try:
        header_obj = json.loads(lines[0])
        header = RecordingHeader.from_json(header_obj)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise InputError(source, "recording header line is incomplete or damaged",
                         "the capture stopped before it began; nothing to read") from None
    if header_obj.get("version") != FORMAT_VERSION:
        raise UnsupportedFormatError(source, f"recording version {header_obj.get('version')!r}"
                                     f" (this reader knows {FORMAT_VERSION})",
                                     "upgrade myokinetics")
    warnings: list[str] = []
    events: list[Notification | DeviceEvent] = []
    implausible = 0
    body = lines[1:]
    for number, line in enumerate(body, start=2):
        if not line.strip():
            continue
        try:
            event = event_from_json(json.loads(line))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            # RecursionError: a line of deeply nested arrays (json's C decoder gives up)
            last = number == len(body) + 1
            warnings.append(f"line {number}: cut off mid-line by a crash; dropped" if last
                            else f"line {number}: damaged; dropped")
            continue
        if not plausible_epoch_s(event.time):
            implausible += 1
            continue
        events.append(event)
    if implausible:
        warnings.append(f"{implausible} lines stamped outside {EARLIEST:%Y}..now; dropped")
    return header, events, warnings


def read_recording(data: bytes, source: str) -> Activity:
    """Read a live recording into an :class:`~myokinetics.activity.Activity`.

    Samples hold ``heart_rate`` (bpm), one row per second with a notification (NaN rows mark
    where the link dropped or the strap went silent; gaps are never filled). ``rr`` holds the
    plausible beat intervals (ms) at beat times rebuilt from the RR sums and arrival times
    (:class:`~myokinetics.ingest.strap_timeline.RRClock`).

    Parameters
    ----------
    data : bytes
        The file content.
    source : str
        Names the file in warnings and errors.

    Returns
    -------
    Activity
        ``status`` is "partial" when the file was cut off or has no ``end`` event (the capture
        crashed or was killed); everything before that point is kept.
    """
    header, events, warnings = recording_events(data, source)
    status: Literal["ok", "partial"] = "partial" if warnings else "ok"
    if not any(isinstance(e, DeviceEvent) and e.kind == "end" for e in events):
        warnings.append("recording has no end event: the capture was interrupted (crash, kill "
                        "or power loss); data up to the last line is kept")
        status = "partial"
    builder = TimelineBuilder()
    chunk = builder.run(events)
    warnings.extend(_event_warnings(events))
    if builder.malformed:
        warnings.append(f"{builder.malformed} malformed heart-rate packets skipped")
    if builder.rr_rejected:
        warnings.append(f"{builder.rr_rejected} implausible RR intervals rejected")
    info = next((e.detail for e in events
                 if isinstance(e, DeviceEvent) and e.kind == "device_info"), {})
    samples = plausible_span(chunk.samples, warnings)
    rr = chunk.rr
    if len(samples) < len(chunk.samples):
        margin = pd.Timedelta(minutes=1)
        rr = rr[(rr.index >= samples.index[0] - margin) & (rr.index <= samples.index[-1] + margin)]
    start = samples.index[0] if len(samples) else pd.Timestamp(header.created, unit="s",
                                                               tz="UTC")
    end = samples.index[-1] if len(samples) else start
    offset = None if header.utc_offset_s is None else pd.Timedelta(
        seconds=header.utc_offset_s).to_pytimedelta()
    meta = ActivityMeta(sport=header.sport, start=start, utc_offset=offset,
                        manufacturer=info.get("manufacturer"),
                        product=header.device_name or info.get("model"),
                        serial=header.device_address, format="recording", decoder=DECODER,
                        decoder_version=__version__)
    sessions = pd.DataFrame({"start": [start], "end": [end], "sport": [header.sport]})
    return Activity(samples=samples, rr=rr, sessions=sessions, meta=meta,
                    warnings=warnings, status=status)


def _event_warnings(events: list[Notification | DeviceEvent]) -> list[str]:
    """One line per link loss or silent stretch, with its length."""
    out: list[str] = []
    lost_at: DeviceEvent | None = None
    for event in events:
        if isinstance(event, DeviceEvent) and event.kind in ("disconnect", "silent"):
            lost_at = lost_at or event
        elif lost_at is not None and (isinstance(event, Notification) or event.kind == "connect"):
            why = "link lost" if lost_at.kind == "disconnect" else "strap silent"
            out.append(f"{why} at {format_time(lost_at.time)} for "
                       f"{event.time - lost_at.time:.1f} s (gap kept, not interpolated)")
            lost_at = None
    return out
