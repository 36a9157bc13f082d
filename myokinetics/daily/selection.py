"""Which library activities the days count: one recording per session, plausible dates only.

A session recorded by several devices (see :mod:`myokinetics.library.sessions`) is counted
once, from its primary recording; the others are named on that activity's entry of the day
(``also_recorded_by``). Activities with status ``suspect`` (a start before 1985 or after
tomorrow) are left out unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from myokinetics.library.dates import SUSPECT

__all__ = ["Selection", "counted_activities"]


@dataclass
class Selection:
    """The catalog rows counted, and what was left out.

    Attributes
    ----------
    counted : DataFrame
        Catalog rows of the primary recordings, with a ``duplicates`` column: the ids (str) of
        the session's other recordings.
    suspect : list of str
        Ids left out for an implausible date.
    merged : int
        Sessions recorded by several devices (each counted once).
    """

    counted: pd.DataFrame
    suspect: list[str] = field(default_factory=list)
    merged: int = 0


def counted_activities(catalog: pd.DataFrame, include_suspect: bool = False) -> Selection:
    """The rows of ``catalog`` (``Library.activities()``) the daily summaries count; a
    catalog without the session columns (another library object) counts every row."""
    if "primary" not in catalog:
        catalog = catalog.assign(primary=True, session=range(len(catalog)))
    suspect = catalog["status"].eq(SUSPECT)
    kept = catalog if include_suspect else catalog[~suspect]
    others: dict[int, tuple[str, ...]] = {}
    for session, identifier in zip(kept["session"], kept["id"].where(~kept["primary"]),
                                   strict=True):
        if pd.notna(identifier):
            others[int(session)] = (*others.get(int(session), ()), str(int(identifier)))
    counted = kept[kept["primary"]].copy()
    counted["duplicates"] = [others.get(int(session), ()) for session in counted["session"]]
    return Selection(counted=counted.reset_index(drop=True),
                     suspect=[] if include_suspect else
                     [str(i) for i in catalog.loc[suspect, "id"]],
                     merged=int((counted["duplicates"].map(len) > 0).sum()))
