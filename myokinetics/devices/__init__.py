"""Bluetooth LE heart-rate straps and watches: discovery, connection, parsing, recording, replay.

Entry points: :func:`scan` / :func:`find_device` to find straps, :class:`StrapConnection` to keep
one streaming, :class:`RecordingWriter` / :func:`read_recording` for the crash-safe recording
format, :func:`capture` for a whole live session (what ``myokinetics live`` runs).
"""

from myokinetics.devices.capture import CaptureOptions, CaptureResult, capture
from myokinetics.devices.connection import Backoff, StrapConnection
from myokinetics.devices.errors import (
    BluetoothUnavailableError,
    ConnectError,
    DeviceNotFoundError,
)
from myokinetics.devices.recorder import RecordingWriter
from myokinetics.devices.replay import encode_heart_rate_measurement, open_replay
from myokinetics.devices.scanner import FoundDevice, choose_device, find_device, scan
from myokinetics.devices.session import DeviceState, LiveSession
from myokinetics.ingest.hrm import (
    HeartRateMeasurement,
    HeartRateMeasurementError,
    parse_heart_rate_measurement,
)
from myokinetics.ingest.recording import RecordingHeader, read_recording
from myokinetics.ingest.strap_events import DeviceEvent, Notification

__all__ = [
    "Backoff",
    "BluetoothUnavailableError",
    "CaptureOptions",
    "CaptureResult",
    "ConnectError",
    "DeviceEvent",
    "DeviceNotFoundError",
    "DeviceState",
    "FoundDevice",
    "HeartRateMeasurement",
    "HeartRateMeasurementError",
    "LiveSession",
    "Notification",
    "RecordingHeader",
    "RecordingWriter",
    "StrapConnection",
    "capture",
    "choose_device",
    "encode_heart_rate_measurement",
    "find_device",
    "open_replay",
    "parse_heart_rate_measurement",
    "read_recording",
    "scan",
]
