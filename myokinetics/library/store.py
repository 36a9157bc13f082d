"""One Parquet file per activity: samples, RR, laps and sessions as separate row groups.

Layout of ``<sha256>.parquet`` (schema version 1):

* column ``kind`` says what a row is: ``"samples"``, ``"rr"``, ``"laps"`` or ``"sessions"``;
  the rows of each kind are written as their own row group(s), in that order;
* ``time`` (timestamp, UTC) is the sample / beat time; the sample columns keep their
  canonical names and units; ``rr`` holds RR intervals (ms);
* lap and session columns are prefixed ``lap.`` and ``session.``;
* the file's key-value metadata ``myokinetics`` holds JSON: the schema version, the
  :class:`~myokinetics.activity.ActivityMeta`, warnings, status, the column lists and the
  timer pauses (``[[start, end], ...]`` as ISO 8601 UTC; absent in files written before them).

Anyone can read a part back with pandas alone, e.g.
``pd.read_parquet(path, filters=[("kind", "==", "rr")])``. Files are written to a temporary
name in the same folder, flushed to disk and renamed into place, so a reader (or a killed
writer) never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from myokinetics.activity import Activity, ActivityMeta, empty_pauses, empty_rr, empty_samples
from myokinetics.errors import LibraryError

__all__ = ["SCHEMA_VERSION", "TEMP_SUFFIX", "read_activity", "relative_data_path", "write_activity"]

SCHEMA_VERSION = 1
METADATA_KEY = b"myokinetics"
#: Temporary files end with ``.<pid>.<random>`` + this suffix until renamed into place.
TEMP_SUFFIX = ".tmp"
_PREFIX = {"laps": "lap.", "sessions": "session."}


def relative_data_path(sha256: str) -> str:
    """Where an activity's data file lives inside the library (POSIX relative path)."""
    return f"activities/{sha256[:2]}/{sha256}.parquet"


def write_activity(activity: Activity, path: Path) -> int:
    """Write ``activity`` to ``path`` atomically; return the file size (bytes).

    Parameters
    ----------
    activity : Activity
        What to store; ``meta.sha256`` should be set (it names the file in the library).
    path : Path
        Final location; its folder is created when missing.
    """
    parts = {"samples": _samples_table(activity.samples), "rr": _rr_table(activity.rr),
             "laps": _summary_table(activity.laps, "laps"),
             "sessions": _summary_table(activity.sessions, "sessions")}
    parts = {kind: _plain(table) for kind, table in parts.items()}
    columns = {"samples": [c for c in activity.samples.columns],
               "laps": [str(c) for c in activity.laps.columns],
               "sessions": [str(c) for c in activity.sessions.columns]}
    info = {"schema_version": SCHEMA_VERSION, "meta": activity.meta.as_dict(),
            "warnings": list(activity.warnings), "status": activity.status,
            "columns": columns,
            "pauses": [[start.isoformat(), end.isoformat()] for start, end in
                       zip(activity.pauses["start"], activity.pauses["end"], strict=True)]}
    tables = [table for table in parts.values() if table.num_rows]
    if not tables:
        tables = [parts["samples"]]
    combined = pa.concat_tables(tables, promote_options="default")
    schema = combined.schema.with_metadata({METADATA_KEY: json.dumps(info).encode()})
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}")
    try:
        with temp.open("wb") as handle:
            with pq.ParquetWriter(handle, schema, compression="zstd") as writer:
                for table in tables:
                    writer.write_table(_conform(table, schema), row_group_size=1 << 20)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path.stat().st_size


