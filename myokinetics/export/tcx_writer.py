"""Write an :class:`~myokinetics.activity.Activity` as TCX (Training Center XML v2).

One ``<Activity>`` with one ``<Lap>`` per lap (one over everything when the activity has
none), a ``<Trackpoint>`` per sample: time, position (degrees), altitude and distance (m),
heart rate (1/min), cadence (1/min), and speed (m/s) and power (W) in the ActivityExtension
``TPX`` element. TCX has no place for RR intervals; they are not written.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from myokinetics.activity import Activity

__all__ = ["tcx_bytes"]

NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
NS_EXT = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
#: myokinetics sport -> TCX ``Sport`` attribute (the schema knows only these three).
SPORTS = {"running": "Running", "cycling": "Biking"}


def tcx_bytes(activity: Activity) -> bytes:
    """The activity as a TCX document (UTF-8)."""
    ET.register_namespace("", NS)
    ET.register_namespace("ax", NS_EXT)
    root = ET.Element(f"{{{NS}}}TrainingCenterDatabase")
    samples = activity.samples
    start = activity.meta.start if activity.meta.start is not None else samples.index.min()
    node = ET.SubElement(ET.SubElement(root, f"{{{NS}}}Activities"), f"{{{NS}}}Activity",
                         Sport=SPORTS.get(activity.meta.sport, "Other"))
    ET.SubElement(node, f"{{{NS}}}Id").text = _iso(start)
    for begin, end in _laps(activity, start):
        inside = samples[(samples.index >= begin) & (samples.index < end)]
        lap = ET.SubElement(node, f"{{{NS}}}Lap", StartTime=_iso(begin))
        ET.SubElement(lap, f"{{{NS}}}TotalTimeSeconds").text = f"{(end - begin).total_seconds():g}"
        ET.SubElement(lap, f"{{{NS}}}Calories").text = "0"
        ET.SubElement(lap, f"{{{NS}}}Intensity").text = "Active"
        ET.SubElement(lap, f"{{{NS}}}TriggerMethod").text = "Manual"
        track = ET.SubElement(lap, f"{{{NS}}}Track")
        for time, row in zip(inside.index, inside.to_dict("records"), strict=True):
            _point(ET.SubElement(track, f"{{{NS}}}Trackpoint"), time, row)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _laps(activity: Activity, start: pd.Timestamp) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Lap bounds; the last lap also takes every later sample."""
    last = activity.samples.index.max() + pd.Timedelta(1, "ns")
    laps = activity.laps
    if not len(laps) or "start" not in laps or laps["start"].isna().any():
        return [(start, last)]
    starts = sorted(pd.to_datetime(laps["start"], utc=True))
    ends = [*starts[1:], max(last, starts[-1])]
    return list(zip(starts, ends, strict=True))


def _point(point: ET.Element, time: pd.Timestamp, row: Mapping[Hashable, float]) -> None:
    def have(name: str) -> bool:
        return name in row and not np.isnan(row[name])

    ET.SubElement(point, f"{{{NS}}}Time").text = _iso(time)
    if have("latitude") and have("longitude"):
        position = ET.SubElement(point, f"{{{NS}}}Position")
        ET.SubElement(position, f"{{{NS}}}LatitudeDegrees").text = repr(row["latitude"])
        ET.SubElement(position, f"{{{NS}}}LongitudeDegrees").text = repr(row["longitude"])
    for name, tag in (("altitude", "AltitudeMeters"), ("distance", "DistanceMeters")):
        if have(name):
            ET.SubElement(point, f"{{{NS}}}{tag}").text = repr(row[name])
    if have("heart_rate"):
        bpm = ET.SubElement(point, f"{{{NS}}}HeartRateBpm")
        ET.SubElement(bpm, f"{{{NS}}}Value").text = str(round(row["heart_rate"]))
    if have("cadence"):
        ET.SubElement(point, f"{{{NS}}}Cadence").text = str(min(254, round(row["cadence"])))
    if have("speed") or have("power"):
        tpx = ET.SubElement(ET.SubElement(point, f"{{{NS}}}Extensions"), f"{{{NS_EXT}}}TPX")
        if have("speed"):
            ET.SubElement(tpx, f"{{{NS_EXT}}}Speed").text = repr(row["speed"])
        if have("power"):
            ET.SubElement(tpx, f"{{{NS_EXT}}}Watts").text = str(round(row["power"]))


def _iso(time: pd.Timestamp) -> str:
    return time.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
