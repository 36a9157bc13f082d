"""Write an :class:`~myokinetics.activity.Activity` as a FIT activity file.

Messages, in file order (global numbers and fields from the FIT SDK profile, Profile.xlsx):
``file_id`` (0), ``device_info`` (23), a timer-start ``event`` (21), ``record`` (20) messages
with the ``hrv`` (78) messages of the beats up to each record interleaved, a timer-stop
``event``, one ``lap`` (19) per lap, one ``session`` (18) per session and ``activity`` (34).

Resolution (what a read-back can differ by): time 1 s (records are whole FIT seconds),
heart rate and power 1, cadence 1/128 1/min, speed 1 mm/s, distance 1 cm, altitude 0.2 m,
position 180/2^31 degrees, temperature 1 °C, RR 1 ms. RR beat times are not stored by FIT
(``hrv`` holds intervals only): a reader rebuilds them as the activity start plus the running
sum, which gives back the source's times when its first beat ended one interval after the
start and no beat was lost.
"""

from __future__ import annotations

from typing import overload

import numpy as np
import pandas as pd

from myokinetics.activity import Activity
from myokinetics.export.fit_encode import Field, MessageBlock, fit_file

__all__ = ["SPORTS", "fit_bytes"]

#: FIT epoch (1989-12-31T00:00:00Z) in Unix seconds.
FIT_EPOCH_S = 631_065_600
#: myokinetics sport name -> FIT ``sport`` enum (Profile.xlsx, type "sport").
SPORTS = {"generic": 0, "running": 1, "cycling": 2, "transition": 3, "fitness_equipment": 4,
          "swimming": 5, "training": 10, "walking": 11, "cross_country_skiing": 12,
          "rowing": 15, "mountaineering": 16, "hiking": 17, "multisport": 18, "paddling": 19}
_MANUFACTURER_DEVELOPMENT = 255
_EVENT_TIMER, _EVENT_SESSION, _EVENT_LAP, _EVENT_ACTIVITY = 0, 8, 9, 26
_TYPE_START, _TYPE_STOP, _TYPE_STOP_ALL = 0, 1, 4
_HRV_PER_MESSAGE = 5
_SEMICIRCLES_PER_DEGREE = 2**31 / 180.0


def fit_bytes(activity: Activity) -> bytes:
    """The activity as FIT file bytes (protocol 2.0, little endian).

    Raises
    ------
    ValueError
        When the activity has neither samples nor RR intervals (nothing to write).
    """
    samples = activity.samples
    if samples.empty and activity.rr.empty:
        raise ValueError("the activity has no samples and no RR intervals")
    start = _start(activity)
    end = max(t for t in (samples.index.max(), activity.rr.index.max(), start) if pd.notna(t))
    blocks = [
        (0, _one(0, [(0, "enum", 4), (1, "uint16", _MANUFACTURER_DEVELOPMENT), (2, "uint16", 0),
                     (4, "uint32", _fit_s(start))])),
        (1, _one(23, [(253, "uint32", _fit_s(start)), (0, "uint8", 0),
                      (2, "uint16", _MANUFACTURER_DEVELOPMENT), (4, "uint16", 0)])),
        (2, _event(start, _TYPE_START)),
    ]
    body = b"".join(block.definition(local) + block.packed(local).tobytes()
                    for local, block in blocks)
    body += _records_and_hrv(samples, activity.rr, start)
    summaries = [(2, _event(end, _TYPE_STOP_ALL))]
    laps = _spans(activity.laps, start, end, activity.meta.sport)
    sessions = _spans(activity.sessions, start, end, activity.meta.sport)
    summaries.append((5, _summary(19, laps, samples, lap=True)))
    summaries.append((6, _summary(18, sessions, samples, lap=False, laps=laps)))
    timer = float(sessions["timer_s"].sum())
    offset = activity.meta.utc_offset
    local_end = _fit_s(end) + (0 if offset is None else offset.total_seconds())
    summaries.append((7, _one(34, [(253, "uint32", _fit_s(end)), (0, "uint32", timer * 1000),
                                   (1, "uint16", len(sessions)), (2, "enum", 0),
                                   (3, "enum", _EVENT_ACTIVITY), (4, "enum", _TYPE_STOP),
                                   (5, "uint32", local_end if offset is not None else np.nan)])))
    body += b"".join(block.definition(local) + block.packed(local).tobytes()
                     for local, block in summaries)
    return fit_file(body)


