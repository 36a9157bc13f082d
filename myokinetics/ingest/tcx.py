"""Garmin Training Center XML (TCX) reader.

Each ``<Activity>`` becomes one session (a multisport file has several), each ``<Lap>`` one
lap, each ``<Trackpoint>`` one sample. Extension values (``TPX``: ``Speed``, ``Watts``,
``RunCadence``; ``LX``: lap averages) are found by local name, so ``ns2:``/``ns3:`` prefixes
and a ``<Watts>`` without its namespace all work.

Units: TCX already uses the canonical ones (m, m/s, bpm, W, rpm); ``TotalTimeSeconds`` is
timer time (s), ``Calories`` kcal.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pandas as pd

from myokinetics.activity import Activity, ActivityMeta
from myokinetics.errors import InputError
from myokinetics.ingest.tabular import build_samples
from myokinetics.ingest.time_bounds import parse_utc
from myokinetics.ingest.xml_common import (
    children,
    first,
    local_name,
    parse_times,
    parse_xml,
    text_float,
    utc_offset_of,
)
from myokinetics.limits import limit

__all__ = ["read_tcx"]

#: TCX ``Sport`` attribute -> FIT-style sport name used across myokinetics.
SPORTS = {"running": "running", "biking": "cycling", "other": "generic"}

#: Trackpoint child (local name) -> canonical column.
_POINT_FIELDS = {"AltitudeMeters": "altitude", "DistanceMeters": "distance",
                 "Cadence": "cadence"}
#: Trackpoint extension value (local name) -> canonical column.
_POINT_EXTENSIONS = {"Speed": "speed", "Watts": "power", "RunCadence": "run_cadence"}
#: Lap child or LX extension (local name) -> lap column (the FIT reader's summary names).
_LAP_FIELDS = {"TotalTimeSeconds": "timer_s", "DistanceMeters": "distance_m",
               "Calories": "calories_kcal", "AvgWatts": "avg_power", "MaxWatts": "max_power",
               "MaximumSpeed": "max_speed", "AvgSpeed": "avg_speed", "Cadence": "avg_cadence",
               "AvgRunCadence": "avg_cadence", "MaxRunCadence": "max_cadence"}
#: Summary columns in the order the FIT reader gives them; extra TCX fields follow.
SUMMARY_COLUMNS = ("start", "end", "sport", "sub_sport", "elapsed_s", "timer_s", "distance_m",
                   "avg_heart_rate", "max_heart_rate", "avg_power", "calories_kcal")

_COLUMNS = ("heart_rate", "power", "cadence", "speed", "distance", "altitude", "latitude",
            "longitude")


def read_tcx(data: bytes, source: str) -> Activity:
    """Read a TCX document into an :class:`~myokinetics.activity.Activity`.

    Parameters
    ----------
    data : bytes
        The TCX document (not gzipped).
    source : str
        Names the file in errors and warnings.

    Returns
    -------
    Activity
        Samples in canonical units, one lap row per ``<Lap>``, one session row per
        ``<Activity>``; ``meta.utc_offset`` is the offset the time stamps state, else None.

    Raises
    ------
    InputError
        Not well-formed, or holding no activity (a course or workout file).
    """
    parsed = parse_xml(data, source, "TCX")
    warnings = list(parsed.warnings)
    activities = [e for e in parsed.root.iter() if local_name(e.tag) == "Activity"]
    if not activities:
        raise InputError(source, "TCX file holds no <Activity> (a course or workout file?)",
                         "export the recorded activity instead")
    time_texts: list[str | None] = []
    values: dict[str, list[float]] = {name: [] for name in (*_COLUMNS, "run_cadence")}
    laps: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    for activity in activities:
        sport = SPORTS.get((activity.get("Sport") or "other").strip().lower(), "generic")
        lap_count = 0
        first_point = len(time_texts)
        for lap in children(activity, "Lap"):
            lap_first = len(time_texts)
            for point in lap.iter():
                if local_name(point.tag) == "Trackpoint":
                    time_texts.append(_read_point(point, values))
            laps.append(_lap_row(lap, sport, time_texts[lap_first:]))
            lap_count += 1
        identifier = first(activity, "Id")
        sessions.append({"sport": sport, "laps": lap_count,
                         "points": len(time_texts) - first_point,
                         "id": None if identifier is None else identifier.text})
    times, time_warnings = parse_times(time_texts, source)
    warnings.extend(time_warnings)
    cadence = np.asarray(values.pop("cadence"))
    run_cadence = np.asarray(values.pop("run_cadence"))
    columns: dict[str, list[float] | np.ndarray] = {
        **values, "cadence": np.where(np.isnan(cadence), run_cadence, cadence)}
    samples = build_samples(times, columns, warnings)
    if len(sessions) > 1:
        samples["session"] = _session_of(samples.index, times, sessions)
    lap_frame = _frame_of_laps(laps)
    session_frame = _frame_of_sessions(sessions, lap_frame)
    sports = list(dict.fromkeys(session_frame["sport"]))
    meta = ActivityMeta(
        sport=sports[0] if len(sports) == 1 else "multisport",
        start=_start(samples, lap_frame, session_frame),
        utc_offset=_offset(activities, time_texts),
        product=_creator(activities),
        format="tcx",
        decoder="myokinetics.tcx",
        decoder_version="1",
    )
    if samples.empty:
        warnings.append("no trackpoint carries a time; only laps were read")
    return Activity(samples=samples, laps=lap_frame, sessions=session_frame, meta=meta,
                    warnings=warnings, status="ok")


def _read_point(point: ET.Element, values: dict[str, list[float]]) -> str | None:
    """Append one trackpoint's values (NaN when absent); return its time text."""
    row = dict.fromkeys(values, np.nan)
    time_text = None
    for child in point:
        name = local_name(child.tag)
        if name == "Time":
            time_text = (child.text or "").strip() or None
        elif name == "Position":
            row["latitude"] = text_float(first(child, "LatitudeDegrees"))
            row["longitude"] = text_float(first(child, "LongitudeDegrees"))
        elif name == "HeartRateBpm":
            row["heart_rate"] = text_float(first(child, "Value"))
        elif name in _POINT_FIELDS:
            row[_POINT_FIELDS[name]] = text_float(child)
        elif name == "Extensions":
            for value in child.iter():
                column = _POINT_EXTENSIONS.get(local_name(value.tag))
                if column is not None and np.isnan(row[column]):
                    row[column] = text_float(value)
    for column, number in row.items():
        values[column].append(number)
    return time_text


