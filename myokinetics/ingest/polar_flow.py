"""Polar Flow data export: ``training-session-*.json`` (account.polar.com, "Download your data").

One JSON object per training session: ``startTime``, ``timezoneOffset`` (minutes east of UTC),
``exercises`` (one per sport of a multisport session), each with ``sport`` ("RUNNING",
"ROAD_BIKING", ...) and ``samples``: ``heartRate``, ``speed``, ``cadence``, ``altitude``,
``distance``, each a list of ``{"dateTime": "2021-01-30T13:24:11.000", "value": ...}``, and
``recordedRoute``, a list of ``{"dateTime", "latitude", "longitude", "altitude"}``. Layout as
read by slither (AlexanderFabisch/slither, ``slither/io/polar_json_loader.py``).

Units: heart rate 1/min, speed km/h (converted to m/s), cadence 1/min, altitude and distance
m, position degrees. ``dateTime`` is local time: UTC is derived from the exercise's (else the
session's) ``timezoneOffset``; without one the times are read as UTC with a warning. Each
exercise becomes one session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from myokinetics.activity import Activity, ActivityMeta
from myokinetics.errors import InputError
from myokinetics.ingest.json_common import has_keys, items, load_object, mapping, number
from myokinetics.ingest.tabular import build_samples
from myokinetics.ingest.time_bounds import MAX_UTC_OFFSET
from myokinetics.ingest.xml_common import parse_times, utc_offset_of

__all__ = ["looks_like_polar_flow", "read_polar_flow"]

KMH_TO_MS = 1 / 3.6
#: ``samples`` series -> (canonical column, factor to canonical units).
SERIES = {"heartRate": ("heart_rate", 1.0), "speed": ("speed", KMH_TO_MS),
          "cadence": ("cadence", 1.0), "altitude": ("altitude", 1.0),
          "distance": ("distance", 1.0)}
#: ``recordedRoute`` point key -> canonical column.
ROUTE = {"latitude": "latitude", "longitude": "longitude", "altitude": "altitude"}
#: Polar ``sport`` -> sport.
SPORTS = {"RUNNING": "running", "TRAIL_RUNNING": "running", "TREADMILL_RUNNING": "running",
          "CYCLING": "cycling", "ROAD_BIKING": "cycling", "MOUNTAIN_BIKING": "cycling",
          "INDOOR_CYCLING": "cycling", "WALKING": "walking", "HIKING": "hiking",
          "SWIMMING": "swimming", "POOL_SWIMMING": "swimming",
          "OPEN_WATER_SWIMMING": "swimming", "ROWING": "rowing", "INDOOR_ROWING": "rowing",
          "CROSS-COUNTRY_SKIING": "cross_country_skiing", "STRENGTH_TRAINING": "training"}


def looks_like_polar_flow(head: bytes) -> bool:
    """Whether a document head is a Polar Flow training session."""
    return has_keys(head, b"exercises") and (has_keys(head, b"exportVersion")
                                             or has_keys(head, b"startTime"))


def read_polar_flow(data: bytes, source: str) -> Activity:
    """Read a Polar Flow training session into canonical units (see the module text).

    Raises
    ------
    InputError
        Not JSON, no exercise, or no sample with a time.
    """
    session = load_object(data, source, "Polar Flow JSON")
    exercises = [mapping(e) for e in items(session.get("exercises"))]
    if not exercises:
        raise InputError(source, "Polar Flow session holds no exercise",
                         "export your data again from account.polar.com")
    warnings: list[str] = []
    session_offset = _offset(session)
    rows: dict[str, dict[str, float]] = {}
    bounds, sports = [], []
    for exercise in exercises:
        offset = _offset(exercise) or session_offset
        own = _exercise_rows(exercise, offset)
        bounds.append(list(own))
        sports.append(SPORTS.get(str(exercise.get("sport") or "").upper(), "generic"))
        for key, row in own.items():
            merged = rows.setdefault(key, {})
            for column, value in row.items():
                merged.setdefault(column, value)
    if session_offset is None and all(_offset(e) is None for e in exercises):
        warnings.append("Polar Flow times carry no timezoneOffset; read as UTC")
    keys = list(rows)
    times, time_warnings = parse_times(keys, source)
    warnings.extend(time_warnings)
    columns: dict[str, list[float]] = {}
    for position, key in enumerate(keys):
        for column, value in rows[key].items():
            columns.setdefault(column, [np.nan] * len(keys))[position] = value
    samples = build_samples(times, columns, warnings)
    if samples.empty:
        raise InputError(source, "Polar Flow session holds no sample with a time",
                         "a session without recorded samples is not a recording")
    position_of = {key: times[n] for n, key in enumerate(keys)}
    sessions = _sessions(bounds, sports, position_of)
    distinct = list(dict.fromkeys(sports))
    meta = ActivityMeta(sport=distinct[0] if len(distinct) == 1 else "multisport",
                        start=samples.index[0], utc_offset=utc_offset_of(keys[0]),
                        manufacturer="polar", format="polar_flow",
                        decoder="myokinetics.polar_flow", decoder_version="1")
    return Activity(samples=samples, sessions=sessions, meta=meta, warnings=warnings)


def _offset(record: dict[str, Any]) -> dt.timedelta | None:
    """The record's ``timezoneOffset`` (minutes) when it is a plausible one."""
    minutes = number(record.get("timezoneOffset", record.get("timeZoneOffset")))
    if not np.isfinite(minutes) or abs(minutes) > MAX_UTC_OFFSET.total_seconds() / 60:
        return None
    return dt.timedelta(minutes=minutes)


def _stamp(text: object, offset: dt.timedelta | None) -> str | None:
    """A local ``dateTime`` with its UTC offset appended (when known and not already stated)."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    if offset is None or text.endswith(("Z", "z")) or utc_offset_of(text) is not None:
        return text
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{text}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _exercise_rows(exercise: dict[str, Any],
                   offset: dt.timedelta | None) -> dict[str, dict[str, float]]:
    """Time stamp -> canonical values of one exercise (series merged by their time)."""
    rows: dict[str, dict[str, float]] = {}
    samples = mapping(exercise.get("samples"))
    for name, (column, factor) in SERIES.items():
        for point in map(mapping, items(samples.get(name))):
            key = _stamp(point.get("dateTime"), offset)
            if key is not None:
                rows.setdefault(key, {}).setdefault(column, number(point.get("value")) * factor)
    for point in map(mapping, items(samples.get("recordedRoute"))):
        key = _stamp(point.get("dateTime"), offset)
        if key is not None:
            row = rows.setdefault(key, {})
            for name, column in ROUTE.items():
                row.setdefault(column, number(point.get(name)))
    return rows


def _sessions(bounds: list[list[str]], sports: list[str],
              time_of: dict[str, pd.Timestamp]) -> pd.DataFrame:
    """One row per exercise with timed samples: its first and last time and its sport."""
    rows = []
    for keys, sport in zip(bounds, sports, strict=True):
        own = pd.DatetimeIndex([time_of[k] for k in keys]).dropna()
        if len(own):
            rows.append({"start": own.min(), "end": own.max(), "sport": sport})
    return pd.DataFrame(rows)
