"""Apple Health export (``export.zip`` or its ``export.xml``): one activity per ``<Workout>``.

The export is one XML document, often hundreds of MB: ``<Record>`` elements (every sample of
every type, grouped by type), then ``<Workout>`` elements, each with its summary and a
``<WorkoutRoute>`` whose ``<FileReference path="/workout-routes/route_....gpx">`` names the
GPS track beside ``export.xml``. It is stream-parsed twice with ``iterparse``, each element
dropped once handled, so memory holds the workouts' own samples and not the document:

1. the workouts (type, start, end, duration, distance, energy, source, route file);
2. the records that fall inside a workout's span: ``HKQuantityTypeIdentifierHeartRate``
   (``value`` in count/min at ``startDate``) and beat-to-beat data, either
   ``InstantaneousBeatsPerMinute`` (``bpm``, ``time`` of day of the beat) under an
   ``HKQuantityTypeIdentifierHeartRateVariabilitySDNN`` record, or beats carrying
   ``timeSinceSeriesStart`` (s from the record's ``startDate``; ``precededByGap``) of a
   heartbeat-series record. An RR interval (ms) is the time between two consecutive beats of
   one series; the first beat of a series, and a beat after a gap, give none.

Dates are ``2024-05-01 07:00:00 +0200``: UTC is derived from the stated offset, which becomes
the activity's ``utc_offset``. Route points (degrees, m, m/s) are joined to the heart rate by
time through the shared quality stage.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import defusedxml
import defusedxml.ElementTree as SafeET
import pandas as pd

from myokinetics.activity import Activity, ActivityMeta, empty_rr, empty_samples
from myokinetics.errors import InputError
from myokinetics.ingest.gpx import read_gpx
from myokinetics.ingest.quality import clean_samples

__all__ = ["SPORTS", "read_apple_workouts"]

#: ``workoutActivityType`` without the ``HKWorkoutActivityType`` prefix -> sport.
SPORTS = {"Running": "running", "Cycling": "cycling", "Walking": "walking",
          "Hiking": "hiking", "Swimming": "swimming", "Rowing": "rowing",
          "CrossCountrySkiing": "cross_country_skiing", "Paddling": "paddling",
          "TraditionalStrengthTraining": "training", "FunctionalStrengthTraining": "training",
          "HighIntensityIntervalTraining": "training", "Elliptical": "fitness_equipment",
          "StairClimbing": "fitness_equipment"}
HEART_RATE = "HKQuantityTypeIdentifierHeartRate"
#: Units of ``totalDistance`` -> metres.
DISTANCE_M = {"km": 1000.0, "m": 1.0, "mi": 1609.344, "yd": 0.9144, "ft": 0.3048}
#: Units of ``duration`` -> seconds.
DURATION_S = {"min": 60.0, "s": 1.0, "hr": 3600.0, "h": 3600.0}
_TIME_OF_DAY = re.compile(r"(\d{1,2})[:.](\d{2})[:.](\d{2})(?:[.,](\d+))?\s*([AaPp])?")


@dataclasses.dataclass
class _Workout:
    sport: str
    start: pd.Timestamp
    end: pd.Timestamp
    offset: dt.timedelta | None
    summary: dict[str, float]
    source_name: str | None
    route: str | None
    key: str
    hr_times: list[int] = dataclasses.field(default_factory=list)
    hr_values: list[float] = dataclasses.field(default_factory=list)
    beats: list[tuple[int, float]] = dataclasses.field(default_factory=list)


def read_apple_workouts(data: bytes, source: str) -> Iterator[Activity]:
    """Every workout of an Apple Health ``export.zip`` or ``export.xml``, in time order.

    Parameters
    ----------
    data : bytes
        The zip archive or the XML document.
    source : str
        Names the file in errors; for a plain ``export.xml`` also where the
        ``workout-routes`` folder is looked for.

    Raises
    ------
    InputError
        No ``export.xml`` in the zip, damaged XML, or no workout in the export.
    """
    opener, route_bytes = _export(data, source)
    workouts = sorted(_workouts(opener, source), key=lambda w: w.start)
    if not workouts:
        raise InputError(source, "Apple Health export holds no workout",
                         "record workouts with the Workout app; other data is not imported")
    _collect_heart(opener, source, workouts)
    for workout in workouts:
        yield _activity(workout, route_bytes, source)


def _export(data: bytes, source: str) -> tuple[Callable[[], IO[bytes]],
                                               Callable[[str], bytes | None]]:
    """A way to open ``export.xml`` afresh (streamed) and to fetch a route file by path."""
    if not data.startswith(b"PK\x03\x04"):
        folder = Path(source).parent

        def from_folder(path: str) -> bytes | None:
            candidate = folder / path.lstrip("/")
            return candidate.read_bytes() if candidate.is_file() else None
        return lambda: io.BytesIO(data), from_folder
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except zipfile.BadZipFile as error:
        raise InputError(source, f"damaged zip archive ({error})",
                         "export the Health data again") from None
    xml_name = next((n for n in names if n.rsplit("/", 1)[-1] == "export.xml"), None)
    if xml_name is None:
        raise InputError(source, "Apple Health zip holds no export.xml",
                         "export all Health data again from the Health app")
    base = xml_name[: -len("export.xml")]

    def from_zip(path: str) -> bytes | None:
        name = base + path.lstrip("/")
        return archive.read(name) if name in names else None
    return lambda: archive.open(xml_name), from_zip


def _elements(opener: Callable[[], IO[bytes]], source: str) -> Iterator[SafeET.Element]:
    """Each child of the root, complete, then dropped (constant memory over the document)."""
    depth = 0
    root = None
    try:
        with opener() as stream:
            for event, element in SafeET.iterparse(stream, events=("start", "end")):
                if event == "start":
                    depth += 1
                    root = element if root is None else root
                    continue
                depth -= 1
                if depth == 1:
                    yield element
                    assert root is not None  # set at the first start event
                    root.clear()
    except defusedxml.DefusedXmlException as error:
        raise InputError(source, f"Apple Health export uses forbidden XML "
                         f"({type(error).__name__})", "export the Health data again") from None
    except (SafeET.ParseError, zipfile.BadZipFile, EOFError, OSError) as error:
        raise InputError(source, f"Apple Health export.xml is damaged ({error})",
                         "export the Health data again") from None


def _date(text: str | None) -> tuple[pd.Timestamp, dt.timedelta | None] | None:
    if not text:
        return None
    try:
        stamp = dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return None
    return pd.Timestamp(stamp).tz_convert("UTC"), stamp.utcoffset()


def _number(text: str | None) -> float:
    try:
        return float(text) if text is not None else float("nan")
    except ValueError:
        return float("nan")


def _workouts(opener: Callable[[], IO[bytes]], source: str) -> Iterator[_Workout]:
    for element in _elements(opener, source):
        if element.tag != "Workout":
            continue
        begin, finish = _date(element.get("startDate")), _date(element.get("endDate"))
        if begin is None or finish is None:
            continue
        kind = (element.get("workoutActivityType") or "").removeprefix("HKWorkoutActivityType")
        summary = {
            "timer_s": _number(element.get("duration"))
            * DURATION_S.get(element.get("durationUnit") or "min", float("nan")),
            "distance_m": _number(element.get("totalDistance"))
            * DISTANCE_M.get(element.get("totalDistanceUnit") or "km", float("nan")),
            "calories_kcal": _number(element.get("totalEnergyBurned")),
        }
        route = next((ref.get("path") for ref in element.iter("FileReference")), None)
        identity = "|".join(str(element.get(k)) for k in
                            ("workoutActivityType", "startDate", "endDate", "sourceName"))
        yield _Workout(SPORTS.get(kind, "generic"), begin[0], finish[0], begin[1], summary,
                       element.get("sourceName"), route,
                       hashlib.sha256(f"apple-health-workout|{identity}".encode()).hexdigest())


def _collect_heart(opener: Callable[[], IO[bytes]], source: str,
                   workouts: list[_Workout]) -> None:
    """Give each workout the heart-rate records and beats inside its span."""
    starts = [w.start.value for w in workouts]

    def owner(ns: int) -> _Workout | None:
        position = bisect.bisect_right(starts, ns) - 1
        if position >= 0 and ns <= workouts[position].end.value:
            return workouts[position]
        return None

    for element in _elements(opener, source):
        if element.tag != "Record":
            continue
        begin = _date(element.get("startDate"))
        if begin is None:
            continue
        if element.get("type") == HEART_RATE:
            workout = owner(begin[0].value)
            if workout is not None:
                workout.hr_times.append(begin[0].value)
                workout.hr_values.append(_number(element.get("value")))
            continue
        for beat_ns, rr_ms in _beats(element, begin[0], begin[1]):
            workout = owner(beat_ns)
            if workout is not None:
                workout.beats.append((beat_ns, rr_ms))


def _beats(record: SafeET.Element, start: pd.Timestamp,
           offset: dt.timedelta | None) -> Iterator[tuple[int, float]]:
    """(beat time in ns, RR in ms) of each beat of a series that follows another beat."""
    previous: int | None = None
    local_midnight = (start + (offset or dt.timedelta())).normalize()
    day_ns = 0
    for element in record.iter():
        since = element.get("timeSinceSeriesStart")
        if since is not None:
            beat = start.value + round(_number(since) * 1e9)
            if element.get("precededByGap") in ("1", "true", "yes"):
                previous = None
        elif element.tag == "InstantaneousBeatsPerMinute":
            of_day = _time_of_day(element.get("time"))
            if of_day is None:
                continue
            beat = local_midnight.value - int((offset or dt.timedelta()).total_seconds() * 1e9)
            beat += of_day + day_ns
            if previous is not None and beat < previous - 12 * 3600 * 10**9:  # past midnight
                day_ns += 86_400 * 10**9
                beat += 86_400 * 10**9
        else:
            continue
        if previous is not None and beat > previous:
            yield beat, (beat - previous) / 1e6
        previous = beat


def _time_of_day(text: str | None) -> int | None:
    """``8:00:01.23 AM`` or ``08:00:01,23`` -> ns since local midnight."""
    match = _TIME_OF_DAY.search(text or "")
    if match is None:
        return None
    hours, minutes, seconds, fraction, half = match.groups()
    hour = int(hours) % 12 + (12 if half in ("P", "p") else 0) if half else int(hours)
    fraction_ns = int((fraction or "0").ljust(9, "0")[:9])
    return ((hour * 60 + int(minutes)) * 60 + int(seconds)) * 10**9 + fraction_ns


def _activity(workout: _Workout, route_bytes: Callable[[str], bytes | None],
              source: str) -> Activity:
    warnings: list[str] = []
    samples = empty_samples()
    if workout.hr_times:
        heart = pd.DataFrame({"heart_rate": workout.hr_values}, index=pd.DatetimeIndex(
            pd.to_datetime(workout.hr_times, utc=True), name="time").as_unit("ns"))
        samples, quality = clean_samples(heart)
        warnings.extend(quality)
    if workout.route:
        data = route_bytes(workout.route)
        if data is None:
            warnings.append(f"route file {workout.route} is missing from the export")
        else:
            route = read_gpx(data, f"{source}!{workout.route}")
            warnings.extend(route.warnings)
            samples, quality = clean_samples(samples.combine_first(route.samples))
            warnings.extend(quality)
    rr = empty_rr()
    if workout.beats:
        beats = sorted(set(workout.beats))
        rr = pd.Series([ms for _, ms in beats], name="rr", dtype="float64",
                       index=pd.DatetimeIndex(pd.to_datetime([t for t, _ in beats], utc=True),
                                              name="time"))
    if samples.empty and rr.empty:
        warnings.append("no heart rate, beat or route recorded during this workout")
    sessions = pd.DataFrame([{"start": workout.start, "end": workout.end, "sport": workout.sport,
                              "sub_sport": None,
                              "elapsed_s": (workout.end - workout.start).total_seconds(),
                              **workout.summary}])
    meta = ActivityMeta(sport=workout.sport, start=workout.start, utc_offset=workout.offset,
                        manufacturer="apple", product=workout.source_name,
                        sha256=workout.key, format="apple_health",
                        decoder="myokinetics.apple_health", decoder_version="1")
    return Activity(samples=samples, rr=rr, sessions=sessions, meta=meta, warnings=warnings)
