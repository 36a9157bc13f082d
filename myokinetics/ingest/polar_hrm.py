"""Polar ``.hrm`` files (Polar Precision Performance / ProTrainer export), version 1.02-1.07.

An INI-like text: ``[Params]`` holds ``Version``, ``SMode`` (one digit per optional column:
a speed, b cadence, c altitude, d power, e power balance, f pedalling index, g HR/CC,
h 0 = metric / 1 = imperial, i air pressure), ``Date`` (YYYYMMDD), ``StartTime`` (local
hh:mm:ss.f) and ``Interval`` (s between rows; 238 means the rows are R-R intervals).
``[HRData]`` has one tab-separated row per interval: heart rate (1/min) then the columns
SMode switches on, in that order: speed (0.1 km/h or 0.1 mph), cadence (1/min), altitude (m
or ft; 10 m units before version 1.06), power (W), balance/index (one combined column).
In R-R mode the first value of a row is the interval (ms) ending at the next beat.

The file states no time zone: the start is read as UTC, with a warning.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from myokinetics.activity import Activity, ActivityMeta
from myokinetics.errors import InputError
from myokinetics.ingest.rr_text import rr_activity
from myokinetics.ingest.tabular import build_samples
from myokinetics.ingest.time_bounds import plausible_utc
from myokinetics.limits import limit

__all__ = ["read_hrm"]

RR_INTERVAL_CODE = 238
KMH_TO_MS = 1 / 3.6
MPH_TO_MS = 0.44704
FT_TO_M = 0.3048


def read_hrm(data: bytes, source: str) -> Activity:
    """Read a Polar HRM file into canonical units (see the module text).

    Raises
    ------
    InputError
        No ``[HRData]`` section, or a ``Date``/``StartTime``/``Interval`` that cannot be read.
    """
    sections = _sections(data.decode("latin-1"))
    params = dict(line.split("=", 1) for line in sections.get("params", []) if "=" in line)
    params = {k.strip().lower(): v.strip() for k, v in params.items()}
    if "hrdata" not in sections:
        raise InputError(source, "Polar HRM file has no [HRData] section",
                         "export the session again from Polar software")
    try:
        start = pd.Timestamp(f"{params['date']} {params['starttime']}", tz="UTC")
        interval = float(params.get("interval", "1"))
        rows = _rows(sections["hrdata"])
    except (KeyError, ValueError) as error:
        raise InputError(source, f"Polar HRM [Params] or [HRData] unreadable ({error})",
                         "the file is damaged; export it again") from None
    if plausible_utc(pd.DatetimeIndex([start]))[1]:
        raise InputError(source, f"Polar HRM start {start:%Y-%m-%d} is not a plausible date",
                         "the file is damaged; export it again")
    low, high = limit("reader", "duration_s")
    if interval != RR_INTERVAL_CODE and not low < interval * len(rows) <= high:
        raise InputError(source, f"Polar HRM interval {params.get('interval')!r} s over "
                         f"{len(rows)} rows is no plausible recording length",
                         "the file is damaged; export it again")
    warnings = ["HRM times carry no time zone; read as UTC"]
    if interval == RR_INTERVAL_CODE:
        return rr_activity(rows[:, 0], start, "hrm", warnings, source)
    mode = params.get("smode", "0")
    version = int(params.get("version", "106") or 106)
    imperial = len(mode) > 7 and mode[7] == "1"
    columns: dict[str, np.ndarray] = {"heart_rate": rows[:, 0]}
    position = 1
    scales = (("speed", 0.1 * (MPH_TO_MS if imperial else KMH_TO_MS)), ("cadence", 1.0),
              ("altitude", (FT_TO_M if imperial else 1.0) * (1 if version >= 106 else 10)),
              ("power", 1.0))
    for digit, (name, scale) in zip(mode[:4], scales, strict=False):
        if digit == "1" and position < rows.shape[1]:
            columns[name] = rows[:, position] * scale
            position += 1
    times = start + pd.to_timedelta(np.arange(len(rows)) * interval, unit="s")
    samples = build_samples(pd.DatetimeIndex(times, name="time"), columns, warnings)
    meta = ActivityMeta(start=start, manufacturer="polar", product=params.get("monitor"),
                        format="hrm", decoder="myokinetics.polar_hrm", decoder_version="1")
    return Activity(samples=samples, meta=meta, warnings=warnings)


def _sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = sections.setdefault(stripped[1:-1].strip().lower(), [])
        elif current is not None:
            current.append(line)
    return sections


def _rows(lines: list[str]) -> np.ndarray:
    """The numeric rows as a 2-D array, short rows padded with NaN."""
    values = [[float(v) for v in line.split()] for line in lines if line.strip()]
    width = max((len(v) for v in values), default=1)
    table = np.full((len(values), width), np.nan)
    for number, row in enumerate(values):
        table[number, :len(row)] = row
    return table
