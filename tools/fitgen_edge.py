"""Edge-case FIT files for the FIT reader's tests, each a few seconds to minutes long.

Every builder is deterministic for its ``seed`` and returns a :class:`WorkoutSpec` (encode it
with :func:`tools.fitgen.fit_bytes`) or, for chained files, the bytes plus the truth.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.hr_message import HrMessage

from tools.fitgen_encode import encode, unix_ms
from tools.fitgen_sample import HR_MAX, HR_REST, sample_run
from tools.fitgen_signal import ar1, first_order_lag, rr_intervals
from tools.fitgen_spec import DevField, Lap, Sensor, Session, WorkoutSpec

__all__ = [
    "HR_PER_MESSAGE",
    "RELATIVE_TIME_LIMIT_S",
    "Chained",
    "chained_strap_bytes",
    "duplicate_timestamps",
    "invalid_heart_rates",
    "multisport",
    "relative_timestamps",
    "shadowing_dev_fields",
    "short_run",
    "strap_hr_bytes",
    "with_power",
]

#: Beats per ``hr`` message, as HRM-Swim / HRM-Tri / HRM-Pro write them.
HR_PER_MESSAGE = 8
# Strap clock (s since its power-on) at the first beat; its low 12 bits in 1/1024 s are not 0.
_STRAP_CLOCK_S = 1_371_715.3994140625
#: FIT ``date_time`` values below this (s since the FIT epoch) are relative: system time since
#: the device powered on, not wall-clock time (FIT SDK, ``date_time`` type: 0x10000000).
RELATIVE_TIME_LIMIT_S = 0x10000000
_FIT_EPOCH = pd.Timestamp("1989-12-31", tz="UTC")


def short_run(seed: int = 7, seconds: int = 300) -> WorkoutSpec:
    """The first ``seconds`` of :func:`~tools.fitgen_sample.sample_run`, laps cut to fit.

    RR intervals are kept while their beats end within the last record's second.
    """
    spec = sample_run(seed)
    records = spec.records.iloc[:seconds].reset_index(drop=True)
    beats_s = np.cumsum(spec.rr_ms) / 1000.0
    rr = spec.rr_ms[beats_s <= seconds - 1]
    laps = tuple(
        Lap(lap.start, min(lap.stop, seconds), lap.intensity)
        for lap in spec.laps
        if lap.start < seconds
    )
    return dataclasses.replace(spec, records=records, rr_ms=rr, laps=laps)


def duplicate_timestamps(seed: int = 7) -> WorkoutSpec:
    """A short run in which records 60-64 are each written twice with the same timestamp.

    The second copy carries heart rate + 1 bpm, so a test can tell which copy a reader kept.
    The 5 extra records make 305 in all; the RR intervals are unchanged.
    """
    spec = short_run(seed)
    records = spec.records
    extra = records.iloc[60:65].copy()
    extra["heart_rate"] += 1
    merged = pd.concat([records.iloc[:65], extra, records.iloc[65:]])
    merged = merged.sort_values("elapsed_s", kind="stable").reset_index(drop=True)
    laps = (Lap(0, len(merged), spec.laps[0].intensity),)
    return dataclasses.replace(spec, records=merged, laps=laps)


def invalid_heart_rates(seed: int = 7) -> WorkoutSpec:
    """A short run with heart rate 0 (records 100-109), 255 (200-209) and absent (250-254).

    255 is the FIT invalid value for uint8, so decoders return it as missing; 0 is a valid
    number that strap-contact loss produces on some devices; absent means the record has no
    ``heart_rate`` field at all.
    """
    spec = short_run(seed)
    records = spec.records.copy()
    records.loc[100:109, "heart_rate"] = 0
    records.loc[200:209, "heart_rate"] = 255
    records.loc[250:254, "heart_rate"] = np.nan
    return dataclasses.replace(spec, records=records)


def with_power(seed: int = 7) -> WorkoutSpec:
    """A short run with Stryd-like running power (W): ~1.04 J/kg/m x 70 kg x speed, +-3 %."""
    spec = short_run(seed)
    rng = np.random.default_rng(seed + 1)
    records = spec.records.copy()
    noise = 1 + ar1(rng, len(records), phi=0.8, sd=0.03)
    records["power"] = np.round(1.04 * 70.0 * records["speed"] * noise)
    return dataclasses.replace(spec, records=records)


def shadowing_dev_fields(seed: int = 7) -> WorkoutSpec:
    """A short run with developer fields named ``speed`` and ``heart_rate``.

    The developer ``speed`` holds km/h (native m/s x 3.6, scale 100) and the developer
    ``heart_rate`` an optical reading 7 bpm below the strap's, so a reader that lets developer
    fields shadow native ones returns visibly wrong values. Like the Connect IQ swim files of
    the corpus (runalyze__swim-via-iq.fit), neither links to a native field number. Speed and
    altitude go to the 16-bit native ``speed`` / ``altitude`` fields (``enhanced=False``), so
    each record holds a native and a developer field both named ``speed``.
    """
    spec = short_run(seed)
    records = spec.records
    dev_speed = DevField("speed", "km/h", np.round(records["speed"].to_numpy() * 3.6, 2), 100)
    dev_hr = DevField("heart_rate", "bpm", records["heart_rate"].to_numpy() - 7.0)
    return dataclasses.replace(spec, dev_fields=(dev_speed, dev_hr), enhanced=False)


def relative_timestamps(seed: int = 7, power_on_s: int = 3600) -> WorkoutSpec:
    """A short run from a device that never learnt the wall-clock time.

    Every ``date_time`` (records, laps, ``file_id.time_created``, ...) is seconds since the
    device powered on (``power_on_s`` at the first record), far below
    :data:`RELATIVE_TIME_LIMIT_S`; a decoder shows them as dates on 1989-12-31.
    """
    spec = short_run(seed)
    return dataclasses.replace(spec, start=_FIT_EPOCH + pd.Timedelta(seconds=power_on_s))


def multisport(seed: int = 7) -> WorkoutSpec:
    """A duathlon-style file: 5 min run, 1 min transition, 7 min bike, one session each.

    Laps: run 2 (2.5 min each), transition 1, bike 2 (3.5 min each); 780 records, heart rate
    and RR throughout, power and rpm cadence on the bike only, ``activity.type``
    auto_multi_sport.
    """
    rng = np.random.default_rng(seed)
    # (sport, sub_sport, seconds, speed m/s, target HR bpm, cadence 1/min, power W)
    legs = [
        ("running", "street", 300, 3.2, 150.0, 84.0, np.nan),
        ("transition", "generic", 60, 1.0, 138.0, np.nan, np.nan),
        ("cycling", "road", 420, 8.5, 145.0, 88.0, 210.0),
    ]
    seconds = [leg[2] for leg in legs]
    n = sum(seconds)
    column = {
        key: np.concatenate([np.full(leg[2], leg[i]) for leg in legs])
        for i, key in ((3, "speed"), (4, "hr"), (5, "cadence"), (6, "power"))
    }
    speed = np.round(np.clip(column["speed"] + ar1(rng, n, 0.9, 0.08), 0.3, None), 3)
    hr = first_order_lag(column["hr"], tau_s=35.0, first=100.0)
    records = pd.DataFrame(
        {
            "elapsed_s": np.arange(n, dtype=np.int64),
            "heart_rate": np.round(hr + ar1(rng, n, 0.7, 0.8)),
            "speed": speed,
            "distance": np.round(np.concatenate([[0.0], np.cumsum(speed[1:])]), 2),
            "cadence": np.round(column["cadence"] + rng.normal(0, 1.0, n)),
            "altitude": np.full(n, 212.4),
            "power": np.round(column["power"] + rng.normal(0, 12.0, n)),
        }
    )
    laps = (
        Lap(0, 150, "active"),
        Lap(150, 300, "active"),
        Lap(300, 360, "active"),
        Lap(360, 570, "active"),
        Lap(570, 780, "active"),
    )
    sessions = (
        Session(0, 300, "running", "street", 0, 2),
        Session(300, 360, "transition", "generic", 2, 1),
        Session(360, 780, "cycling", "road", 3, 2),
    )
    return WorkoutSpec(
        start=pd.Timestamp("2024-06-02T07:00:00Z"),
        utc_offset=dt.timedelta(hours=2),
        records=records,
        rr_ms=rr_intervals(rng, hr, HR_REST, HR_MAX, artifacts=0),
        laps=laps,
        sport="multisport",
        sessions=sessions,
        sensors=(Sensor(),),
    )


@dataclass(frozen=True)
class Chained:
    """Chained FIT bytes and what they contain.

    Attributes
    ----------
    data : bytes
        The watch activity followed by ``strap_files`` HRM files (one FIT header each).
    watch : WorkoutSpec
        The watch activity (no heart rate, no RR: the strap was out of the watch's range).
    strap : pandas.DataFrame
        Every beat of the strap files (each file's anchor beat, then its 8-beat ``hr``
        messages): ``time`` (UTC, on a 1/1024 s grid) and ``filtered_bpm`` (bpm).
    strap_files : int
        Number of chained HRM files.
    """

    data: bytes
    watch: WorkoutSpec
    strap: pd.DataFrame
    strap_files: int


def chained_strap_bytes(seed: int = 7, strap_files: int = 2, packed: bool = True) -> Chained:
    """A 5 min watch activity + ``strap_files`` chained HRM-Pro files of ``hr`` messages.

    As an HRM-Swim / HRM-Tri / HRM-Pro does (fitparse__sample_mulitple_header.fit and
    gc__Garmin945swimRRdata.fit in the corpus), each strap file holds only ``hr`` messages: an
    anchor beat (``timestamp`` + ``fractional_timestamp`` in UTC, ``event_timestamp`` on the
    strap's own clock, one ``filtered_bpm``) and then messages of 8 beats (``filtered_bpm`` and
    beat times on the strap clock, 1/1024 s), packed as 12-bit rolling values in
    ``event_timestamp_12`` (``packed=True``, as devices write them) or as a plain
    ``event_timestamp`` array. A beat's UTC time is the anchor's UTC time plus its strap-clock
    time minus the anchor's.

    Notes
    -----
    fitdecode 0.11 expands ``event_timestamp_12`` by accumulating from 0 and adding the
    anchor's whole-second ``timestamp``; it ignores the anchor's ``event_timestamp`` and
    ``fractional_timestamp``, so its ``event_timestamp`` datetimes are off by up to 4 s. The
    strap clock here is deliberately not aligned to 4 s, so a reader that trusts them fails.
    """
    run = short_run(seed)
    beats_s = np.cumsum(run.rr_ms) / 1000.0
    bpm = np.round(60000.0 / pd.Series(run.rr_ms).rolling(5, min_periods=1).median().to_numpy())
    watch = dataclasses.replace(
        run, records=run.records.drop(columns="heart_rate"), rr_ms=run.rr_ms[:0]
    )
    parts = [encode(watch)]
    truth = []
    for chunk in np.array_split(np.arange(len(beats_s)), strap_files):
        keep = chunk[: 1 + (len(chunk) - 1) // HR_PER_MESSAGE * HR_PER_MESSAGE]
        offset_s = np.round(beats_s[keep] * 1024) / 1024
        times = pd.DatetimeIndex(run.start + pd.to_timedelta(offset_s, unit="s"))
        parts.append(strap_hr_bytes(times, bpm[keep].astype(int), packed=packed))
        truth.append(pd.DataFrame({"time": times, "filtered_bpm": bpm[keep].astype(int)}))
    strap = pd.concat(truth, ignore_index=True)
    return Chained(b"".join(parts), watch, strap, strap_files)


def strap_hr_bytes(times: pd.DatetimeIndex, bpm: np.ndarray, packed: bool = True) -> bytes:
    """One HRM FIT file (no ``file_id``, like the devices) of ``hr`` messages for these beats.

    Parameters
    ----------
    times : pandas.DatetimeIndex
        UTC beat times: the anchor beat then a multiple of 8 beats, each less than 4 s after
        the previous one, on a 1/1024 s grid relative to the first beat.
    bpm : numpy.ndarray
        Filtered heart rate at each beat (bpm, int).
    packed : bool
        Write beat times as 12-bit ``event_timestamp_12`` (True) or ``event_timestamp`` (False).
    """
    if len(times) % HR_PER_MESSAGE != 1:
        raise ValueError("strap files carry an anchor beat and whole 8-beat hr messages")
    first = times[0]
    clock = _STRAP_CLOCK_S + (times - first).total_seconds().to_numpy()
    builder = FitFileBuilder(auto_define=True)
    anchor = HrMessage(local_id=0)
    anchor.timestamp = unix_ms(first.floor("s"))
    anchor.fractional_timestamp = (first - first.floor("s")).total_seconds()
    anchor.event_timestamp = [float(clock[0])]
    anchor.filtered_bpm = [int(bpm[0])]
    builder.add(anchor)
    for i in range(1, len(times), HR_PER_MESSAGE):
        message = HrMessage(local_id=1)
        message.filtered_bpm = [int(v) for v in bpm[i : i + HR_PER_MESSAGE]]
        window = clock[i : i + HR_PER_MESSAGE]
        if packed:
            message.event_timestamp_12 = list(_pack12(window))
        else:
            message.event_timestamp = [float(v) for v in window]
        builder.add(message)
    return builder.build().to_bytes()


def _pack12(seconds: np.ndarray) -> bytes:
    """Low 12 bits of each time in 1/1024 s, packed little-endian two per 3 bytes (FIT SDK)."""
    packed = 0
    for i, value in enumerate(seconds):
        packed |= (round(value * 1024) & 0xFFF) << (12 * i)
    return packed.to_bytes(len(seconds) * 12 // 8, "little")
