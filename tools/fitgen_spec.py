"""What a synthetic FIT activity contains: plain dataclasses, no encoding.

A :class:`WorkoutSpec` holds the per-second samples, the RR intervals, the laps, the sessions
and the devices of one activity. :mod:`tools.fitgen_encode` turns it into FIT bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["RECORD_COLUMNS", "DevField", "Device", "Lap", "Sensor", "Session", "WorkoutSpec"]

#: Columns a spec's ``records`` frame may hold (all optional except ``elapsed_s``), with the FIT
#: field each is written to:
#:
#: ============ ===================== ==========================================
#: column       unit                  FIT ``record`` field
#: ============ ===================== ==========================================
#: elapsed_s    s since ``start``     ``timestamp`` (int; repeats are allowed)
#: heart_rate   beats/min             ``heart_rate`` (uint8; 255 = FIT invalid)
#: speed        m/s                   ``enhanced_speed`` (1/1000 m/s) (*)
#: distance     m, cumulative         ``distance`` (1/100 m)
#: cadence      1/min (strides, rpm)  ``cadence`` (uint8)
#: altitude     m                     ``enhanced_altitude`` (1/5 m, offset 500 m) (*)
#: power        W                     ``power`` (uint16)
#: latitude     degrees               ``position_lat`` (semicircles)
#: longitude    degrees               ``position_long`` (semicircles)
#: ============ ===================== ==========================================
#:
#: NaN means "field absent in this record". (*) ``speed`` / ``altitude`` (same units, 16 bits)
#: when the spec's ``enhanced`` is False, as older devices write them.
RECORD_COLUMNS: tuple[str, ...] = (
    "elapsed_s",
    "heart_rate",
    "speed",
    "distance",
    "cadence",
    "altitude",
    "power",
    "latitude",
    "longitude",
)


@dataclass(frozen=True)
class Device:
    """The recording device (``file_id`` and the creator's ``device_info``).

    Defaults are a Garmin Forerunner 945 (manufacturer 1, garmin_product 3113), a product that
    fitdecode 0.11's 2019 profile still names.
    """

    manufacturer: int = 1
    product: int = 3113
    serial: int = 3_412_345_678
    software_version: float = 22.1


@dataclass(frozen=True)
class Sensor:
    """An ANT+ heart-rate strap paired to the watch (one ``device_info`` message).

    Defaults are a Garmin HRM-Pro (garmin_product 3300).
    """

    manufacturer: int = 1
    product: int = 3300
    serial: int = 1_234_567_890
    ant_device_number: int = 48_213
    device_index: int = 1
    software_version: float = 4.5


@dataclass(frozen=True)
class Lap:
    """One lap over the records ``[start, stop)`` (row positions in ``records``).

    ``intensity`` is a FIT ``intensity`` name: active, rest, warmup, cooldown, recovery,
    interval, other.
    """

    start: int
    stop: int
    intensity: str = "active"


@dataclass(frozen=True)
class Session:
    """One session (a multisport leg) over the records ``[start, stop)``.

    ``laps`` are positions in the spec's ``laps`` tuple, ``[first_lap, first_lap + num_laps)``.
    ``sport`` / ``sub_sport`` are FIT names (``running``, ``cycling``, ``transition``, ...).
    """

    start: int
    stop: int
    sport: str
    sub_sport: str
    first_lap: int
    num_laps: int


@dataclass(frozen=True)
class DevField:
    """A Connect IQ style developer field written into every ``record``.

    ``values`` has one entry per record (NaN = absent). ``scale`` follows FIT: the stored
    integer is ``round(value * scale)`` in a uint16. ``native_field_num`` links the field to
    a native ``record`` field number when set (``speed`` is 6, ``heart_rate`` is 3).
    """

    name: str
    units: str
    values: np.ndarray
    scale: int = 1
    native_field_num: int | None = None
    application_id: bytes = b"myokinetics-test"


@dataclass
class WorkoutSpec:
    """Everything one synthetic FIT activity contains.

    Attributes
    ----------
    start : pandas.Timestamp
        UTC time of ``elapsed_s == 0`` (whole seconds).
    utc_offset : datetime.timedelta
        Local time minus UTC, written as ``activity.local_timestamp``.
    records : pandas.DataFrame
        Per-record values, columns from :data:`RECORD_COLUMNS` (NaN = absent).
    rr_ms : numpy.ndarray
        RR intervals (ms, integers). The first beat falls ``rr_ms[0]`` ms after ``start``;
        they are written as ``hrv`` messages (seconds, 1/1000 s) after the record they follow.
    laps : tuple of Lap
        Consecutive laps covering the records.
    sport, sub_sport : str
        FIT names, used for the single session when ``sessions`` is empty.
    sessions : tuple of Session
        Multisport legs; empty means one session over everything.
    device : Device
        The watch.
    sensors : tuple of Sensor
        Paired straps (``device_info`` only).
    dev_fields : tuple of DevField
        Developer fields added to every record.
    time_created : pandas.Timestamp or None
        ``file_id.time_created``; ``None`` means ``start``.
    enhanced : bool
        Write ``enhanced_speed`` / ``enhanced_altitude`` (modern Garmin) or, when False, the
        16-bit ``speed`` / ``altitude`` of older devices.
    """

    start: pd.Timestamp
    utc_offset: dt.timedelta
    records: pd.DataFrame
    rr_ms: np.ndarray
    laps: tuple[Lap, ...]
    sport: str = "running"
    sub_sport: str = "generic"
    sessions: tuple[Session, ...] = ()
    device: Device = field(default_factory=Device)
    sensors: tuple[Sensor, ...] = ()
    dev_fields: tuple[DevField, ...] = ()
    time_created: pd.Timestamp | None = None
    enhanced: bool = True

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("WorkoutSpec.start must be timezone-aware (UTC)")
        unknown = set(self.records.columns) - set(RECORD_COLUMNS)
        if unknown:
            raise ValueError(f"unknown record columns: {sorted(unknown)}")
        if "elapsed_s" not in self.records.columns:
            raise ValueError("records need an 'elapsed_s' column")
        n = len(self.records)
        for lap in self.laps:
            if not 0 <= lap.start < lap.stop <= n:
                raise ValueError(f"lap {lap} is outside the {n} records")
        for dev in self.dev_fields:
            if len(dev.values) != n:
                raise ValueError(f"developer field {dev.name!r} needs one value per record")

    def all_sessions(self) -> tuple[Session, ...]:
        """The sessions to write: ``sessions``, or one session over all records and laps."""
        if self.sessions:
            return self.sessions
        return (Session(0, len(self.records), self.sport, self.sub_sport, 0, len(self.laps)),)

    def times(self) -> pd.DatetimeIndex:
        """UTC timestamp of every record."""
        elapsed = pd.to_timedelta(self.records["elapsed_s"].to_numpy(dtype=np.int64), unit="s")
        return pd.DatetimeIndex(self.start + elapsed)