@overload
def _fit_s(time: pd.Timestamp) -> float: ...
@overload
def _fit_s(time: pd.DatetimeIndex) -> np.ndarray: ...
def _fit_s(time: pd.Timestamp | pd.DatetimeIndex) -> np.ndarray | float:
    """FIT time (whole seconds since the FIT epoch), rounded to the nearest second."""
    if isinstance(time, pd.DatetimeIndex):
        return np.round(time.as_unit("ns").asi8 / 1e9) - FIT_EPOCH_S
    return round(time.value / 1e9) - FIT_EPOCH_S


def _one(global_number: int, fields: list[tuple[int, str, float]]) -> MessageBlock:
    return MessageBlock(global_number, tuple(Field(n, t, np.array([v], dtype="float64"))
                                             for n, t, v in fields))


def _event(time: pd.Timestamp, event_type: int) -> MessageBlock:
    return _one(21, [(253, "uint32", _fit_s(time)), (0, "enum", _EVENT_TIMER),
                     (1, "enum", event_type), (4, "uint8", 0)])


def _start(activity: Activity) -> pd.Timestamp:
    candidates = [activity.meta.start, *(s.index.min() for s in (activity.samples, activity.rr)
                                         if len(s.index))]
    if len(activity.rr):  # the first beat's interval began before it
        candidates.append(activity.rr.index[0] - pd.Timedelta(activity.rr.iloc[0], unit="ms"))
    return min(t for t in candidates if t is not None and pd.notna(t))


