"""Turn decoded FIT messages into the parts of a canonical activity.

The assembler consumes :class:`~myokinetics.ingest.fit_backends.FitMessage` one at a time (it
works the same for every backend) and keeps record fields in typed arrays, so memory stays close
to the size of the final DataFrames. :meth:`FitAssembler.build` applies the FIT-specific rules:
system-time anchoring, ``hr`` message merging, RR timeline rebuilding and session assignment.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from array import array
from collections import Counter
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from myokinetics.activity import empty_pauses, empty_rr
from myokinetics.ingest.quality import sort_and_merge

__all__ = ["FIT_EPOCH_UNIX_S", "RECORD_FIELDS", "FitAssembler", "FitParts", "developer_column",
           "message_end_time", "summarize_warnings"]

#: 1989-12-31T00:00:00Z, the FIT epoch, in Unix seconds.
FIT_EPOCH_UNIX_S = 631_065_600
#: FIT timestamps below this are seconds since device power-on ("system time"), not dates.
SYSTEM_TIME_LIMIT_S = 0x10000000
#: A strap `hr` event this close to a record time (s) gives that record its heart rate.
HR_MERGE_MAX_GAP_S = 3.0
#: Above this mismatch between the summed RR intervals and the recording's elapsed time the
#: rebuilt beat times are flagged as approximate (pauses make the sum drift).
RR_DRIFT_TOLERANCE = 0.05
SEMICIRCLES_TO_DEGREES = 180.0 / 2**31
#: Values converted at once where a whole-column temporary would cost memory.
_CHUNK = 1 << 13

# Record fields kept, in arrays of float64, NaN where absent.
# Canonical column <- FIT record fields, first present wins (enhanced fields are preferred).
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "heart_rate": ("heart_rate",),
    "power": ("power",),
    "cadence": ("cadence",),
    "fractional_cadence": ("fractional_cadence",),
    "speed": ("enhanced_speed", "speed"),
    "distance": ("distance",),
    "altitude": ("enhanced_altitude", "altitude"),
    "latitude": ("position_lat",),
    "longitude": ("position_long",),
    "temperature": ("temperature",),
}
_SUMMARY_COLUMNS = {
    "total_elapsed_time": "elapsed_s",
    "total_timer_time": "timer_s",
    "total_distance": "distance_m",
    "avg_heart_rate": "avg_heart_rate",
    "max_heart_rate": "max_heart_rate",
    "avg_power": "avg_power",
    "total_calories": "calories_kcal",
}


@dataclass
class FitParts:
    """Everything :func:`~myokinetics.ingest.fit.read_fit` needs to build an Activity."""

    samples: pd.DataFrame
    developer: pd.DataFrame
    rr: pd.Series
    laps: pd.DataFrame
    sessions: pd.DataFrame
    sport: str
    sub_sport: str | None
    start: pd.Timestamp | None
    utc_offset: dt.timedelta | None
    manufacturer: str | None
    product: str | None
    serial: str | None
    time_base: str
    pauses: pd.DataFrame = field(default_factory=empty_pauses)
    warnings: list[str] = field(default_factory=list)


def _to_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _text(value: Any) -> str | None:
    """A device string without NULs and unprintable bytes (some firmwares pad with garbage)."""
    if value is None:
        return None
    cleaned = "".join(ch for ch in str(value) if ch.isprintable() and ch != "\ufffd").strip()
    return cleaned or None


#: FIT ``event`` timer (0) and its ``event_type`` start (0) / stop, stop_all, stop_disable,
#: stop_disable_all (1, 4, 8, 9), as names or raw values.
_TIMER = (0, "timer")
_TIMER_START = (0, "start")
_TIMER_STOP = (1, 4, 8, 9, "stop", "stop_all", "stop_disable", "stop_disable_all")


def _enum_name(value: Any, prefix: str) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else f"{prefix}_{value}"


class FitAssembler:
    """Collect messages; :meth:`build` returns :class:`FitParts`."""

    def __init__(self) -> None:
        # record columns (FIT seconds / profile units), one entry per timed record
        self._times: array | np.ndarray = array("d")
        self._columns: dict[str, array | np.ndarray] = {
            name: array("d") for name in RECORD_FIELDS}
        self._untimed: list[tuple[dict[str, Any], dict[str, Any]]] = []  # awaiting a time
        self._untimed_placed = 0
        self._untimed_skipped = 0  # cut off before reaching the assembler (columnar input)
        # developer fields, sparse: column -> (record positions, values)
        self._developer: dict[str, tuple[array | np.ndarray, array | np.ndarray]] = {}
        self._developer_scaling: dict[str, tuple[float, float]] = {}  # key -> (scale, offset)
        # beat-to-beat data
        self._rr_seconds: array | np.ndarray = array("d")
        self._hr_messages: list[dict[str, Any]] = []
        # summaries and context (few messages)
        self._laps: list[dict[str, Any]] = []
        self._sessions: list[dict[str, Any]] = []
        self._file_ids: list[dict[str, Any]] = []
        self._creator: dict[str, Any] | None = None
        self._activity: dict[str, Any] | None = None
        self._sport: dict[str, Any] | None = None
        self._correlation: dict[str, Any] | None = None
        self._timer_events: list[tuple[float, bool]] = []  # (FIT s, True = the timer started)
        self.message_count = 0

    # --- collecting -------------------------------------------------------------------------

    def add(self, name: str, fields: dict[str, Any], developer: dict[str, Any]) -> None:
        """Consume one data message."""
        self.message_count += 1
        if self._untimed and name != "record":
            self._place_untimed(message_end_time(fields))
        if name == "record":
            self._add_record(fields, developer)
        elif name == "hrv":
            for value in _as_tuple(fields.get("time")):
                # 0xFFFF (65.535 s) pads unused slots when a decoder does not map it to None
                if value is not None and value < 65.535:
                    cast(array, self._rr_seconds).append(value)
        elif name == "hr":
            self._hr_messages.append(fields)
        elif name == "lap":
            self._laps.append(fields)
        elif name == "session":
            self._sessions.append(fields)
        elif name == "file_id":
            self._file_ids.append(fields)
        elif name == "device_info":
            if self._creator is None and fields.get("device_index") in ("creator", 0):
                self._creator = fields
        elif name == "activity":
            self._activity = self._activity or fields
        elif name == "sport":
            self._sport = self._sport or fields
        elif name == "field_description":
            self._add_field_description(fields)
        elif name == "timestamp_correlation":
            self._correlation = self._correlation or fields
        elif name == "event":
            self._add_timer_event(fields)

    def add_columns(self, times: np.ndarray, columns: MutableMapping[str, np.ndarray],
                    developer: MutableMapping[str, tuple[np.ndarray, np.ndarray]],
                    rr_seconds: np.ndarray, untimed: tuple[int, int] = (0, 0)) -> None:
        """Take every timed record of a file at once, as float64 columns in stream order
        (FIT seconds; :data:`RECORD_FIELDS` columns that some field feeds, in that order, NaN
        where absent; developer fields as
        record positions and values), and the hrv intervals (s). ``untimed``: how many records
        without a timestamp were placed at the next message's time, and how many were cut off.
        Used instead of adding record and hrv messages; the activity built is the same.

        ``columns`` and ``developer`` are taken over (left empty): the assembler then holds the
        only reference to their arrays and frees each once its frame is built."""
        self._times = times
        self._columns = dict[str, array | np.ndarray](columns)
        self._developer = dict[str, tuple[array | np.ndarray, array | np.ndarray]](developer)
        columns.clear()
        developer.clear()
        self._rr_seconds = rr_seconds
        self._untimed_placed, self._untimed_skipped = untimed

    def _add_timer_event(self, fields: dict[str, Any]) -> None:
        """Keep timer start and stop events (FIT event 0; names or raw enum values)."""
        timestamp = fields.get("timestamp")
        if fields.get("event") not in _TIMER or not isinstance(timestamp, (int, float)):
            return
        kind = fields.get("event_type")
        if kind in _TIMER_START or kind in _TIMER_STOP:
            self._timer_events.append((float(timestamp), kind in _TIMER_START))

    def _pauses(self, last: float) -> pd.DataFrame:
        """Spans (UTC) from a timer stop to the next start; a stop with records after it and
        no start closes at the last record (``last``, FIT s, NaN without records)."""
        offset = self._system_time_offset()
        spans: list[tuple[float, float]] = []
        stopped: float | None = None
        for time, started in sorted(self._timer_events):
            if time < SYSTEM_TIME_LIMIT_S and offset is not None:
                time += offset
            if not started and stopped is None:
                stopped = time
            elif started and stopped is not None:
                if time > stopped:
                    spans.append((stopped, time))
                stopped = None
        if stopped is not None and last > stopped:
            spans.append((stopped, last))
        if not spans:
            return empty_pauses()
        starts, ends = np.array(spans).T
        return pd.DataFrame({"start": _utc_index(starts), "end": _utc_index(ends)})

    def _add_record(self, fields: dict[str, Any], developer: dict[str, Any]) -> None:
        timestamp = fields.get("timestamp")
        if not isinstance(timestamp, (int, float)):
            self._untimed.append((fields, developer))
            return
        if self._untimed:
            self._place_untimed(timestamp)
        self._append_record(timestamp, fields, developer)

    def _place_untimed(self, time: float | None) -> None:
        """Old pool-swim files write records without a timestamp just before the ``length``
        message they belong to: they take the end time of the next timed message."""
        if time is None:
            return
        for fields, developer in self._untimed:
            self._append_record(time, fields, developer)
        self._untimed_placed += len(self._untimed)
        self._untimed = []

    def _append_record(self, timestamp: float, fields: dict[str, Any],
                       developer: dict[str, Any]) -> None:
        # message by message, every column is still an array (add_columns replaces them all)
        cast(array, self._times).append(timestamp)
        for name, column in cast(dict[str, array], self._columns).items():
            for key in RECORD_FIELDS[name]:
                value = fields.get(key)
                if value is not None:
                    break
            try:
                column.append(math.nan if value is None else value)
            except TypeError:  # arrays or strings where a number belongs
                column.append(_to_float(value))
        if developer:
            position = len(self._times) - 1
            for key, value in developer.items():
                if key not in self._developer:
                    self._developer[key] = (array("q"), array("d"))
                positions, values = cast(tuple[array, array], self._developer[key])
                positions.append(position)
                values.append(_to_float(value))

    def _add_field_description(self, fields: dict[str, Any]) -> None:
        """Decoders leave developer values unscaled; keep the description's scale and offset."""
        scale, offset = _to_float(fields.get("scale")), _to_float(fields.get("offset"))
        if math.isnan(scale) and math.isnan(offset):
            return
        key = developer_column(fields.get("developer_data_index"), fields.get("field_name"),
                                fields.get("field_definition_number"))
        self._developer_scaling[key] = (1.0 if math.isnan(scale) or scale == 0 else scale,
                                        0.0 if math.isnan(offset) else offset)

    @property
    def record_count(self) -> int:
        """Timed records collected so far."""
        return len(self._times)

    # --- building ---------------------------------------------------------------------------

    def build(self) -> FitParts:
        """Apply the FIT rules and return the activity parts."""
        warnings: list[str] = []
        if self._untimed_placed:
            warnings.append(f"{self._untimed_placed} records without a timestamp placed at the "
                            "end time of the next timed message (pool-swim lengths)")
        skipped = len(self._untimed) + self._untimed_skipped
        if skipped:
            warnings.append(f"{skipped} records without a timestamp skipped: no timed "
                            "message follows them")
        times, time_base = self._absolute_times(warnings)
        placed = ~np.isnan(times)
        developer = self._developer_frame(times, placed)
        samples, last_time = self._samples_frame(times, placed, warnings)
        index = pd.DatetimeIndex(samples.index)
        sessions = self._summary_frame(self._sessions, with_sport=True)
        laps = self._summary_frame(self._laps, with_sport=True)
        if len(sessions) > 1:
            samples["session"] = _assign_sessions(index, sessions)
        start = _first_start(index, sessions)
        sport, sub_sport = self._sport_names(sessions)
        file_id = next((f for f in self._file_ids if f.get("type") == "activity"),
                       self._file_ids[0] if self._file_ids else {})
        if file_id.get("type") not in (None, "activity"):
            warnings.append(f"FIT file type is {file_id['type']!r}, not an activity")
        return FitParts(
            samples=samples,
            developer=developer,
            rr=self._rr_series(start, index, warnings),
            laps=laps,
            sessions=sessions,
            sport=sport,
            sub_sport=sub_sport,
            start=start,
            utc_offset=self._utc_offset(),
            manufacturer=_enum_name(file_id.get("manufacturer"), "manufacturer"),
            product=self._product(file_id),
            serial=None if file_id.get("serial_number") is None
            else str(file_id["serial_number"]),
            time_base=time_base,
            pauses=self._pauses(last_time),
            warnings=warnings,
        )

    def _absolute_times(self, warnings: list[str]) -> tuple[np.ndarray, str]:
        """Record times in FIT seconds, anchored when the device wrote system time."""
        times = np.frombuffer(self._times, dtype=np.float64)  # a view: edited in place
        relative = times < SYSTEM_TIME_LIMIT_S
        if not relative.any():
            return times, "absolute"
        offset = self._system_time_offset()
        if offset is not None:
            times[relative] += offset
            warnings.append(f"{int(relative.sum())} record timestamps were device system time; "
                            "anchored with the timestamp_correlation message")
            return times, "absolute"
        if relative.all():
            warnings.append("timestamps are seconds since device power-on and the file has no "
                            "timestamp_correlation: times are relative, the date is unknown")
            return times, "relative"
        # a few system-time records before the clock was set: no way to place them
        warnings.append(f"{int(relative.sum())} records with device system time (before the "
                        "clock was set) dropped: they cannot be placed in time")
        times[relative] = np.nan
        return times, "absolute"

    def _system_time_offset(self) -> float | None:
        corr = self._correlation
        if not corr or "timestamp" not in corr or "system_timestamp" not in corr:
            return None
        utc = corr["timestamp"] + corr.get("fractional_timestamp", 0.0)
        system = corr["system_timestamp"] + corr.get("fractional_system_timestamp", 0.0)
        return float(utc - system)

    def _samples_frame(self, times: np.ndarray, placed: np.ndarray,
                       warnings: list[str]) -> tuple[pd.DataFrame, float]:
        """Canonical columns as views of the collected arrays, converted, sorted and merged
        in place, with the strap heart rate merged; returns the frame and its last time (FIT
        s, NaN when empty).

        Memory matters here (a 100,000-record file): no column is copied whole, the arrays
        that do not become columns are released, and the index is written over ``times``.
        """
        col = {name: np.frombuffer(values, dtype=np.float64)
               for name, values in self._columns.items()}
        self._columns = {}
        col = {name: values for name, values in col.items() if not np.isnan(values).all()}
        if not placed.all():
            keep = np.flatnonzero(placed)
            times = _keep_in_place(times, keep)
            col = {name: _keep_in_place(values, keep) for name, values in col.items()}
            del keep
        times, col = sort_and_merge(times, col, warnings)
        fractional = col.pop("fractional_cadence", None)
        if fractional is not None and "cadence" in col:
            np.add(col["cadence"], fractional, out=col["cadence"], where=~np.isnan(fractional))
        for name in ("latitude", "longitude"):
            if name in col:
                col[name] *= SEMICIRCLES_TO_DEGREES
        self._merge_strap_heart_rate(col, times, warnings)
        present = {name: values for name, values in col.items() if not np.isnan(values).all()}
        last = float(times[-1]) if len(times) else math.nan  # sorted, all placed
        return pd.DataFrame(present, index=_utc_index(times, in_place=True), copy=False), last

    def _developer_frame(self, times: np.ndarray, placed: np.ndarray) -> pd.DataFrame:
        """Developer fields on the times (FIT s) of the records that carry at least one."""
        sparse = {key: (np.frombuffer(positions, dtype=np.int64), np.frombuffer(values))
                  for key, (positions, values) in self._developer.items()}
        self._developer = {}
        carrying = np.zeros(len(placed), dtype=bool)  # a mask, not a union of the positions
        for positions, _ in sparse.values():
            carrying[positions] = True
        rows = np.flatnonzero(carrying & placed)
        del carrying
        columns: dict[str, np.ndarray] = {}
        for key in list(sparse):
            positions, values = sparse.pop(key)  # freed as soon as its column is made
            keep = placed[positions]
            column = np.full(len(rows), np.nan)
            column[np.searchsorted(rows, positions[keep])] = values[keep]
            if key in self._developer_scaling:
                scale, offset = self._developer_scaling[key]
                column /= scale
                column -= offset
            if not np.isnan(column).all():
                columns[key] = column
        frame = pd.DataFrame(columns, index=_utc_index(times[rows]), copy=False)
        return frame if frame.index.is_unique else frame.groupby(level=0).first()

    def _merge_strap_heart_rate(self, columns: dict[str, np.ndarray], times: np.ndarray,
                                warnings: list[str]) -> None:
        """Give records (``columns`` at ``times``, FIT s) the heart rate a chest strap stored
        in ``hr`` messages.

        ``hr.event_timestamp`` counts in the strap's own clock; the ``hr`` message that carries
        a ``timestamp`` ties that clock to UTC (its first event happened at that timestamp).
        Strap values replace the watch's: a chest strap beats optical HR, above all under water.
        """
        event_times, event_bpm = _strap_events(self._hr_messages)
        if len(event_times) == 0 or len(times) == 0:
            return
        order = np.argsort(event_times, kind="stable")
        event_times, event_bpm = event_times[order], event_bpm[order]
        nearest = np.clip(np.searchsorted(event_times, times), 1, len(event_times) - 1)
        gap = np.minimum(np.abs(event_times[nearest] - times),
                         np.abs(event_times[nearest - 1] - times))
        covered = gap <= HR_MERGE_MAX_GAP_S
        if not covered.any():
            warnings.append(f"{len(event_times)} strap heart-rate events found, none within "
                            f"{HR_MERGE_MAX_GAP_S:g} s of a record; not merged")
            return
        merged = np.interp(times, event_times, event_bpm)
        watch = columns.get("heart_rate", np.full(len(times), np.nan))
        filled = int((covered & np.isnan(watch)).sum())
        replaced = int((covered & ~np.isnan(watch)).sum())
        columns["heart_rate"] = np.where(covered, merged, watch)
        warnings.append(f"heart rate from {len(event_times)} chest-strap events (hr messages) "
                        f"merged: {filled} samples filled, {replaced} watch values replaced")

    def _summary_frame(self, messages: list[dict[str, Any]], with_sport: bool) -> pd.DataFrame:
        rows = []
        for message in messages:
            start = message.get("start_time", message.get("timestamp"))
            if not isinstance(start, (int, float)) or start < SYSTEM_TIME_LIMIT_S:
                continue
            row: dict[str, Any] = {"start": start}
            elapsed = _to_float(message.get("total_elapsed_time"))
            row["end"] = start + (elapsed if not math.isnan(elapsed) else 0.0)
            if with_sport:
                row["sport"] = _enum_name(message.get("sport"), "sport")
                row["sub_sport"] = _enum_name(message.get("sub_sport"), "sub_sport")
            for key, column in _SUMMARY_COLUMNS.items():
                row[column] = _to_float(message.get(key))
            rows.append(row)
        if not rows:
            return pd.DataFrame(columns=["start", "end", "sport", "sub_sport",
                                         *_SUMMARY_COLUMNS.values()])
        frame = pd.DataFrame(rows).sort_values("start", kind="stable").reset_index(drop=True)
        frame["start"] = _utc_index(frame["start"].to_numpy(dtype=float))
        frame["end"] = _utc_index(frame["end"].to_numpy(dtype=float))
        return frame

    def _sport_names(self, sessions: pd.DataFrame) -> tuple[str, str | None]:
        if len(sessions):
            sports = [s for s in sessions["sport"].dropna() if s != "transition"]
            distinct = list(dict.fromkeys(sports))
            if len(distinct) > 1:
                return "multisport", None
            if distinct:
                first = sessions[sessions["sport"] == distinct[0]].iloc[0]
                return distinct[0], first["sub_sport"]
        for source in (self._sport, self._laps[0] if self._laps else None):
            if source and source.get("sport") is not None:
                return (_enum_name(source["sport"], "sport") or "generic",
                        _enum_name(source.get("sub_sport"), "sub_sport"))
        return "generic", None

    def _utc_offset(self) -> dt.timedelta | None:
        activity = self._activity or {}
        utc, local = activity.get("timestamp"), activity.get("local_timestamp")
        if not isinstance(utc, (int, float)) or not isinstance(local, (int, float)):
            return None
        quarter_hours = round((local - utc) / 900.0)
        if abs(quarter_hours) > 14 * 4:
            return None
        return dt.timedelta(minutes=15 * quarter_hours)

    def _product(self, file_id: dict[str, Any]) -> str | None:
        creator = self._creator or {}
        for source in (creator, file_id):
            if _text(source.get("product_name")):
                return _text(source["product_name"])
        for source in (file_id, creator):
            for key in ("garmin_product", "favero_product", "product"):
                if source.get(key) is not None:
                    return str(source[key])
        return None

    def _rr_series(self, start: pd.Timestamp | None, index: pd.DatetimeIndex,
                   warnings: list[str]) -> pd.Series:
        """RR intervals (ms) at the time of the beat that ends each one.

        ``hrv`` messages carry no timestamp, so beat times are the cumulative sum of the
        intervals from the activity start.
        """
        if not len(self._rr_seconds):
            return empty_rr()
        rr_s = np.frombuffer(self._rr_seconds, dtype=np.float64)
        origin = start if start is not None else pd.Timestamp(FIT_EPOCH_UNIX_S, unit="s",
                                                              tz="UTC")
        total = float(rr_s.sum())
        if len(index) > 1:
            elapsed = (index[-1] - index[0]).total_seconds()
            if elapsed > 0 and abs(total - elapsed) > RR_DRIFT_TOLERANCE * elapsed:
                warnings.append(
                    f"RR intervals sum to {total:.0f} s but the recording spans {elapsed:.0f} s "
                    "(pauses or dropped beats): rebuilt beat times drift from the record clock")
        beat_ns = _elapsed_ns(rr_s)
        beat_ns += origin.value
        beats = pd.DatetimeIndex(beat_ns, tz="UTC", name="time", copy=False)
        rr_s *= 1000.0  # now milliseconds
        self._rr_seconds = array("d")
        return pd.Series(rr_s, index=beats, name="rr", copy=False)


