"""Deterministic, atomic file output for daily summaries.

Two runs over the same inputs must give byte-identical files, so every writer here fixes what
would otherwise vary: key order, float formatting, line endings, and plot metadata. Nothing
written here holds the time of the run.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "FLOAT_DIGITS",
    "atomic_write_bytes",
    "canonical",
    "canonical_json",
    "table_bytes",
]

#: Significant digits kept for every float written (JSON, CSV). Ten digits is far below the
#: precision of any input and hides last-bit noise between platforms.
FLOAT_DIGITS = 10


def _float(value: float) -> float | None:
    if not math.isfinite(value):
        return None
    rounded = float(f"{value:.{FLOAT_DIGITS}g}")
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


def canonical(value: Any) -> Any:
    """``value`` as plain JSON types: rounded floats, ISO timestamps, NaN as None.

    Parameters
    ----------
    value : any
        Nested dicts, lists, tuples, numbers (Python or numpy), strings, None, pandas
        Timestamps / Timedeltas, datetime dates.

    Returns
    -------
    any
        The same structure made only of dict (str keys), list, str, int, float, bool, None.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return _float(float(value))
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, pd.Timedelta):
        return _float(value.total_seconds())
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [canonical(v) for v in value]
    if value is pd.NaT:
        return None
    raise TypeError(f"cannot serialise {type(value).__name__} deterministically")


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys, two-space indent and a final newline."""
    text = json.dumps(canonical(value), sort_keys=True, indent=2, ensure_ascii=False,
                      allow_nan=False)
    return (text + "\n").encode("utf-8")


def atomic_write_bytes(path: Path, data: bytes, durable: bool = False) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The bytes go to a temporary file in the same folder, which is renamed over ``path``
    (``os.replace`` is atomic on POSIX and Windows), so a killed run never leaves half a file.
    With ``durable`` the data is also flushed to the disk before the rename (``fsync``), which
    protects against a power loss too; the daily run does this for its manifest only, because
    a fsync per day file cost more than the computation of the day.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def table_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """``frame`` as CSV (``fmt="csv"``) or Parquet (``fmt="parquet"``) bytes, deterministically.

    CSV uses ``\\n`` line ends and :data:`FLOAT_DIGITS` significant digits; Parquet is
    zstd-compressed by pyarrow without column statistics; the pandas index is dropped.
    """
    if fmt == "csv":
        text = frame.to_csv(index=False, lineterminator="\n",
                            float_format=f"%.{FLOAT_DIGITS}g")
        return text.encode("utf-8")
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        sink = io.BytesIO()
        pq.write_table(table, sink, compression="zstd", write_statistics=False)
        return sink.getvalue()
    raise ValueError(f"unknown table format {fmt!r} (csv or parquet)")
