"""Third-party CSV layouts: Wahoo Fitness workout CSV and Polar Sensor Logger HR/RR files.

Each layout is a table: the marker column that identifies it, the time column and how to read
it, and source column -> (canonical column, factor to canonical units).

* **Wahoo Fitness** (iOS/Android app CSV export): a few lines of workout summary, then a
  header row with ``hr_heartrate``, ``pwr_instpwr``, ``gps_lat`` ...; ``*_timestamp`` columns
  are Unix seconds. Speeds m/s, distances m, altitude m.
* **Polar Sensor Logger** (Android app): ``;``-separated, ``Phone timestamp`` (ISO 8601 local
  time without zone, read as UTC with a warning) then ``HR [bpm]`` (HR file) or
  ``RR-interval [ms]`` (RR file). The phone time is when a value arrived, so RR beat times are
  rebuilt as for FatMaxxer logs (:func:`~myokinetics.ingest.csvfile.beat_times_from_arrivals`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from myokinetics.activity import Activity, ActivityMeta, empty_rr
from myokinetics.errors import InputError
from myokinetics.ingest.csvfile import beat_times_from_arrivals, heart_rate_from_rr
from myokinetics.ingest.tabular import build_samples
from myokinetics.ingest.xml_common import parse_times

__all__ = ["LAYOUTS", "layout_of", "read_csv_layout"]


@dataclass(frozen=True)
class Layout:
    """One third-party CSV layout (column names lower-case, as written by the app)."""

    name: str
    marker: str
    separator: str
    time: str
    epoch_seconds: bool
    columns: dict[str, tuple[str, float]]
    rr: str | None = None


LAYOUTS: tuple[Layout, ...] = (
    Layout("wahoo", "hr_heartrate", ",", "hr_timestamp", True, {
        "hr_heartrate": ("heart_rate", 1.0), "pwr_instpwr": ("power", 1.0),
        "bike_cad": ("cadence", 1.0), "gps_speed": ("speed", 1.0),
        "disp_dist": ("distance", 1.0), "gps_alt": ("altitude", 1.0),
        "gps_lat": ("latitude", 1.0), "gps_lon": ("longitude", 1.0)}),
    Layout("wahoo", "pwr_instpwr", ",", "pwr_timestamp", True, {
        "pwr_instpwr": ("power", 1.0), "bike_cad": ("cadence", 1.0),
        "disp_dist": ("distance", 1.0)}),
    Layout("polar_sensor_logger", "rr-interval [ms]", ";", "phone timestamp", False, {},
           rr="rr-interval [ms]"),
    Layout("polar_sensor_logger", "hr [bpm]", ";", "phone timestamp", False, {
        "hr [bpm]": ("heart_rate", 1.0)}),
)

#: Lines searched for the header row (Wahoo writes a summary block above it).
_HEADER_LINES = 40


def _header(text: str) -> tuple[int, Layout] | None:
    for number, line in enumerate(text.splitlines()[:_HEADER_LINES]):
        for layout in LAYOUTS:
            names = [n.strip().lower() for n in line.split(layout.separator)]
            if layout.marker in names and layout.time in names:
                return number, layout
    return None


def layout_of(head: bytes) -> str | None:
    """Name of the layout whose header row appears in the head, or None."""
    found = _header(head.decode("utf-8", "replace").lstrip("\ufeff"))
    return None if found is None else found[1].name


def read_csv_layout(data: bytes, source: str) -> Activity:
    """Read a Wahoo or Polar Sensor Logger CSV into canonical units.

    Raises
    ------
    InputError
        No known header row, or no row with a readable time.
    """
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    found = _header(text)
    if found is None:
        raise InputError(source, "no Wahoo or Polar Sensor Logger header row",
                         "see docs/import.md for the CSV layouts read")
    line, layout = found
    table = pd.read_csv(io.StringIO(text), sep=layout.separator, skiprows=line, dtype=str,
                        keep_default_na=False, on_bad_lines="skip")
    table.columns = [str(c).strip().lower() for c in table.columns]
    warnings: list[str] = []
    times = _times(table[layout.time], layout, source, warnings)
    columns = {column: _numbers(table[name]) * factor
               for name, (column, factor) in layout.columns.items() if name in table}
    rr = empty_rr()
    if layout.rr is not None:
        values = _numbers(table[layout.rr])
        beats = beat_times_from_arrivals(times, values)
        keep = ~np.isnan(values) & ~np.asarray(beats.isna())  # stubs: Index, is ndarray
        rr = pd.Series(values[keep], index=beats[keep], name="rr", dtype="float64")
        heart_rate = heart_rate_from_rr(rr) if len(rr) else pd.Series(dtype="float64")
        columns = {"heart_rate": heart_rate.to_numpy()}
        times = pd.DatetimeIndex(heart_rate.index, name="time")
        warnings.append("heart rate derived from RR intervals (instantaneous, per second)")
    samples = build_samples(times, columns, warnings)
    if samples.empty and rr.empty:
        raise InputError(source, "no row has a readable time and value",
                         "the file is empty or damaged; record again")
    start = min(s.index[0] for s in (samples, rr) if len(s.index))
    meta = ActivityMeta(start=start, format="csv_layout", product=layout.name,
                        decoder=f"myokinetics.csv_layouts.{layout.name}", decoder_version="1")
    return Activity(samples=samples, rr=rr, meta=meta, warnings=warnings)


def _numbers(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column.str.strip(), errors="coerce").to_numpy(dtype="float64")


def _times(column: pd.Series, layout: Layout, source: str,
           warnings: list[str]) -> pd.DatetimeIndex:
    if layout.epoch_seconds:
        seconds = _numbers(column)
        return pd.DatetimeIndex(pd.to_datetime(seconds, unit="s", utc=True, errors="coerce"),
                                name="time").as_unit("ns")
    index, time_warnings = parse_times([t.strip() or None for t in column], source)
    warnings.extend(time_warnings)
    return pd.DatetimeIndex(index, name="time").as_unit("ns")