def developer_column(data_index: Any, name: Any, number: Any) -> str:
    return f"dev.{data_index}.{name if name else number}"


def message_end_time(fields: dict[str, Any]) -> float | None:
    """A message's time (FIT s): its timestamp, else ``start_time + total_elapsed_time``."""
    timestamp = fields.get("timestamp")
    if isinstance(timestamp, (int, float)):
        return float(timestamp)
    start, elapsed = fields.get("start_time"), fields.get("total_elapsed_time")
    if isinstance(start, (int, float)) and isinstance(elapsed, (int, float)):
        return float(start + elapsed)
    return None


def _utc_index(fit_seconds: np.ndarray, in_place: bool = False) -> pd.DatetimeIndex:
    """UTC index from FIT seconds, converted a chunk at a time so that no float copy of all
    the times is made; ``in_place``: written over ``fit_seconds`` (float64), which then no
    longer hold seconds, else into one new int64 array."""
    seconds = np.asarray(fit_seconds, dtype=np.float64)
    nanoseconds = seconds.view(np.int64) if in_place else np.empty(len(seconds), np.int64)
    for start in range(0, len(seconds), _CHUNK):
        part = (seconds[start:start + _CHUNK] + FIT_EPOCH_UNIX_S) * 1e9
        nanoseconds[start:start + _CHUNK] = np.round(part, out=part)
    return pd.DatetimeIndex(nanoseconds, tz="UTC", name="time", copy=False)


