"""TrainingPeaks PWX (Peaksware XML, ``http://www.peaksware.com/PWX/1/0``).

``<pwx>`` holds one or more ``<workout>``, each with ``<sportType>`` ("Bike", "Run", ...),
``<device>`` (``<make>``, ``<model>``), ``<time>`` (the start, ISO 8601, usually local without a
zone), ``<segment>`` laps (``<summarydata>``: ``<beginning>`` and ``<duration>`` in s) and
``<sample>`` rows: ``<timeoffset>`` (s since the start), ``<hr>`` (1/min), ``<spd>`` (m/s),
``<pwr>`` (W), ``<cad>`` (1/min), ``<dist>`` (m, cumulative), ``<lat>``/``<lon>`` (degrees),
``<alt>`` (m), ``<temp>`` (°C). Layout and units as in the published PWX schema and
GoldenCheetah's reader (``src/FileIO/PwxRideFile.cpp``). Each workout becomes one session, each
segment one lap.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd

from myokinetics.activity import Activity, ActivityMeta
from myokinetics.errors import InputError
from myokinetics.ingest.tabular import build_samples, offset_times
from myokinetics.ingest.xml_common import (
    children,
    element_text,
    first,
    local_name,
    parse_start,
    parse_xml,
    text_float,
    utc_offset_of,
)

__all__ = ["read_pwx"]

#: ``<sample>`` child -> canonical column (units already canonical).
COLUMNS = {"hr": "heart_rate", "spd": "speed", "pwr": "power", "cad": "cadence",
           "dist": "distance", "lat": "latitude", "lon": "longitude", "alt": "altitude",
           "temp": "temperature"}
#: ``<sportType>`` (lower case) -> sport.
SPORTS = {"bike": "cycling", "mountain bike": "cycling", "run": "running", "swim": "swimming",
          "walk": "walking", "rowing": "rowing", "xc ski": "cross_country_skiing",
          "strength": "training"}


def read_pwx(data: bytes, source: str) -> Activity:
    """Read a PWX file into canonical units (see the module text).

    Raises
    ------
    InputError
        Not well-formed, no workout with a start time, or no sample.
    """
    parsed = parse_xml(data, source, "PWX")
    warnings = list(parsed.warnings)
    workouts = list(children(parsed.root, "workout"))
    if not workouts:
        raise InputError(source, "PWX file holds no <workout>",
                         "export the workout again from TrainingPeaks")
    times: list[pd.DatetimeIndex] = []
    values: dict[str, list[float]] = {column: [] for column in COLUMNS.values()}
    sessions, laps = [], []
    for workout in workouts:
        start_text = element_text(first(workout, "time"))
        start = parse_start(start_text, source, "PWX", warnings)
        sport = SPORTS.get((element_text(first(workout, "sportType")) or "").lower(), "generic")
        offsets = [_read_sample(sample, values) for sample in children(workout, "sample")]
        own = offset_times(start, offsets, warnings)
        times.append(own)
        laps.extend(_laps(workout, start, sport))
        if own.notna().any():
            sessions.append({"start": own.min(), "end": own.max(), "sport": sport})
    index = pd.DatetimeIndex(np.concatenate([t.to_numpy() for t in times]), tz="UTC")
    samples = build_samples(index, values, warnings)
    if samples.empty:
        raise InputError(source, "PWX file holds no sample with a time offset",
                         "a workout summary without samples is not a recording")
    session_frame = pd.DataFrame(sessions)
    sports = list(dict.fromkeys(session_frame["sport"]))
    device = first(workouts[0], "device")
    meta = ActivityMeta(sport=sports[0] if len(sports) == 1 else "multisport",
                        start=samples.index[0],
                        utc_offset=utc_offset_of(element_text(first(workouts[0], "time"))),
                        manufacturer=element_text(first(device, "make")),
                        product=element_text(first(device, "model")), format="pwx",
                        decoder="myokinetics.pwx", decoder_version="1")
    return Activity(samples=samples, laps=pd.DataFrame(laps), sessions=session_frame, meta=meta,
                    warnings=warnings)


def _read_sample(sample: ET.Element, values: dict[str, list[float]]) -> float:
    """Append one ``<sample>``'s values (NaN when absent); return its time offset (s)."""
    row = dict.fromkeys(values, np.nan)
    offset = np.nan
    for child in sample:
        name = local_name(child.tag)
        if name == "timeoffset":
            offset = text_float(child)
        elif name in COLUMNS:
            row[COLUMNS[name]] = text_float(child)
    for column, number in row.items():
        values[column].append(number)
    return offset


def _laps(workout: ET.Element, start: pd.Timestamp, sport: str) -> list[dict[str, object]]:
    """One row per ``<segment>`` whose beginning and duration are plausible numbers."""
    rows = []
    for segment in children(workout, "segment"):
        summary = first(segment, "summarydata")
        beginning, duration = text_float(first(summary, "beginning")), text_float(
            first(summary, "duration"))
        bounds = offset_times(start, [beginning, beginning + duration], [])
        if duration >= 0 and bounds.notna().all():
            rows.append({"start": bounds[0], "end": bounds[1], "sport": sport,
                         "elapsed_s": duration, "name": element_text(first(segment, "name"))})
    return rows