def _lap_row(lap: ET.Element, sport: str, time_texts: list[str | None]) -> dict[str, Any]:
    row: dict[str, Any] = {"start": lap.get("StartTime"), "sport": sport, "sub_sport": None}
    for child in lap:
        name = local_name(child.tag)
        if name in _LAP_FIELDS:
            row[_LAP_FIELDS[name]] = text_float(child)
        elif name == "AverageHeartRateBpm":
            row["avg_heart_rate"] = text_float(first(child, "Value"))
        elif name == "MaximumHeartRateBpm":
            row["max_heart_rate"] = text_float(first(child, "Value"))
        elif name == "Intensity":
            row["intensity"] = (child.text or "").strip().lower() or None
        elif name == "TriggerMethod":
            row["lap_trigger"] = (child.text or "").strip().lower() or None
        elif name == "Extensions":
            for value in child.iter():
                column = _LAP_FIELDS.get(local_name(value.tag))
                if column is not None and value is not child:
                    row[column] = text_float(value)
    last = next((t for t in reversed(time_texts) if t), None)
    row["last_point"] = last
    return row


def _frame_of_laps(laps: list[dict[str, Any]]) -> pd.DataFrame:
    if not laps:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    frame = pd.DataFrame(laps)
    frame["start"] = parse_utc(frame["start"], format="ISO8601")[0]
    last = pd.Series(parse_utc(frame.pop("last_point"), format="ISO8601")[0], index=frame.index)
    low, high = limit("reader", "duration_s")
    seconds = pd.to_numeric(frame.get("timer_s", np.nan))
    timer = pd.to_timedelta(np.where((seconds >= low) & (seconds <= high), seconds, np.nan),
                            unit="s")
    frame["end"] = last.where(last > frame["start"], frame["start"] + timer)
    frame["elapsed_s"] = (frame["end"] - frame["start"]).dt.total_seconds()
    return _ordered(frame)


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    for column in SUMMARY_COLUMNS:
        if column not in frame:
            frame[column] = np.nan
    return frame[list(SUMMARY_COLUMNS) + [c for c in frame if c not in SUMMARY_COLUMNS]]


def _frame_of_sessions(sessions: list[dict[str, Any]], laps: pd.DataFrame) -> pd.DataFrame:
    """One row per ``<Activity>``, summed over its laps (which were appended in order)."""
    rows = []
    lap_index = 0
    for session in sessions:
        count = int(session["laps"])
        own = laps.iloc[lap_index:lap_index + count]
        lap_index += count
        row: dict[str, Any] = {
            "start": own["start"].min() if count else parse_utc(
                [session["id"]], format="ISO8601")[0][0],
            "end": own["end"].max() if count else pd.NaT,
            "sport": session["sport"],
            "sub_sport": None,
        }
        for column in ("timer_s", "distance_m", "calories_kcal"):
            if column in own:
                row[column] = float(own[column].sum(min_count=1))
        for column in ("max_heart_rate", "max_power"):
            if column in own:
                row[column] = float(own[column].max())
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["elapsed_s"] = (frame["end"] - frame["start"]).dt.total_seconds()
    return _ordered(frame)


def _session_of(index: pd.Index, times: pd.DatetimeIndex,
                sessions: list[dict[str, Any]]) -> np.ndarray:
    """Session number (row of ``sessions``) of every sample, as the FIT reader gives it."""
    number = np.repeat(np.arange(len(sessions), dtype="float64"),
                       [int(s["points"]) for s in sessions])
    by_time = pd.Series(number, index=times)
    by_time = by_time[by_time.index.notna() & ~by_time.index.duplicated()]
    return by_time.reindex(index).to_numpy(dtype="float64")


def _start(samples: pd.DataFrame, laps: pd.DataFrame,
           sessions: pd.DataFrame) -> pd.Timestamp | None:
    candidates = []
    if len(samples.index):
        candidates.append(samples.index[0])
    for frame in (laps, sessions):
        if "start" in frame and frame["start"].notna().any():
            candidates.append(frame["start"].min())
    return min(candidates) if candidates else None


def _offset(activities: list[ET.Element], time_texts: list[str | None]) -> dt.timedelta | None:
    identifier = first(activities[0], "Id")
    text = identifier.text if identifier is not None else None
    offset = utc_offset_of(text)
    if offset is None:
        offset = utc_offset_of(next((t for t in time_texts if t), None))
    return offset


def _creator(activities: list[ET.Element]) -> str | None:
    name = first(activities[0], "Creator", "Name")
    text = (name.text or "").strip() if name is not None else ""
    return text or None
