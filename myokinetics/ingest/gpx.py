"""GPX 1.0/1.1 reader with the sensor extensions watches and apps write.

Every ``<trkpt>`` of every ``<trk>``/``<trkseg>`` becomes one sample; each ``<trk>`` one
session row. Sensor values come from ``<extensions>`` and are matched by local name, whatever
the prefix (``gpxtpx:``, ``ns3:``, ``gpxdata:``, none): Garmin TrackPointExtension ``hr``,
``cad``, ``atemp``; ``power`` (Strava); ``heartrate``/``cadence`` (Amazfit, mapstogpx);
``speed``; ``Temperature`` (gpxx).

GPX 1.0 ``<speed>`` on the point itself is read too.

Units: ``ele`` m, ``hr`` bpm, ``cad`` 1/min, ``power`` W, ``atemp`` °C, ``speed`` m/s.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd

from myokinetics.activity import Activity, ActivityMeta
from myokinetics.errors import InputError
from myokinetics.ingest.tabular import build_samples
from myokinetics.ingest.xml_common import (
    children,
    first,
    local_name,
    parse_times,
    parse_xml,
    text_float,
    utc_offset_of,
)

__all__ = ["read_gpx"]

#: Extension element (lower-cased local name) -> canonical column.
_EXTENSIONS = {"hr": "heart_rate", "heartrate": "heart_rate", "heart_rate": "heart_rate",
               "cad": "cadence", "cadence": "cadence", "power": "power", "watts": "power",
               "atemp": "temperature", "temp": "temperature", "temperature": "temperature",
               "speed": "speed"}
_COLUMNS = ("heart_rate", "power", "cadence", "speed", "altitude", "latitude", "longitude",
            "temperature")

#: ``<trk><type>`` -> FIT-style sport name: the words apps write, and the numbers of Strava's
#: activity type enumeration its older GPX exports write (1 Ride, 2 Alpine Ski, 4 Hike, 9 Run,
#: 10 Walk, 16 Swim, 23 Rowing; the codes as mapped by TomFryers/activate,
#: ``activate/load_activity.py``).
SPORTS = {"running": "running", "run": "running", "cycling": "cycling", "biking": "cycling",
          "ride": "cycling", "road_biking": "cycling", "mountain_biking": "cycling",
          "swimming": "swimming", "swim": "swimming", "walking": "walking", "walk": "walking",
          "hiking": "hiking", "hike": "hiking", "rowing": "rowing",
          "1": "cycling", "2": "alpine_skiing", "4": "hiking", "9": "running", "10": "walking",
          "16": "swimming", "23": "rowing"}


def read_gpx(data: bytes, source: str) -> Activity:
    """Read a GPX document into an :class:`~myokinetics.activity.Activity`.

    Parameters
    ----------
    data : bytes
        The GPX document (not gzipped).
    source : str
        Names the file in errors and warnings.

    Returns
    -------
    Activity
        Samples in canonical units (no laps: GPX has none); one session row per ``<trk>``.
        ``meta.utc_offset`` is the offset the time stamps state, else None; ``meta.product``
        is the ``creator`` attribute.

    Raises
    ------
    InputError
        Not well-formed, or holding no track point (a route or waypoint file).
    """
    parsed = parse_xml(data, source, "GPX")
    warnings = list(parsed.warnings)
    root = parsed.root
    tracks = list(children(root, "trk"))
    time_texts: list[str | None] = []
    values: dict[str, list[float]] = {name: [] for name in _COLUMNS}
    track_sports: list[str] = []
    track_bounds: list[tuple[int, int]] = []
    for track in tracks:
        begin = len(time_texts)
        for segment in children(track, "trkseg"):
            for point in children(segment, "trkpt"):
                time_texts.append(_read_point(point, values))
        track_bounds.append((begin, len(time_texts)))
        kind = first(track, "type")
        word = (kind.text or "").strip().lower() if kind is not None else ""
        track_sports.append(SPORTS.get(word, "generic"))
    if not time_texts:
        raise InputError(source, "GPX file holds no track point (a route or waypoint file?)",
                         "export the recorded activity instead")
    times, time_warnings = parse_times(time_texts, source)
    warnings.extend(time_warnings)
    samples = build_samples(times, values, warnings)
    if samples.empty:
        raise InputError(source, "no GPX track point carries a time",
                         "a route without times is not a recording")
    sessions = _sessions(times, track_bounds, track_sports)
    sports = list(dict.fromkeys(track_sports))
    meta = ActivityMeta(
        sport=sports[0] if len(sports) == 1 else "multisport",
        start=samples.index[0],
        utc_offset=utc_offset_of(next((t for t in time_texts if t), None)),
        product=(root.get("creator") or "").strip() or None,
        format="gpx",
        decoder="myokinetics.gpx",
        decoder_version="1",
    )
    return Activity(samples=samples, sessions=sessions, meta=meta, warnings=warnings)


def _read_point(point: ET.Element, values: dict[str, list[float]]) -> str | None:
    """Append one track point's values (NaN when absent); return its time text."""
    row = dict.fromkeys(values, np.nan)
    row["latitude"] = _attribute_float(point, "lat")
    row["longitude"] = _attribute_float(point, "lon")
    time_text = None
    for child in point:
        name = local_name(child.tag)
        if name == "time":
            time_text = (child.text or "").strip() or None
        elif name == "ele":
            row["altitude"] = text_float(child)
        elif name == "speed":  # GPX 1.0 puts speed (m/s) on the point itself
            row["speed"] = text_float(child)
        elif name == "extensions":
            for value in child.iter():
                column = _EXTENSIONS.get(local_name(value.tag).lower())
                if column is not None and np.isnan(row[column]):
                    row[column] = text_float(value)
    for column, number in row.items():
        values[column].append(number)
    return time_text


def _attribute_float(element: ET.Element, name: str) -> float:
    try:
        return float(element.get(name, "nan"))
    except ValueError:
        return np.nan


def _sessions(times: pd.DatetimeIndex, bounds: list[tuple[int, int]],
              sports: list[str]) -> pd.DataFrame:
    """One row per ``<trk>`` with points: its first and last time and its sport."""
    rows = []
    for (begin, end), sport in zip(bounds, sports, strict=True):
        own = times[begin:end].dropna()
        if len(own):
            rows.append({"start": own.min(), "end": own.max(), "sport": sport})
    return pd.DataFrame(rows)
