"""``export(activity, path, format)``: one entry point over the FIT, TCX and CSV writers."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from myokinetics.activity import SAMPLE_COLUMNS, Activity
from myokinetics.errors import InputError, MyokineticsError
from myokinetics.export.fit_writer import fit_bytes
from myokinetics.export.tcx_writer import tcx_bytes

__all__ = ["FORMATS", "csv_bytes", "export", "rr_csv_bytes", "rr_path"]

FORMATS = ("fit", "tcx", "csv")


def csv_bytes(activity: Activity) -> bytes:
    """The samples in the myokinetics CSV format (docs/import.md): ISO 8601 UTC times and the
    canonical columns in their units."""
    return _csv(activity.samples[[c for c in SAMPLE_COLUMNS if c in activity.samples]])


def rr_csv_bytes(activity: Activity) -> bytes:
    """The RR intervals as a myokinetics CSV of their own: ``time`` (the beat) and ``rr`` (ms).

    Kept apart from the samples because a CSV row holding only ``rr`` would read back as an
    empty sample.
    """
    return _csv(activity.rr.to_frame("rr"))


def _csv(frame: pd.DataFrame) -> bytes:
    frame = frame.copy()
    assert isinstance(frame.index, pd.DatetimeIndex)  # samples and RR: indexed by time
    frame.index = pd.Index(frame.index.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), name="time")
    return frame.to_csv(float_format="%.15g", lineterminator="\n").encode("utf-8")


def rr_path(path: Path) -> Path:
    """Where the CSV export puts the RR intervals: ``ride.csv`` -> ``ride-rr.csv``."""
    return path.with_name(f"{path.stem}-rr{path.suffix or '.csv'}")


def export(activity: Activity, path: str | os.PathLike[str], format: str) -> list[Path]:
    """Write ``activity`` to ``path`` as ``format`` ("fit", "tcx" or "csv").

    FIT holds everything; TCX has no place for RR intervals; CSV writes the samples to
    ``path`` and the RR intervals, when there are any, to :func:`rr_path` beside it.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InputError
        Unknown format, or an activity with nothing to write.
    MyokineticsError
        The file cannot be written.
    """
    writers = {"fit": fit_bytes, "tcx": tcx_bytes, "csv": csv_bytes}
    if format not in writers:
        raise InputError("--format", f"{format!r} is not an export format",
                         f"choose one of {', '.join(FORMATS)}")
    if activity.samples.empty and activity.rr.empty:
        raise InputError(activity.meta.source or "activity", "has no samples and no RR",
                         "nothing to export")
    path = Path(path)
    files = {path: writers[format](activity)} if len(activity.samples) or format != "csv" else {}
    if format == "csv" and len(activity.rr):
        files[rr_path(path)] = rr_csv_bytes(activity)
    for target, data in files.items():
        try:
            target.write_bytes(data)
        except OSError as error:
            raise MyokineticsError(target, f"cannot be written ({error.strerror or error})",
                                   "give --out a path in a folder you can write to") from None
    return list(files)