def _elapsed_ns(intervals_s: np.ndarray) -> np.ndarray:
    """The running sum of ``intervals_s`` in whole nanoseconds, a chunk at a time (these
    arrays can hold 100,000 beats): the same float additions as one cumsum."""
    out = np.empty(len(intervals_s), dtype=np.int64)
    carry = np.zeros(1)
    for start in range(0, len(intervals_s), _CHUNK):
        part = np.cumsum(np.concatenate((carry, intervals_s[start:start + _CHUNK])))
        carry = part[-1:].copy()
        part *= 1e9
        out[start:start + _CHUNK] = np.round(part, out=part)[1:]
    return out


def _keep_in_place(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``values[keep]`` (ascending positions) moved to the front of ``values``: a view, so
    that only one column at a time is copied."""
    values[:len(keep)] = values[keep]
    return values[:len(keep)]


def _first_start(index: pd.DatetimeIndex, sessions: pd.DataFrame) -> pd.Timestamp | None:
    candidates = []
    if len(index):
        candidates.append(index.min())
    if len(sessions):
        candidates.append(sessions["start"].min())
    return min(candidates) if candidates else None


def _assign_sessions(index: pd.DatetimeIndex, sessions: pd.DataFrame) -> np.ndarray:
    """Session number (row of ``sessions``) of every sample, NaN outside every session."""
    starts = sessions["start"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    ends = sessions["end"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    times = index.asi8
    position = np.searchsorted(starts, times, side="right") - 1
    inside = (position >= 0) & (times <= ends[np.clip(position, 0, None)] + 1_000_000_000)
    return np.where(inside, position, np.nan).astype(np.float64)


def _unpack_event_timestamp_12(packed: Any) -> list[int]:
    """The 12-bit strap-clock increments (1/1024 s) packed little-endian in
    ``hr.event_timestamp_12`` (12 bytes hold 8 values)."""
    raw = bytes(int(b) for b in _as_tuple(packed) if b is not None)
    bits = int.from_bytes(raw, "little")
    return [(bits >> (12 * i)) & 0xFFF for i in range(len(raw) * 8 // 12)]


def _strap_events(messages: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """UTC (FIT seconds) and bpm of every strap heart-rate event in ``hr`` messages.

    The strap counts ``event_timestamp`` in its own clock (1/1024 s). A message with full
    ``event_timestamp`` values and a ``timestamp`` ties that clock to UTC; the messages after it
    carry only the low 12 bits of each event time (``event_timestamp_12``), accumulated from the
    previous full value as the FIT profile prescribes. Decoders expand those components
    differently, so they are decoded here from the raw bytes.
    """
    times: list[float] = []
    bpm: list[float] = []
    anchor_utc: float | None = None
    anchor_clock = 0  # strap clock at anchor_utc (1/1024 s)
    clock: int | None = None  # last full strap clock value (1/1024 s)
    for message in messages:
        values = [_to_float(v) for v in _as_tuple(message.get("filtered_bpm"))]
        if "event_timestamp_12" in message:
            if clock is None:
                continue
            events = []
            for low_bits in _unpack_event_timestamp_12(message["event_timestamp_12"]):
                clock = (clock & ~0xFFF) + low_bits + (0x1000 if low_bits < (clock & 0xFFF) else 0)
                events.append(clock)
        else:
            events = [round(_to_float(v) * 1024) for v in _as_tuple(message.get("event_timestamp"))
                      if not math.isnan(_to_float(v))]
            if not events:
                continue
            clock = events[-1]
        timestamp = message.get("timestamp")
        if isinstance(timestamp, (int, float)) and timestamp >= SYSTEM_TIME_LIMIT_S:
            fraction = _to_float(message.get("fractional_timestamp"))
            anchor_utc = timestamp + (0.0 if math.isnan(fraction) else fraction)
            anchor_clock = events[0]
        if anchor_utc is None:
            continue
        for event, value in zip(events, values, strict=False):
            if not math.isnan(value):
                times.append(anchor_utc + (event - anchor_clock) / 1024.0)
                bpm.append(value)
    return np.asarray(times, dtype=np.float64), np.asarray(bpm, dtype=np.float64)


def summarize_warnings(lines: list[str], limit: int = 3) -> list[str]:
    """Decoder warnings grouped by their wording (numbers aside): one example of each kind,
    the most frequent first, with its count; at most ``limit`` kinds plus a line for the rest."""
    groups: Counter[str] = Counter()
    example: dict[str, str] = {}
    for line in lines:
        text = " ".join(line.split())[:200]
        kind = re.sub(r"\d+", "#", text)
        groups[kind] += 1
        example.setdefault(kind, text)
    ordered = [f"decoder: {example[kind]}" + (f" (and {n - 1} alike)" if n > 1 else "")
               for kind, n in groups.most_common()]
    if len(ordered) > limit:
        rest = sum(n for _, n in groups.most_common()[limit:])
        ordered = [*ordered[:limit], f"decoder: {rest} more warnings of other kinds"]
    return ordered
