"""Suunto app / Movescount JSON exports (Ambit, Spartan, Suunto 9 and later watches).

Two layouts of the same SML content exist; both are read:

* ``{"DeviceLog": {"Header": {...}, "Samples": [...], "R-R": {"Data": [...]}}}``: each sample
  is flat, ``{"TimeISO8601": "...", "HR": 2.1, ...}``; ``R-R.Data`` holds every beat-to-beat
  interval (ms), back to back from the header's ``DateTime`` (else the first sample's time).
  Layout as read by isazi/SuuntoAnalyzer (``suunto_analyzer/json_reader.py``).
* ``{"Samples": [{"TimeISO8601": "...", "Attributes": {"suunto/sml": {"Sample": {...}}}}]}``
  (the ``samples.json`` of the Suunto app; also wrapped in ``{"Data": {...}}`` by the Suunto
  cloud): fields sit in ``Attributes["suunto/sml"].Sample``; R-R blocks come as samples with
  ``Attributes["suunto/sml"]["R-R"]``, their intervals under ``IBI`` (Snijderfrey/suunto2python,
  ``suunto_exercise_data.py``) or ``Data`` (MyTourbook
  ``net/tourbook/device/suunto/SuuntoJsonProcessor.java``). As in suunto2python, a block's
  time stamp is the time of its last beat, and the blocks, in file order, are one back-to-back
  series.

Field units are those of SML (:mod:`myokinetics.ingest.suunto_fields`: HR in Hz, temperature
in K, position in radians). ``TimeISO8601`` states its UTC offset, which becomes the activity's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from myokinetics.activity import Activity, ActivityMeta, empty_rr
from myokinetics.errors import InputError
from myokinetics.ingest.json_common import has_keys, items, load_object, mapping, number
from myokinetics.ingest.rr_text import rr_series
from myokinetics.ingest.suunto_fields import FIELDS, canonical_value, sport_of
from myokinetics.ingest.tabular import build_samples
from myokinetics.ingest.xml_common import parse_start, parse_times, utc_offset_of
from myokinetics.limits import limit

__all__ = ["looks_like_suunto_json", "read_suunto_json"]

SML_KEY = "suunto/sml"


def looks_like_suunto_json(head: bytes) -> bool:
    """Whether a document head is one of the two Suunto JSON layouts."""
    return has_keys(head, b"DeviceLog") or has_keys(head, b"suunto/sml")


def read_suunto_json(data: bytes, source: str) -> Activity:
    """Read a Suunto JSON export into canonical units (see the module text).

    Raises
    ------
    InputError
        Not JSON, neither layout, or no sample with a time and no beat.
    """
    document = load_object(data, source, "Suunto JSON")
    warnings: list[str] = []
    log = mapping(document.get("DeviceLog"))
    if log:
        header = mapping(log.get("Header"))
        flat = [(s.get("TimeISO8601"), s) for s in map(mapping, items(log.get("Samples")))]
        rr_blocks = [(header.get("DateTime"), items(mapping(log.get("R-R")).get("Data")))]
        stamp_is_last_beat = False
        product = mapping(header.get("Device")).get("Name")
        serial = mapping(header.get("Device")).get("SerialNumber")
    else:
        wrapped = items(document.get("Samples")) or items(mapping(document.get("Data")).get(
            "Samples"))
        if not wrapped:
            raise InputError(source, "Suunto JSON holds neither DeviceLog nor Samples",
                             "export the workout again from the Suunto app")
        header, product, serial = {}, None, None
        flat, rr_blocks = _attribute_samples(wrapped)
        stamp_is_last_beat = True
    flat = [(text, fields) for text, fields in flat if fields.keys() & FIELDS.keys()]  # no events
    texts = [text if isinstance(text, str) else None for text, _ in flat]
    times, time_warnings = parse_times(texts, source)
    warnings.extend(time_warnings)
    columns = _columns([fields for _, fields in flat])
    samples = build_samples(times, columns, warnings)
    rr = _rr(rr_blocks, stamp_is_last_beat, samples, source, warnings)
    if samples.empty and rr.empty:
        raise InputError(source, "Suunto JSON holds no timed sample and no R-R interval",
                         "export the workout again from the Suunto app")
    start = samples.index[0] if not samples.empty else rr.index[0]
    meta = ActivityMeta(sport=sport_of(_string(header.get("Activity"))), start=start,
                        utc_offset=utc_offset_of(next((t for t in texts if t), None)),
                        manufacturer="suunto", product=_string(product),
                        serial=_string(serial), format="suunto_json",
                        decoder="myokinetics.suunto_json", decoder_version="1")
    return Activity(samples=samples, rr=rr, meta=meta, warnings=warnings)


def _string(value: object) -> str | None:
    return str(value) if isinstance(value, (str, int)) and str(value).strip() else None


def _attribute_samples(wrapped: list[Any]) -> tuple[list[tuple[Any, dict[str, Any]]],
                                                    list[tuple[Any, list[Any]]]]:
    """(time, fields) of each sample and (time, intervals) of each R-R block."""
    flat = []
    blocks = []
    for sample in map(mapping, wrapped):
        sml = mapping(mapping(sample.get("Attributes")).get(SML_KEY))
        if "Sample" in sml:
            flat.append((sample.get("TimeISO8601"), mapping(sml["Sample"])))
        if "R-R" in sml:
            block = mapping(sml["R-R"])
            blocks.append((sample.get("TimeISO8601"), items(block.get("IBI", block.get("Data")))))
    return flat, blocks


def _columns(samples: list[dict[str, Any]]) -> dict[str, list[float]]:
    """Canonical columns over all samples (NaN where a sample lacks the field)."""
    columns: dict[str, list[float]] = {}
    for position, fields in enumerate(samples):
        for name, raw in fields.items():
            found = canonical_value(name, raw)
            if found is None:
                continue
            values = columns.setdefault(found[0], [np.nan] * len(samples))
            if np.isnan(values[position]):
                values[position] = found[1]
    return columns


def _rr(blocks: list[tuple[Any, list[Any]]], stamp_is_last_beat: bool, samples: pd.DataFrame,
        source: str, warnings: list[str]) -> pd.Series:
    """The R-R blocks as one back-to-back series from the first block's time stamp (else the
    first sample's time); when the stamp is the first block's last beat, from that beat back."""
    numbers = np.array([number(v) for _, block in blocks for v in block], dtype="float64")
    if not len(numbers):
        return empty_rr()
    stamp = blocks[0][0]
    if isinstance(stamp, str):
        origin = parse_start(stamp, source, "Suunto JSON R-R", warnings)
    elif not samples.empty:
        origin = samples.index[0]
    else:
        raise InputError(source, "Suunto JSON R-R data has no start time",
                         "export the workout again from the Suunto app")
    if stamp_is_last_beat:
        first = numbers[:len(blocks[0][1])]
        lead_ms = float(first[np.isfinite(first) & (first > 0)].sum())
        if lead_ms <= limit("reader", "duration_s")[1] * 1000.0:  # else rr_series refuses
            origin = origin - pd.Timedelta(milliseconds=lead_ms)
    return rr_series(numbers, origin, warnings, source)
