"""Suunto sample fields, shared by the SML (XML) and the Suunto app JSON readers.

Suunto logs SI units: ``HR`` and ``Cadence`` in Hz (beats or steps per second), ``Speed`` m/s,
``Distance`` m (cumulative), ``Altitude`` m, ``Power``/``BikePower`` W, ``Temperature`` K,
``Latitude``/``Longitude`` radians (GoldenCheetah ``src/FileIO/SmlParser.cpp``; MyTourbook
``bundles/net.tourbook.device/src/net/tourbook/device/suunto/SuuntoJsonProcessor.java``).
:data:`FIELDS` turns each into its canonical column and unit.

The activity name of a Suunto header (``Activity``: "Running", "Cycling", "Mountain biking",
...) maps to a sport by :data:`SPORT_WORDS` (the first word it contains wins, as in
GoldenCheetah).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["FIELDS", "SPORT_WORDS", "canonical_value", "sport_of"]

KELVIN_AT_0C = 273.15

#: Suunto field -> (canonical column, factor, offset): canonical = value * factor + offset.
FIELDS: dict[str, tuple[str, float, float]] = {
    "HR": ("heart_rate", 60.0, 0.0),
    "Cadence": ("cadence", 60.0, 0.0),
    "Speed": ("speed", 1.0, 0.0),
    "Distance": ("distance", 1.0, 0.0),
    "Altitude": ("altitude", 1.0, 0.0),
    "Power": ("power", 1.0, 0.0),
    "BikePower": ("power", 1.0, 0.0),
    "Temperature": ("temperature", 1.0, -KELVIN_AT_0C),
    "Latitude": ("latitude", 180.0 / math.pi, 0.0),
    "Longitude": ("longitude", 180.0 / math.pi, 0.0),
}

#: Word in a Suunto activity name (lower case) -> sport.
SPORT_WORDS = (("running", "running"), ("run", "running"), ("cycling", "cycling"),
               ("biking", "cycling"), ("swimming", "swimming"), ("walking", "walking"),
               ("hiking", "hiking"), ("trekking", "hiking"), ("rowing", "rowing"))


def canonical_value(field: str, raw: object) -> tuple[str, float] | None:
    """``(column, value in canonical units)`` of a Suunto field, None for other fields.

    A value that is no number (``null``, text) becomes NaN.
    """
    known = FIELDS.get(field)
    if known is None:
        return None
    column, factor, offset = known
    try:
        number = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):  # null, text, an int beyond float
        number = np.nan
    return column, number * factor + offset


def sport_of(activity_name: str | None) -> str:
    """Sport of a Suunto activity name; "generic" when no known word is in it."""
    lowered = (activity_name or "").lower()
    return next((sport for word, sport in SPORT_WORDS if word in lowered), "generic")
