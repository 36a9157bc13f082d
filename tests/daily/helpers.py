"""Test inputs for the daily summaries: generated FIT activities and a list-backed library."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache
from pathlib import Path

import pandas as pd

from myokinetics.activity import Activity
from myokinetics.errors import LibraryError
from myokinetics.ingest.dispatch import read_bytes


@cache
def _fit(seed: int, seconds: int) -> bytes:
    from tools.fitgen import fit_bytes
    from tools.fitgen_edge import short_run

    return fit_bytes(short_run(seed=seed, seconds=seconds))


def moved(activity: Activity, start: str, offset_h: float) -> Activity:
    """``activity`` shifted in time to start at ``start`` (UTC) with local offset ``offset_h``.

    The content hash gets the new start appended, as a different recording would differ.
    """
    shift = pd.Timestamp(start) - activity.meta.start
    samples = activity.samples.copy()
    samples.index = samples.index + shift
    rr = activity.rr.copy()
    rr.index = rr.index + shift
    meta = dataclasses.replace(activity.meta, start=pd.Timestamp(start),
                               utc_offset=dt.timedelta(hours=offset_h),
                               sha256=f"{activity.meta.sha256}-{start}")
    return dataclasses.replace(activity, samples=samples, rr=rr, meta=meta)


def generated(start: str, offset_h: float, seed: int = 7, seconds: int = 900) -> Activity:
    """A generated interval run (real FIT bytes through the FIT reader) moved to ``start``."""
    return moved(read_bytes(_fit(seed, seconds), f"gen-{seed}.fit"), start, offset_h)


def write_generated(path: Path, start: str, offset_h: float, seed: int = 7,
                    seconds: int = 900) -> Path:
    """Write a generated interval run as a FIT file that starts at ``start`` (UTC)."""
    from tools.fitgen import write_fit
    from tools.fitgen_edge import short_run

    spec = dataclasses.replace(short_run(seed=seed, seconds=seconds), start=pd.Timestamp(start),
                               utc_offset=dt.timedelta(hours=offset_h))
    return write_fit(spec, path)


class ListLibrary:
    """The two library calls the daily summaries make, over activities held in a list.

    ``damaged`` ids raise :class:`LibraryError` from ``load``, as a library entry whose
    stored file is corrupt does.
    """

    def __init__(self, activities: list[Activity], damaged: tuple[str, ...] = ()) -> None:
        self.items = {f"a{i:03d}": a for i, a in enumerate(activities)}
        self.damaged = set(damaged)

    def activities(self) -> pd.DataFrame:
        return pd.DataFrame({
            "id": list(self.items),
            "sha256": [a.meta.sha256 for a in self.items.values()],
            "sport": [a.meta.sport for a in self.items.values()],
            "start": pd.to_datetime([a.meta.start for a in self.items.values()], utc=True),
            "utc_offset_s": [a.meta.utc_offset.total_seconds() if a.meta.utc_offset is not None
                             else float("nan") for a in self.items.values()],
            "duration_s": [a.duration_s for a in self.items.values()],
            "status": [a.status for a in self.items.values()],
        })

    def load(self, activity_id: str) -> Activity:
        if activity_id in self.damaged:
            raise LibraryError(f"library entry {activity_id}", "stored file is corrupt",
                               "import the source file again")
        return self.items[activity_id]
