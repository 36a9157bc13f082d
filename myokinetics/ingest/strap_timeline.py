"""Events to samples and beats, one event at a time: the same code for live data and files.

The live path feeds each event as it arrives; :func:`myokinetics.ingest.recording.read_recording`
feeds a whole file. Both get identical rows, which is what keeps live and batch numbers equal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from myokinetics.activity import empty_rr, empty_samples
from myokinetics.ingest.hrm import HeartRateMeasurement
from myokinetics.ingest.strap_events import DeviceEvent, Notification

__all__ = ["RRClock", "TimelineBuilder", "TimelineChunk"]

#: Beats ending more than this (s) before their packet arrived mean lost beats or packets: the
#: beat clock is re-anchored to the arrival time instead of trusting the running sum.
MAX_RR_LAG_S = 2.0


class RRClock:
    """Reconstructs beat times from RR intervals and packet arrival times.

    Beat times are the running sum of RR intervals (the strap's own clock), anchored so that the
    last beat of the first packet ends at that packet's arrival. The sum is re-anchored to the
    arrival time when it runs ahead of it (a beat cannot end after its packet arrived) or lags
    by more than :data:`MAX_RR_LAG_S` (beats were lost), and after every gap (:meth:`reset`).
    Beats that would not come strictly after the previous one are dropped.
    """

    def __init__(self) -> None:
        self._last_beat: float | None = None  # s since epoch of the last emitted beat

    def reset(self) -> None:
        """Forget the running sum (after a disconnect or a silent stream)."""
        self._last_beat = None

    def push(self, arrival: float, rr_ms: tuple[float, ...]) -> list[tuple[float, float]]:
        """Beat times (s since epoch) and RR (ms) for one packet's intervals."""
        if not rr_ms:
            return []
        offsets = np.cumsum(rr_ms) / 1000.0
        start = self._last_beat
        if start is None or not (0.0 <= arrival - (start + offsets[-1]) <= MAX_RR_LAG_S):
            start = arrival - offsets[-1]
        beats: list[tuple[float, float]] = []
        for offset, rr in zip(offsets, rr_ms, strict=True):
            t = start + float(offset)
            if self._last_beat is None or t > self._last_beat:
                beats.append((t, rr))
                self._last_beat = t
        return beats


@dataclass(frozen=True)
class TimelineChunk:
    """Rows completed by one event: samples (heart_rate, bpm) and rr (ms), both UTC-indexed."""

    samples: pd.DataFrame
    rr: pd.Series

    @property
    def empty(self) -> bool:
        return self.samples.empty and self.rr.empty


class TimelineBuilder:
    """Turns events into sample rows (one per second) and beats.

    A notification gives the heart-rate row of the whole second it arrived in; a later
    notification in the same second is ignored (first one wins, so rows are final at once).
    A packet with heart rate 0, or reporting no skin contact, gives a NaN row (no reading).
    A lost link or a silent stream adds a NaN row at the next free second and resets the beat
    clock, so gaps stay gaps downstream and are never bridged (a disconnect because the capture
    was stopped is no gap).
    """

    def __init__(self) -> None:
        self.rr_clock = RRClock()
        self._last_second: int | None = None  # last emitted sample row, whole epoch seconds
        self.notifications = 0
        self.malformed = 0
        self.rr_rejected = 0

    def push(self, event: Notification | DeviceEvent) -> TimelineChunk:
        """The rows this event completes (often one sample row, possibly some beats)."""
        rows: list[tuple[int, float]] = []
        beats = self._push(event, rows)
        return self.build(rows, beats)

    def push_raw(self, event: Notification | DeviceEvent, rows: list[tuple[int, float]],
                 beats: list[tuple[float, float]],
                 decoded: HeartRateMeasurement | None = None) -> None:
        """Append this event's rows to ``rows`` (epoch s, bpm) and beats to ``beats``
        (epoch s, ms) without building frames (the cheap path; see :meth:`build`).
        ``decoded``: the notification's parsed packet when the caller has it (None: parse)."""
        beats.extend(self._push(event, rows, decoded))

    def run(self, events: Iterable[Notification | DeviceEvent]) -> TimelineChunk:
        """All rows of many events at once: the same rows as pushing them one by one."""
        rows: list[tuple[int, float]] = []
        beats: list[tuple[float, float]] = []
        for event in events:
            beats.extend(self._push(event, rows))
        return self.build(rows, beats)

    def _push(self, event: Notification | DeviceEvent, rows: list[tuple[int, float]],
              decoded: HeartRateMeasurement | None = None) -> list[tuple[float, float]]:
        beats: list[tuple[float, float]] = []
        if isinstance(event, Notification):
            self.notifications += 1
            measurement = decoded or event.decode()
            if measurement is None:
                self.malformed += 1
            else:
                self.rr_rejected += measurement.rr_rejected
                no_reading = measurement.bpm == 0 or measurement.sensor_contact is False
                self._add_row(rows, math.floor(event.time), math.nan if no_reading
                              else float(measurement.bpm))
                beats = self.rr_clock.push(event.time, measurement.rr_ms)
        elif event.kind == "silent" or (event.kind == "disconnect"
                                        and event.detail.get("reason") != "stopped"):
            self.rr_clock.reset()
            second = math.floor(event.time)
            if self._last_second is not None and second <= self._last_second:
                second = self._last_second + 1
            self._add_row(rows, second, math.nan)
        return beats

    def _add_row(self, rows: list[tuple[int, float]], second: int, value: float) -> None:
        if self._last_second is not None and second <= self._last_second:
            return
        rows.append((second, value))
        self._last_second = second

    @staticmethod
    def build(rows: list[tuple[int, float]], beats: list[tuple[float, float]]) -> TimelineChunk:
        """Frames from raw rows (epoch s, bpm) and beats (epoch s, ms)."""
        samples = empty_samples()
        if rows:
            seconds = np.array([s for s, _ in rows], dtype="int64") * 1_000_000_000
            index = pd.DatetimeIndex(seconds.astype("datetime64[ns]"), name="time").tz_localize(
                "UTC")
            samples = pd.DataFrame({"heart_rate": [v for _, v in rows]}, index=index,
                                   dtype="float64")
        rr = empty_rr()
        if beats:
            ms = np.round(np.array([t for t, _ in beats]) * 1000.0).astype("int64") * 1_000_000
            index = pd.DatetimeIndex(ms.astype("datetime64[ns]"), name="time").tz_localize("UTC")
            rr = pd.Series([v for _, v in beats], index=index, name="rr", dtype="float64")
        return TimelineChunk(samples, rr)
