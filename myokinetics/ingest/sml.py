"""Suunto SML (``*.sml``, written by Moveslink2 and Suunto DM for Ambit and Spartan watches).

An XML document ``<sml><DeviceLog>``: ``<Header>`` (``DateTime``, local time without a zone;
``Activity``, e.g. "Running"), ``<Device>`` (``Name``, ``SerialNumber``), ``<Samples>`` of
``<Sample>`` elements, each with ``Time`` (s since the start) and the fields it carries (units
in :mod:`myokinetics.ingest.suunto_fields`: HR in Hz, temperature in K, position in radians),
and ``<R-R><Data>`` holding every beat-to-beat interval of the move, space-separated, in ms,
back to back from the start. Layout as read by GoldenCheetah (``src/FileIO/SmlParser.cpp``) and
MyTourbook (``net/tourbook/device/suunto/Suunto3_STAXHandler.java``).

Periodic samples of GPS watches also carry ``UTC`` (ISO 8601 with ``Z``): the first one
anchors the start in UTC and gives the activity's UTC offset; without one, ``DateTime`` is read
as UTC with a warning.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd

from myokinetics.activity import Activity, ActivityMeta, empty_rr
from myokinetics.errors import InputError
from myokinetics.ingest.rr_text import rr_series
from myokinetics.ingest.suunto_fields import canonical_value, sport_of
from myokinetics.ingest.tabular import build_samples, offset_times
from myokinetics.ingest.time_bounds import MAX_UTC_OFFSET
from myokinetics.ingest.xml_common import (
    children,
    element_text,
    first,
    local_name,
    parse_start,
    parse_times,
    parse_xml,
    text_float,
    utc_offset_of,
)
from myokinetics.limits import limit

__all__ = ["read_sml"]

#: Offsets are rounded to this when derived from a sample's UTC stamp (time zones).
OFFSET_STEP = pd.Timedelta(minutes=15)


def read_sml(data: bytes, source: str) -> Activity:
    """Read a Suunto SML file into canonical units (see the module text).

    Raises
    ------
    InputError
        Not well-formed, no ``<DeviceLog>``, an unreadable start, or no sample and no beat.
    """
    parsed = parse_xml(data, source, "SML")
    warnings = list(parsed.warnings)
    log = first(parsed.root, "DeviceLog")
    if log is None:
        raise InputError(source, "SML file has no <DeviceLog>",
                         "export the move again from Moveslink or Suunto DM")
    header = first(log, "Header")
    offsets_s, columns, first_utc = _samples(log)
    start_text = element_text(first(header, "DateTime"))
    local_start = parse_start(start_text, source, "SML", [])
    start, utc_offset = _anchor(local_start, start_text, first_utc, source, warnings)
    samples = build_samples(offset_times(start, offsets_s, warnings), columns, warnings)
    rr = _rr(log, start, warnings, source)
    if samples.empty and rr.empty:
        raise InputError(source, "SML file holds no sample and no R-R interval",
                         "export the move again from Moveslink or Suunto DM")
    meta = ActivityMeta(sport=sport_of(element_text(first(header, "Activity"))), start=start,
                        utc_offset=utc_offset, manufacturer="suunto",
                        product=element_text(first(log, "Device", "Name")),
                        serial=element_text(first(log, "Device", "SerialNumber")), format="sml",
                        decoder="myokinetics.sml", decoder_version="1")
    return Activity(samples=samples, rr=rr, meta=meta, warnings=warnings)


def _samples(log: ET.Element) -> tuple[list[float], dict[str, list[float]],
                                      tuple[float, str] | None]:
    """Offsets (s), canonical columns, and the first ``(Time, UTC text)`` pair of the samples
    that carry a known field."""
    offsets: list[float] = []
    columns: dict[str, list[float]] = {}
    first_utc: tuple[float, str] | None = None
    container = first(log, "Samples")
    for sample in children(container, "Sample") if container is not None else ():
        row: dict[str, float] = {}
        utc = None
        for child in sample:
            name = local_name(child.tag)
            if name == "UTC":
                utc = element_text(child)
            found = canonical_value(name, child.text)
            if found is not None and found[0] not in row:
                row[found[0]] = found[1]
        if not row:
            continue  # events only (laps, pauses)
        offset = text_float(first(sample, "Time"))
        if first_utc is None and utc is not None and np.isfinite(offset):
            first_utc = (offset, utc)
        for column in row.keys() - columns.keys():
            columns[column] = [np.nan] * len(offsets)
        for column, values in columns.items():
            values.append(row.get(column, np.nan))
        offsets.append(offset)
    return offsets, columns, first_utc


def _anchor(local_start: pd.Timestamp, start_text: str | None,
            first_utc: tuple[float, str] | None, source: str,
            warnings: list[str]) -> tuple[pd.Timestamp, dt.timedelta | None]:
    """UTC start and UTC offset from the header's start and a sample's UTC stamp."""
    stated = utc_offset_of(start_text)
    if stated is not None or (start_text or "").endswith(("Z", "z")):
        return local_start, stated
    if first_utc is not None:
        offset_s, utc_text = first_utc
        utc, _ = parse_times([utc_text], source)
        if not pd.isna(utc[0]) and abs(offset_s) <= limit("reader", "duration_s")[1]:
            start = pd.Timestamp(utc[0]) - pd.Timedelta(seconds=offset_s)
            utc_offset = (local_start - start).round(OFFSET_STEP)
            if abs(utc_offset) <= MAX_UTC_OFFSET:
                return local_start - utc_offset, utc_offset.to_pytimedelta()
    warnings.append("SML start time carries no time zone and no sample gives UTC; read as UTC")
    return local_start, None


def _rr(log: ET.Element, start: pd.Timestamp, warnings: list[str], source: str) -> pd.Series:
    """Every interval of ``<R-R><Data>`` (ms), beats back to back from the start."""
    text = element_text(first(log, "R-R", "Data"))
    if text is None:
        return empty_rr()
    values = []
    for token in text.split():
        try:
            values.append(float(token))
        except ValueError:
            values.append(np.nan)
    return rr_series(np.asarray(values, dtype="float64"), start, warnings, source)
