"""Local calendar days: which activities belong to which day, and each day's UTC window.

An activity belongs to the local calendar day of its start, in its own UTC offset, so a run at
23:30 in UTC-5 lands on its local day although it starts on the next day in UTC. An activity
whose file gave no offset takes the offset of the nearest earlier activity (else the nearest
later one, else UTC) — people rarely change time zone between two workouts.

Days tile time without gaps: a day's window runs from the end of the previous day to local
midnight in the day's own offset. A day on which the offset changes (travel) is then shorter
or longer than 24 h, exactly as a daylight-saving day is. A day's offset is that of its last
activity (where the athlete ends the day); a rest day keeps the previous day's offset.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CatalogEntry", "Day", "build_days", "entries_from_catalog", "local_date", "unplaced"]


@dataclass(frozen=True)
class CatalogEntry:
    """One library activity as the day engine sees it (plain data, from the catalog).

    Attributes
    ----------
    id : any
        The library's activity id (passed back to ``Library.load``).
    sha256 : str
        Hash of the activity's source content; the day's inputs hash is built from these.
    sport : str
    start : Timestamp
        UTC start.
    duration_s : float
        Elapsed duration (s).
    status : str
        Library status ("ok", "partial", ...).
    utc_offset_s : int
        Local time minus UTC (s) used to place the activity on a day.
    offset_known : bool
        False when the file gave no offset and ``utc_offset_s`` was borrowed from a neighbour.
    duplicates : tuple of str
        Ids of other recordings of the same session (other devices), not counted.
    """

    id: Any
    sha256: str
    sport: str
    start: pd.Timestamp
    duration_s: float
    status: str
    utc_offset_s: int
    offset_known: bool
    duplicates: tuple[str, ...] = ()

    @property
    def local_date(self) -> dt.date:
        """The local calendar day of the start."""
        return local_date(self.start, self.utc_offset_s)


@dataclass(frozen=True)
class Day:
    """One local calendar day and what falls on it.

    ``start``/``end`` are the UTC bounds of the day's window (end exclusive).
    """

    date: dt.date
    utc_offset_s: int
    start: pd.Timestamp
    end: pd.Timestamp
    entries: tuple[CatalogEntry, ...]


def local_date(start: pd.Timestamp, utc_offset_s: int) -> dt.date:
    """Local calendar date of the UTC instant ``start`` at ``utc_offset_s`` seconds from UTC."""
    return (start.tz_convert("UTC").tz_localize(None) + pd.Timedelta(seconds=utc_offset_s)).date()


def _local_midnight_utc(date: dt.date, utc_offset_s: int) -> pd.Timestamp:
    return pd.Timestamp(date, tz="UTC") - pd.Timedelta(seconds=utc_offset_s)


def entries_from_catalog(catalog: pd.DataFrame) -> list[CatalogEntry]:
    """Catalog rows (``Library.activities()``) as entries sorted by start, offsets filled in.

    Parameters
    ----------
    catalog : DataFrame
        Columns ``id``, ``sha256``, ``sport``, ``start`` (UTC), ``utc_offset_s`` (s, NaN when
        unknown), ``duration_s`` (s), ``status``, optionally ``time_base`` and
        ``duplicates`` (see :mod:`myokinetics.daily.selection`). Rows without a
        start, or whose times are only relative to the device's power-on
        (``time_base == "relative"``), are left out: they cannot be placed on a day (see
        :func:`unplaced`).
    """
    if len(catalog) == 0:
        return []
    frame = catalog[~_unplaceable(catalog)].copy()
    frame["start"] = pd.to_datetime(frame["start"], utc=True)
    frame["_key"] = frame["id"].astype(str)
    frame = frame.sort_values(["start", "_key"], kind="mergesort")
    known = pd.to_numeric(frame["utc_offset_s"], errors="coerce")
    filled = known.ffill().bfill().fillna(0.0)
    entries = []
    row: Any  # itertuples() rows: the stubs type every field as any scalar
    for row, offset, is_known in zip(frame.itertuples(index=False), filled, known.notna(),
                                     strict=True):
        duration = float(row.duration_s) if pd.notna(row.duration_s) else 0.0
        entries.append(CatalogEntry(
            id=row.id.item() if isinstance(row.id, np.generic) else row.id,
            sha256=str(row.sha256), sport=str(row.sport), start=row.start,
            duration_s=duration, status=str(row.status), utc_offset_s=round(offset),
            offset_known=bool(is_known), duplicates=tuple(getattr(row, "duplicates", ()))))
    return entries


def _unplaceable(catalog: pd.DataFrame) -> pd.Series:
    mask = catalog["start"].isna()
    if "time_base" in catalog:
        mask |= catalog["time_base"].eq("relative")
    return mask


def unplaced(catalog: pd.DataFrame) -> list[str]:
    """Ids of catalog rows that have no wall-clock start and so belong to no day."""
    if len(catalog) == 0:
        return []
    return [str(i) for i in catalog.loc[_unplaceable(catalog), "id"]]


def build_days(entries: list[CatalogEntry], first: dt.date | None = None,
               last: dt.date | None = None) -> list[Day]:
    """Every local day from ``first`` to ``last`` (inclusive), rest days included.

    Parameters
    ----------
    entries : list of CatalogEntry
        Sorted by start (as :func:`entries_from_catalog` returns them).
    first, last : date, optional
        The range; default the local days of the first and last activity. Activities outside
        the range are left out.

    Returns
    -------
    list of Day
        Contiguous windows in time order; empty when there is neither an activity nor a range.
    """
    by_date: dict[dt.date, list[CatalogEntry]] = {}
    for entry in entries:
        by_date.setdefault(entry.local_date, []).append(entry)
    if first is None:
        first = min(by_date) if by_date else last
    if last is None:
        last = max(by_date) if by_date else first
    if first is None or last is None or last < first:
        return []
    dates = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    offsets = pd.Series([by_date[d][-1].utc_offset_s if d in by_date else np.nan for d in dates],
                        dtype="float64")
    if offsets.isna().all() and entries:
        offsets[:] = entries[0].utc_offset_s if dates[0] < entries[0].local_date \
            else entries[-1].utc_offset_s
    offsets = offsets.ffill().bfill().fillna(0.0)
    days = []
    previous_end: pd.Timestamp | None = None
    for date, offset in zip(dates, offsets, strict=True):
        offset_s = int(offset)
        start = _local_midnight_utc(date, offset_s) if previous_end is None else previous_end
        end = max(_local_midnight_utc(date + dt.timedelta(days=1), offset_s), start)
        days.append(Day(date=date, utc_offset_s=offset_s, start=start, end=end,
                        entries=tuple(by_date.get(date, ()))))
        previous_end = end
    return days
