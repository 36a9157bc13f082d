"""``--replay``: a file streamed through the live path as if a strap were sending it.

A recording replays its own events (the raw packets). Any other file that
:func:`myokinetics.read` accepts (FIT, TCX, GPX, the FatMaxxer RR log, ...) becomes one
synthetic Heart Rate Measurement packet per second: the second's heart rate (else the one
implied by the last plausible RR interval) and the RR intervals of the beats that ended in
that second, encoded exactly as a strap would (0x2A37, RR in 1/1024 s). Event times are the
file's own times; :func:`paced` spaces them in wall time by ``speed``.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np

from myokinetics.activity import Activity
from myokinetics.errors import InputError
from myokinetics.ingest.hrm import RR_MAX_MS, RR_MIN_MS
from myokinetics.ingest.recording import RecordingHeader, recording_events
from myokinetics.ingest.strap_events import DeviceEvent, Notification

__all__ = ["ReplaySource", "encode_heart_rate_measurement", "open_replay", "paced"]

#: A hole longer than this (s) in a replayed file is reported as a silent strap, as the live
#: watchdog would have (its default).
SILENT_AFTER_S = 5.0


def encode_heart_rate_measurement(bpm: int, rr_ms: Iterable[float] = ()) -> bytes:
    """A 0x2A37 packet: u8 (or u16 above 255) heart rate, RR rounded to 1/1024 s."""
    raw = [min(0xFFFF, max(0, round(ms * 1024 / 1000))) for ms in rr_ms]
    flags = (0x10 if raw else 0x00) | (0x01 if bpm > 0xFF else 0x00)
    body = bpm.to_bytes(2, "little") if bpm > 0xFF else bytes([bpm])
    return bytes([flags]) + body + b"".join(v.to_bytes(2, "little") for v in raw)


@dataclass
class ReplaySource:
    """A file to replay: its name, sport and events (in time order)."""

    path: Path
    label: str
    sport: str
    events: list[Notification | DeviceEvent]


def open_replay(path: str | PathLike[str]) -> ReplaySource:
    """Prepare a file for replay.

    Raises
    ------
    InputError
        The file cannot be read, or holds no heart rate and no RR intervals.
    """
    from myokinetics.ingest.dispatch import RECORDING_MAGIC, read

    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(RECORDING_MAGIC))
    except OSError as error:
        raise InputError(path, f"cannot be opened ({error.strerror or error})",
                         "check the path") from None
    if head == RECORDING_MAGIC:
        header, events, _ = recording_events(path.read_bytes(), str(path))
        kept = [e for e in events if not (isinstance(e, DeviceEvent) and e.kind == "end")]
        return ReplaySource(path, _label(header), header.sport, kept)
    activity = read(path)
    events = list(synthesize_events(activity))
    if not any(isinstance(e, Notification) for e in events):
        raise InputError(path, "has no heart rate and no RR intervals to replay",
                         "replay a file recorded with a heart-rate sensor")
    return ReplaySource(path, f"replay {path.name}", activity.meta.sport, events)


def _label(header: RecordingHeader) -> str:
    return header.device_name or header.device_address or "recording"


def synthesize_events(activity: Activity) -> Iterator[Notification | DeviceEvent]:
    """One packet per second that has a heart-rate sample or a beat ending in it.

    A second without a heart-rate reading gets the rate implied by its last plausible beat
    (RR within [:data:`~myokinetics.ingest.hrm.RR_MIN_MS`,
    :data:`~myokinetics.ingest.hrm.RR_MAX_MS`]), else 0 ("no reading"); every RR value is
    sent as it is. A hole longer than :data:`SILENT_AFTER_S` becomes a ``silent`` event.
    """
    hr_seconds = np.array([], dtype="int64")
    hr_values = np.array([], dtype="float64")
    if "heart_rate" in activity.samples:
        hr = activity.samples["heart_rate"]
        hr_seconds = np.floor(_epoch_seconds(hr.index)).astype("int64")
        hr_values = hr.to_numpy(dtype="float64")
    beat_rr = activity.rr.to_numpy(dtype="float64")
    beat_seconds = np.ceil(_epoch_seconds(activity.rr.index)).astype("int64")
    seconds = np.union1d(hr_seconds, beat_seconds)
    if seconds.size == 0:
        return
    hr_at = dict(zip(hr_seconds.tolist(), hr_values.tolist(), strict=True))
    beat_index = np.searchsorted(beat_seconds, seconds, side="right")
    yield DeviceEvent(float(seconds[0]) - 0.5, "connect", {"connection": 1})
    previous = None
    start = 0
    for second, stop in zip(seconds.tolist(), beat_index.tolist(), strict=True):
        if previous is not None and second - previous > SILENT_AFTER_S:
            yield DeviceEvent(previous + SILENT_AFTER_S, "silent",
                              {"after_s": SILENT_AFTER_S, "replayed": True})
        rr = [v for v in beat_rr[start:stop].tolist() if math.isfinite(v) and v > 0]
        start = stop
        value = hr_at.get(second, math.nan)
        plausible = [v for v in rr if RR_MIN_MS <= v <= RR_MAX_MS]
        if not math.isfinite(value) and plausible:
            value = 60000.0 / plausible[-1]  # no sample this second: its last beat's rate
        bpm = round(value) if math.isfinite(value) and value > 0 else 0
        yield Notification(float(second), encode_heart_rate_measurement(bpm, rr))
        previous = second


def _epoch_seconds(index: object) -> np.ndarray:
    """Seconds since the Unix epoch (float) of a UTC DatetimeIndex."""
    return np.asarray(index, dtype="datetime64[ns]").astype("int64") / 1e9


async def paced(events: Iterable[Notification | DeviceEvent], speed: float,
                stop: asyncio.Event) -> AsyncIterator[Notification | DeviceEvent]:
    """Yield events spaced in wall time as in the file, ``speed`` times faster.

    ``speed`` 0 (or less) yields as fast as possible. Stops early when ``stop`` is set.
    """
    loop = asyncio.get_running_loop()
    wall_start = loop.time()
    first: float | None = None
    for event in events:
        if stop.is_set():
            return
        if first is None:
            first = event.time
        if speed > 0:
            delay = wall_start + (event.time - first) / speed - loop.time()
            if delay > 0:
                try:
                    await asyncio.wait_for(stop.wait(), delay)
                    return
                except TimeoutError:
                    pass
        else:
            await asyncio.sleep(0)
        yield event