def read_activity(path: Path) -> Activity:
    """Read an activity written by :func:`write_activity`.

    Raises
    ------
    LibraryError
        The file is missing or not a myokinetics activity file.
    """
    try:
        table = pq.read_table(path)
        info = json.loads(table.schema.metadata[METADATA_KEY])
    except (OSError, KeyError, TypeError, ValueError, pa.ArrowException) as error:
        raise LibraryError(path, f"activity file unreadable ({error})",
                           "re-import the activity") from None
    columns = info["columns"]
    samples = _part(table, "samples")
    if len(samples):
        samples = samples.set_index("time")[columns["samples"]]
    else:
        samples = empty_samples().reindex(columns=columns["samples"])
    samples.index = pd.DatetimeIndex(samples.index, name="time").as_unit("ns")
    rr_frame = _part(table, "rr")
    rr = empty_rr()
    if len(rr_frame):
        rr = pd.Series(rr_frame["rr"].to_numpy(dtype="float64"),
                       index=pd.DatetimeIndex(rr_frame["time"], name="time"), name="rr")
    assert isinstance(rr.index, pd.DatetimeIndex)  # empty_rr() and the above: time-indexed
    rr.index = rr.index.as_unit("ns")
    laps = _unprefixed(_part(table, "laps"), "laps", columns["laps"])
    sessions = _unprefixed(_part(table, "sessions"), "sessions", columns["sessions"])
    return Activity(samples=samples, rr=rr, laps=laps, sessions=sessions,
                    pauses=_pauses(info.get("pauses", [])), meta=_meta(info["meta"]),
                    warnings=list(info["warnings"]), status=info["status"])


def _pauses(spans: list[list[str]]) -> pd.DataFrame:
    if not spans:
        return empty_pauses()
    starts, ends = zip(*spans, strict=True)
    return pd.DataFrame({"start": pd.to_datetime(list(starts), utc=True).as_unit("ns"),
                         "end": pd.to_datetime(list(ends), utc=True).as_unit("ns")})


def _samples_table(samples: pd.DataFrame) -> pa.Table:
    frame = samples.reset_index()
    frame = frame.rename(columns={frame.columns[0]: "time"}) if "time" not in frame else frame
    frame.insert(0, "kind", "samples")
    return pa.Table.from_pandas(frame, preserve_index=False)


def _rr_table(rr: pd.Series) -> pa.Table:
    frame = pd.DataFrame({"kind": "rr", "time": rr.index, "rr": rr.to_numpy(dtype="float64")})
    return pa.Table.from_pandas(frame, preserve_index=False)


def _summary_table(frame: pd.DataFrame, kind: str) -> pa.Table:
    prefix = _PREFIX[kind]
    arrays = {"kind": pa.array([kind] * len(frame), pa.string())}
    for column in frame.columns:
        values = frame[column]
        try:
            array = pa.array(values, from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError):
            array = pa.array(values.map(lambda v: None if pd.isna(v) else str(v)), pa.string())
        if pa.types.is_null(array.type):
            array = array.cast(pa.string())
        arrays[prefix + str(column)] = array
    return pa.table(arrays)


def _plain(table: pa.Table) -> pa.Table:
    """Drop pandas metadata and use ``string`` for every text column, so parts concatenate."""
    schema = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type)
                        else f for f in table.schema])
    return table.replace_schema_metadata(None).cast(schema)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with every column of ``schema`` (nulls where it has none), in order."""
    columns = []
    for schema_field in schema:
        if schema_field.name in table.column_names:
            columns.append(table[schema_field.name].cast(schema_field.type))
        else:
            columns.append(pa.nulls(table.num_rows, schema_field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def _part(table: pa.Table, kind: str) -> pd.DataFrame:
    rows = table.filter(pc.equal(table["kind"], kind))
    return rows.drop_columns(["kind"]).to_pandas()


def _unprefixed(frame: pd.DataFrame, kind: str, columns: list[str]) -> pd.DataFrame:
    prefix = _PREFIX[kind]
    if not columns:
        return pd.DataFrame()
    if not len(frame):
        return pd.DataFrame(columns=columns)
    renamed = frame[[prefix + c for c in columns]]
    renamed.columns = columns
    return renamed.reset_index(drop=True)


def _meta(values: dict[str, Any]) -> ActivityMeta:
    values = dict(values)
    if values.get("start") is not None:
        values["start"] = pd.Timestamp(values["start"]).tz_convert("UTC")
    if values.get("utc_offset") is not None:
        values["utc_offset"] = dt.timedelta(seconds=values["utc_offset"])
    known = set(ActivityMeta.__dataclass_fields__)
    return ActivityMeta(**{k: v for k, v in values.items() if k in known})
