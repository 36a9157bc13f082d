"""One device's live path: event -> recording -> timeline rows -> live analysis -> dashboard state.

The same object serves a strap and a replayed file, so both take exactly the same path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from myokinetics.devices.recorder import RecordingWriter
from myokinetics.ingest.hrm import HeartRateMeasurement
from myokinetics.ingest.strap_events import DeviceEvent, Notification
from myokinetics.ingest.strap_timeline import TimelineBuilder

__all__ = ["DeviceState", "LiveSession"]


@dataclass
class DeviceState:
    """What the dashboard shows for one device (all values as of the last event).

    Units: heart rate in beats/min, times in seconds, RR in ms, battery in percent.
    ``analysis`` holds the live load and estimator numbers (see
    :class:`~myokinetics.devices.live_analysis.LiveAnalysis`), empty until they exist.
    """

    label: str
    link: str = "connecting"
    bpm: float | None = None
    contact: bool | None = None
    battery_percent: int | None = None
    first_time: float | None = None  # s since epoch of the first notification
    last_time: float | None = None  # s since epoch of the last event
    notifications: int = 0
    beats: int = 0
    last_rr_ms: float | None = None
    rr_rejected: int = 0
    malformed: int = 0
    gaps: int = 0
    reconnects: int = 0
    device_info: dict[str, str] = field(default_factory=dict)
    analysis: dict[str, Any] = field(default_factory=dict)

    @property
    def elapsed_s(self) -> float:
        if self.first_time is None or self.last_time is None:
            return 0.0
        return self.last_time - self.first_time


class LiveSession:
    """Feeds events through the recording, the timeline and the live analysis.

    Parameters
    ----------
    label : str
        Device name for display.
    writer : RecordingWriter or None
        Where every event is appended first (None: no recording).
    analysis : LiveAnalysis, RemoteAnalysis or None
        Load and estimator stages fed with the timeline rows (None: heart rate only).
    """

    def __init__(self, label: str, writer: RecordingWriter | None = None,
                 analysis: Any | None = None) -> None:
        self.writer = writer
        self.analysis = analysis
        self.timeline = TimelineBuilder()
        self.state = DeviceState(label=label)
        # Timeline rows not yet given to the analysis (see analyze_pending).
        self._rows: list[tuple[int, float]] = []
        self._beats: list[tuple[float, float]] = []

    def feed(self, event: Notification | DeviceEvent) -> None:
        """Handle one event: record it, extend the timeline, update the state.

        This is the per-notification path and stays cheap (no pandas); the load and
        estimator stages run on the accumulated rows in :meth:`analyze_pending`.
        """
        decoded = event.decode() if isinstance(event, Notification) else None
        if self.writer is not None:
            self.writer.write(event, decoded)
        beats_before = len(self._beats)
        self.timeline.push_raw(event, self._rows, self._beats, decoded)
        state = self.state
        state.last_time = event.time
        if isinstance(event, Notification):
            self._on_notification(event, decoded)
        else:
            self._on_event(event)
        new_beats = len(self._beats) - beats_before
        if new_beats:
            state.beats += new_beats
            state.last_rr_ms = self._beats[-1][1]
        state.rr_rejected = self.timeline.rr_rejected
        state.malformed = self.timeline.malformed

    def take_pending(self) -> tuple[list[tuple[int, float]], list[tuple[float, float]]]:
        """Hand over the timeline rows and beats gathered since the last call (event loop)."""
        rows, beats = self._rows, self._beats
        self._rows, self._beats = [], []
        return rows, beats

    def analyze(self, rows: list[tuple[int, float]],
                beats: list[tuple[float, float]]) -> dict[str, Any] | None:
        """Push rows from :meth:`take_pending` into the live analysis as one chunk.

        May run in a worker thread (one call at a time per session): it touches only the
        analysis. Returns the new dashboard values, or None when there was nothing to do.
        The stages are chunk-invariant, so how rows are batched changes latency and CPU use,
        never the numbers.
        """
        if self.analysis is None or not (rows or beats):
            return None
        return dict(self.analysis.push_rows(rows, beats))

    def analyze_safely(self, rows: list[tuple[int, float]],
                       beats: list[tuple[float, float]]) -> dict[str, Any] | None:
        """:meth:`analyze`, but a failing analysis is switched off instead of ending the
        capture: the recording is what must survive (``analysis_error`` says why)."""
        try:
            return self.analyze(rows, beats)
        except Exception as error:  # the analysis is optional; the capture is not
            self.analysis = None
            return {"analysis_error": f"{type(error).__name__}: {error}"}

    def analyze_pending(self) -> None:
        """:meth:`take_pending` then :meth:`analyze`, in this thread."""
        values = self.analyze(*self.take_pending())
        if values is not None:
            self.state.analysis = values

    def _on_notification(self, event: Notification,
                         measurement: HeartRateMeasurement | None) -> None:
        state = self.state
        state.notifications += 1
        if state.first_time is None:
            state.first_time = event.time
        state.link = "streaming"
        if measurement is not None:
            no_reading = measurement.bpm == 0 or measurement.sensor_contact is False
            state.bpm = None if no_reading else float(measurement.bpm)
            state.contact = measurement.sensor_contact

    def _on_event(self, event: DeviceEvent) -> None:
        state = self.state
        if event.kind == "connect":
            state.link = "connected"
            if event.detail.get("connection", 1) > 1:
                state.reconnects += 1
        elif event.kind == "disconnect":
            state.link = "link lost" if event.detail.get("reason") != "stopped" else "stopped"
            state.gaps += event.detail.get("reason") != "stopped"
        elif event.kind == "silent":
            state.link = "silent"
            state.gaps += 1
        elif event.kind == "battery":
            state.battery_percent = event.detail.get("percent")
        elif event.kind == "device_info":
            state.device_info = {k: str(v) for k, v in event.detail.items()}
        elif event.kind == "connect_failed":
            state.link = "retrying"

    def close(self, t: float | None = None) -> None:
        """Close the recording (writes the ``end`` event), then flush the analysis."""
        if self.writer is not None:
            self.writer.close(t)
        if not self.state.link.startswith("failed"):
            self.state.link = "saved"
        values = self.analyze_safely(*self.take_pending())
        if values is not None:
            self.state.analysis = values
        if self.analysis is not None:
            try:
                self.state.analysis = dict(self.analysis.finish())
            except Exception as error:  # as in analyze_safely
                self.state.analysis = {"analysis_error": f"{type(error).__name__}: {error}"}