def _records_and_hrv(samples: pd.DataFrame, rr: pd.Series, start: pd.Timestamp) -> bytes:
    """Record messages, each followed by the hrv messages of the beats ending up to it."""
    out = b""
    record_rows = np.empty((0, 0), dtype=np.uint8)
    record_times = np.empty(0, dtype=np.int64)
    if len(samples):
        block = _record_block(samples)
        out += block.definition(3)
        record_rows = block.packed(3)
        assert isinstance(samples.index, pd.DatetimeIndex)  # samples are indexed by time
        record_times = samples.index.as_unit("ns").asi8
    hrv_rows = np.empty((0, 0), dtype=np.uint8)
    hrv_times = np.empty(0, dtype=np.int64)
    if len(rr):
        values = np.full(-(-len(rr) // _HRV_PER_MESSAGE) * _HRV_PER_MESSAGE, np.nan)
        values[:len(rr)] = rr.to_numpy(dtype="float64")  # ms = s * 1000 (the field's scale)
        block = MessageBlock(78, (Field(0, "uint16", values.reshape(-1, _HRV_PER_MESSAGE),
                                        _HRV_PER_MESSAGE),))
        out += block.definition(4)
        hrv_rows = block.packed(4)
        beats = pd.DatetimeIndex(rr.index).as_unit("ns").asi8
        hrv_times = np.append(beats[_HRV_PER_MESSAGE - 1::_HRV_PER_MESSAGE], beats[-1])
        hrv_times = hrv_times[:len(hrv_rows)]
    keys = np.concatenate([record_times * 2, hrv_times * 2 + 1])  # a record first at a tie
    rows = [*record_rows, *hrv_rows]
    return out + b"".join(rows[i].tobytes() for i in np.argsort(keys, kind="stable"))


def _record_block(samples: pd.DataFrame) -> MessageBlock:
    def column(name: str, factor: float = 1.0, offset: float = 0.0) -> np.ndarray | None:
        if name not in samples:
            return None
        return (samples[name].to_numpy(dtype="float64") + offset) * factor

    assert isinstance(samples.index, pd.DatetimeIndex)  # samples are indexed by time
    fields = [Field(253, "uint32", _fit_s(samples.index))]
    cadence = column("cadence")
    wanted = [(0, "sint32", column("latitude", _SEMICIRCLES_PER_DEGREE)),
              (1, "sint32", column("longitude", _SEMICIRCLES_PER_DEGREE)),
              (3, "uint8", column("heart_rate")),
              (4, "uint8", None if cadence is None else np.floor(cadence)),
              (53, "uint8", None if cadence is None else (cadence - np.floor(cadence)) * 128),
              (5, "uint32", column("distance", 100.0)),
              (7, "uint16", column("power")),
              (13, "sint8", column("temperature")),
              (73, "uint32", column("speed", 1000.0)),
              (78, "uint32", column("altitude", 5.0, 500.0))]
    fields += [Field(n, t, v) for n, t, v in wanted if v is not None]
    return MessageBlock(20, tuple(fields))


def _spans(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
           sport: str) -> pd.DataFrame:
    """Start, end, sport and timer time (s) of each lap or session; one span when none."""
    if len(frame) and "start" in frame and frame["start"].notna().all():
        spans = pd.DataFrame({"start": pd.to_datetime(frame["start"], utc=True),
                              "end": pd.to_datetime(frame["end"], utc=True)})
        spans["end"] = spans["end"].fillna(spans["start"])
        spans["sport"] = frame["sport"].fillna(sport) if "sport" in frame else sport
        elapsed = (spans["end"] - spans["start"]).dt.total_seconds()
        timer = frame.get("timer_s", elapsed)
        spans["timer_s"] = pd.to_numeric(timer, errors="coerce").fillna(elapsed)
        return spans.reset_index(drop=True)
    return pd.DataFrame({"start": [start], "end": [end], "sport": [sport],
                         "timer_s": [(end - start).total_seconds()]})


def _summary(global_number: int, spans: pd.DataFrame, samples: pd.DataFrame, lap: bool,
             laps: pd.DataFrame | None = None) -> MessageBlock:
    """Lap (19) or session (18) messages; averages and maxima from the samples in the span."""
    stats = {name: np.full(len(spans), np.nan) for name in
             ("avg_hr", "max_hr", "avg_power", "max_power", "distance")}
    for row, (begin, finish) in enumerate(zip(spans["start"], spans["end"], strict=True)):
        inside = samples[(samples.index >= begin) & (samples.index <= finish)]
        if "heart_rate" in inside and inside["heart_rate"].notna().any():
            stats["avg_hr"][row] = inside["heart_rate"].mean()
            stats["max_hr"][row] = inside["heart_rate"].max()
        if "power" in inside and inside["power"].notna().any():
            stats["avg_power"][row] = inside["power"].mean()
            stats["max_power"][row] = inside["power"].max()
        if "distance" in inside and inside["distance"].notna().any():
            stats["distance"][row] = inside["distance"].max() - inside["distance"].min()
    elapsed = (spans["end"] - spans["start"]).dt.total_seconds().to_numpy() * 1000
    sport = np.array([SPORTS.get(s, 0) for s in spans["sport"]], dtype="float64")
    common = [Field(254, "uint16", np.arange(len(spans), dtype="float64")),
              Field(253, "uint32", _fit_s(pd.DatetimeIndex(spans["end"]))),
              Field(0, "enum", np.full(len(spans), _EVENT_LAP if lap else _EVENT_SESSION)),
              Field(1, "enum", np.full(len(spans), _TYPE_STOP)),
              Field(2, "uint32", _fit_s(pd.DatetimeIndex(spans["start"]))),
              Field(7, "uint32", elapsed),
              Field(8, "uint32", spans["timer_s"].to_numpy(dtype="float64") * 1000),
              Field(9, "uint32", stats["distance"] * 100)]
    if lap:  # lap: 15/16 heart rate, 19/20 power, 25 sport
        numbers = (15, 16, 19, 20, 25)
        extra: list[Field] = []
    else:  # session: 16/17 heart rate, 20/21 power, 5 sport, 25 first lap, 26 lap count
        numbers = (16, 17, 20, 21, 5)
        laps = laps if laps is not None else spans
        first_lap = np.searchsorted(laps["start"].to_numpy(), spans["start"].to_numpy())
        lap_end = np.searchsorted(laps["start"].to_numpy(), spans["end"].to_numpy(),
                                  side="right")
        extra = [Field(25, "uint16", first_lap.astype("float64")),
                 Field(26, "uint16", np.maximum(lap_end - first_lap, 1).astype("float64"))]
    values = (stats["avg_hr"], stats["max_hr"], stats["avg_power"], stats["max_power"], sport)
    types = ("uint8", "uint8", "uint16", "uint16", "enum")
    common += [Field(n, t, v) for n, t, v in zip(numbers, types, values, strict=True)]
    return MessageBlock(global_number, tuple(common + extra))
