"""Bluetooth LE heart-rate straps and watches: discovery, connection, parsing, recording."""

from myokinetics.devices.hrm import (
    HeartRateMeasurement,
    HeartRateMeasurementError,
    parse_heart_rate_measurement,
)

__all__ = [
    "HeartRateMeasurement",
    "HeartRateMeasurementError",
    "parse_heart_rate_measurement",
]
