"""Turn a :class:`~tools.fitgen_spec.WorkoutSpec` into FIT bytes through ``fit-tool``.

Message order follows a Garmin watch: ``file_id``, developer-field descriptions, ``device_info``,
a timer-start ``event``, then ``record`` messages each followed by the ``hrv`` messages of the
beats that ended since the previous record (up to 5 RR values each, padded with the FIT invalid
value 0xFFFF), a ``lap`` after each lap's last record, a ``session`` after each session's last
lap, and finally a timer ``stop_all`` event and the ``activity`` message.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
from fit_tool.base_type import BaseType
from fit_tool.developer_field import DeveloperField
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.message import Message
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.developer_data_id_message import DeveloperDataIdMessage
from fit_tool.profile.messages.device_info_message import DeviceInfoMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.field_description_message import FieldDescriptionMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.hrv_message import HrvMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import (
    Activity,
    AntNetwork,
    Event,
    EventType,
    FileType,
    Intensity,
    LapTrigger,
    SessionTrigger,
    SourceType,
    Sport,
    SubSport,
)

from tools.fitgen_spec import Lap, Session, WorkoutSpec

__all__ = ["RR_PER_HRV", "encode", "unix_ms"]

#: RR values per ``hrv`` message, as Garmin watches write them.
RR_PER_HRV = 5
#: The uint16 invalid value, as seconds in the ``hrv.time`` field (scale 1000).
_HRV_PAD_S = 65.535
#: FIT epoch (1989-12-31T00:00:00Z) for ``local_date_time`` fields, which fit-tool stores raw.
_FIT_EPOCH = pd.Timestamp("1989-12-31", tz="UTC")
#: One local message number per message type, so interleaving never forces re-definitions.
_LOCAL_ID = {
    "file_id": 0,
    "event": 1,
    "device_info": 2,
    "record": 3,
    "hrv": 4,
    "lap": 5,
    "session": 6,
    "activity": 7,
    "developer_data_id": 8,
    "field_description": 9,
}


def unix_ms(ts: pd.Timestamp) -> int:
    """Milliseconds since 1970-01-01 UTC, the unit of fit-tool's ``date_time`` setters."""
    return int(ts.value // 1_000_000)


def encode(spec: WorkoutSpec) -> bytes:
    """FIT bytes (header, records, CRC) of ``spec``, built by fit-tool's ``FitFileBuilder``.

    The builder runs in strict mode, so fit-tool's wire, profile and file-type validation
    must pass before any byte is returned.
    """
    builder = FitFileBuilder(auto_define=True, strict=True)
    for message in _messages(spec):
        builder.add(message)
    return builder.build().to_bytes()


def _messages(spec: WorkoutSpec) -> Iterator[Message]:
    times = spec.times()
    created = spec.time_created if spec.time_created is not None else spec.start
    yield _file_id(spec, created)
    yield from _developer_definitions(spec)
    yield from _device_infos(spec, times[0])
    yield _event(times[0], EventType.START)
    yield from _body(spec, times)
    end = _end_time(times, len(times))
    yield _event(end, EventType.STOP_ALL)
    yield _activity(spec, times, end)


def _body(spec: WorkoutSpec, times: pd.DatetimeIndex) -> Iterator[Message]:
    """Records with their hrv messages, laps and sessions, in time order."""
    beats_s = np.cumsum(np.asarray(spec.rr_ms, dtype=np.int64)) / 1000.0
    elapsed = spec.records["elapsed_s"].to_numpy(dtype=np.int64)
    # index of the first beat not yet written after each record
    beat_stop = np.searchsorted(beats_s, elapsed, side="right")
    beat_stop[-1] = len(beats_s)
    lap_ends = {lap.stop - 1: (i, lap) for i, lap in enumerate(spec.laps)}
    session_ends = {s.stop - 1: (i, s) for i, s in enumerate(spec.all_sessions())}
    lap_session = _lap_sessions(spec)
    rows = spec.records.to_dict("records")
    written = 0
    for i, row in enumerate(rows):
        yield _record(spec, row, times[i], i)
        rr = spec.rr_ms[written : beat_stop[i]]
        written = beat_stop[i]
        for chunk in range(0, len(rr), RR_PER_HRV):
            yield _hrv(rr[chunk : chunk + RR_PER_HRV])
        if i in lap_ends:
            index, lap = lap_ends[i]
            yield _lap(spec, times, index, lap, lap_session[index])
        if i in session_ends:
            index, session = session_ends[i]
            yield _session(spec, times, index, session)


def _file_id(spec: WorkoutSpec, created: pd.Timestamp) -> FileIdMessage:
    message = FileIdMessage(local_id=_LOCAL_ID["file_id"])
    message.type = FileType.ACTIVITY
    message.manufacturer = spec.device.manufacturer
    message.product = spec.device.product
    message.serial_number = spec.device.serial
    message.time_created = unix_ms(created)
    return message


def _device_infos(spec: WorkoutSpec, at: pd.Timestamp) -> Iterator[DeviceInfoMessage]:
    creator = DeviceInfoMessage(local_id=_LOCAL_ID["device_info"])
    creator.timestamp = unix_ms(at)
    creator.device_index = 0  # "creator"
    creator.manufacturer = spec.device.manufacturer
    creator.product = spec.device.product
    creator.serial_number = spec.device.serial
    creator.software_version = spec.device.software_version
    creator.source_type = SourceType.LOCAL
    yield creator
    for sensor in spec.sensors:
        message = DeviceInfoMessage(local_id=_LOCAL_ID["device_info"])
        message.timestamp = unix_ms(at)
        message.device_index = sensor.device_index
        message.source_type = SourceType.ANTPLUS
        message.device_type = 120  # antplus_device_type heart_rate
        message.manufacturer = sensor.manufacturer
        message.product = sensor.product
        message.serial_number = sensor.serial
        message.software_version = sensor.software_version
        message.ant_device_number = sensor.ant_device_number
        message.ant_network = AntNetwork.ANTPLUS
        yield message


def _developer_definitions(spec: WorkoutSpec) -> Iterator[Message]:
    for index, dev in enumerate(spec.dev_fields):
        ident = DeveloperDataIdMessage(local_id=_LOCAL_ID["developer_data_id"])
        ident.application_id = dev.application_id
        ident.developer_data_index = index
        yield ident
        desc = FieldDescriptionMessage(local_id=_LOCAL_ID["field_description"])
        desc.developer_data_index = index
        desc.field_definition_number = 0
        desc.fit_base_type_id = BaseType.UINT16
        desc.field_name = dev.name
        desc.units = dev.units
        desc.scale = dev.scale
        desc.native_mesg_num = RecordMessage.ID
        if dev.native_field_num is not None:
            desc.native_field_num = dev.native_field_num
        yield desc


def _event(at: pd.Timestamp, kind: EventType) -> EventMessage:
    message = EventMessage(local_id=_LOCAL_ID["event"])
    message.timestamp = unix_ms(at)
    message.event = Event.TIMER
    message.event_type = kind
    message.event_group = 0
    return message


def _record(spec: WorkoutSpec, row: dict, at: pd.Timestamp, i: int) -> RecordMessage:
    developer_fields = []
    for index, dev in enumerate(spec.dev_fields):
        value = dev.values[i]
        if np.isfinite(value):
            field = DeveloperField(
                developer_data_index=index,
                field_id=0,
                base_type=BaseType.UINT16,
                size=2,
                scale=dev.scale,
                offset=0,
                name=dev.name,
                units=dev.units,
            )
            field.set_value(0, float(value))
            developer_fields.append(field)
    message = RecordMessage(local_id=_LOCAL_ID["record"], developer_fields=developer_fields or None)
    message.timestamp = unix_ms(at)
    if _present(row, "latitude") and _present(row, "longitude"):
        message.position_lat = row["latitude"]
        message.position_long = row["longitude"]
    if _present(row, "distance"):
        message.distance = row["distance"]
    if _present(row, "altitude"):
        if spec.enhanced:
            message.enhanced_altitude = row["altitude"]
        else:
            message.altitude = row["altitude"]
    if _present(row, "speed"):
        if spec.enhanced:
            message.enhanced_speed = row["speed"]
        else:
            message.speed = row["speed"]
    if _present(row, "heart_rate"):
        message.heart_rate = int(row["heart_rate"])
    if _present(row, "cadence"):
        message.cadence = int(row["cadence"])
    if _present(row, "power"):
        message.power = int(row["power"])
    return message


def _hrv(rr_ms: np.ndarray) -> HrvMessage:
    message = HrvMessage(local_id=_LOCAL_ID["hrv"])
    values = [int(v) / 1000.0 for v in rr_ms]
    message.time = values + [_HRV_PAD_S] * (RR_PER_HRV - len(values))
    return message


def _lap_sessions(spec: WorkoutSpec) -> list[Session]:
    """The session each lap belongs to."""
    owner = []
    for session in spec.all_sessions():
        owner.extend([session] * session.num_laps)
    if len(owner) != len(spec.laps):
        raise ValueError("sessions' num_laps must add up to the number of laps")
    return owner


def _lap(
    spec: WorkoutSpec, times: pd.DatetimeIndex, index: int, lap: Lap, session: Session
) -> LapMessage:
    message = LapMessage(local_id=_LOCAL_ID["lap"])
    message.message_index = index
    message.event = Event.LAP
    message.event_type = EventType.STOP
    message.lap_trigger = LapTrigger.SESSION_END if lap.stop == session.stop else LapTrigger.TIME
    message.intensity = Intensity[lap.intensity.upper()]
    message.sport = Sport[session.sport.upper()]
    message.sub_sport = SubSport[session.sub_sport.upper()]
    _summarise(message, spec, times, lap.start, lap.stop)
    return message


def _session(
    spec: WorkoutSpec, times: pd.DatetimeIndex, index: int, session: Session
) -> SessionMessage:
    message = SessionMessage(local_id=_LOCAL_ID["session"])
    message.message_index = index
    message.event = Event.SESSION
    message.event_type = EventType.STOP
    message.trigger = SessionTrigger.ACTIVITY_END
    message.sport = Sport[session.sport.upper()]
    message.sub_sport = SubSport[session.sub_sport.upper()]
    message.first_lap_index = session.first_lap
    message.num_laps = session.num_laps
    _summarise(message, spec, times, session.start, session.stop)
    return message


def _activity(spec: WorkoutSpec, times: pd.DatetimeIndex, end: pd.Timestamp) -> ActivityMessage:
    message = ActivityMessage(local_id=_LOCAL_ID["activity"])
    message.timestamp = unix_ms(end)
    message.total_timer_time = (end - times[0]).total_seconds()
    message.num_sessions = len(spec.all_sessions())
    message.type = Activity.MANUAL if len(spec.all_sessions()) == 1 else Activity.AUTO_MULTI_SPORT
    message.event = Event.ACTIVITY
    message.event_type = EventType.STOP
    message.local_timestamp = int((end + spec.utc_offset - _FIT_EPOCH).total_seconds())
    return message


def _summarise(
    message: LapMessage | SessionMessage,
    spec: WorkoutSpec,
    times: pd.DatetimeIndex,
    start: int,
    stop: int,
) -> None:
    """Fill the summary fields a lap and a session share from records ``[start, stop)``."""
    part = spec.records.iloc[start:stop]
    end = _end_time(times, stop)
    message.timestamp = unix_ms(end)
    message.start_time = unix_ms(times[start])
    seconds = (end - times[start]).total_seconds()
    message.total_elapsed_time = seconds
    message.total_timer_time = seconds
    if "distance" in part and part["distance"].notna().any():
        before = spec.records["distance"].iloc[start - 1] if start > 0 else 0.0
        message.total_distance = float(part["distance"].max() - np.nan_to_num(before))
    if "speed" in part and part["speed"].notna().any():
        message.enhanced_avg_speed = float(part["speed"].mean())
        message.enhanced_max_speed = float(part["speed"].max())
    if "heart_rate" in part:
        hr = part["heart_rate"].where((part["heart_rate"] > 0) & (part["heart_rate"] < 255))
        if hr.notna().any():
            message.avg_heart_rate = round(hr.mean())
            message.max_heart_rate = int(hr.max())
    if "cadence" in part and part["cadence"].notna().any():
        message.avg_cadence = round(part["cadence"].mean())
        message.max_cadence = int(part["cadence"].max())
    if "power" in part and part["power"].notna().any():
        message.avg_power = round(part["power"].mean())
        message.max_power = int(part["power"].max())
    if "altitude" in part and part["altitude"].notna().sum() > 1:
        step = np.diff(part["altitude"].dropna().to_numpy())
        message.total_ascent = round(step[step > 0].sum())
        message.total_descent = round(-step[step < 0].sum())


def _end_time(times: pd.DatetimeIndex, stop: int) -> pd.Timestamp:
    """End of the span whose last record is ``stop - 1``: the next record's time, else +1 s."""
    if stop < len(times):
        return times[stop]
    return times[-1] + pd.Timedelta(seconds=1)


def _present(row: dict, column: str) -> bool:
    value = row.get(column)
    return value is not None and bool(np.isfinite(value))
