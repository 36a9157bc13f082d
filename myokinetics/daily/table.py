"""The daily table: one flat row per day, built from the days' JSON documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = ["daily_table", "flatten"]

#: Columns that always come first, in this order; the rest follow sorted by name.
LEADING = ("date", "utc_offset_s", "n_activities", "sports")


def flatten(document: Mapping[str, Any]) -> dict[str, Any]:
    """One day's document as a flat row: nested keys joined with ``.``.

    Lists are summarised rather than spread: ``activities`` becomes ``n_activities`` and
    ``sports`` (the distinct sports joined with ``+``), ``skipped`` becomes ``n_skipped``;
    other lists and text notes are left out of the table (they stay in the JSON).
    """
    row: dict[str, Any] = {}
    activities = document.get("activities", [])
    row["n_activities"] = len(activities)
    row["sports"] = "+".join(sorted({str(a.get("sport")) for a in activities}))
    row["n_skipped"] = len(document.get("skipped", []))

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key in sorted(value):
                walk(f"{prefix}.{key}" if prefix else str(key), value[key])
        elif not isinstance(value, list):
            row[prefix] = value

    for key in sorted(document):
        if key not in ("activities", "skipped", "note"):
            walk(key, document[key])
    return row


def daily_table(documents: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The daily table of the days' documents, in date order, columns in a fixed order."""
    rows = [flatten(doc) for doc in sorted(documents, key=lambda d: d["date"])]
    frame = pd.DataFrame(rows)
    columns = [c for c in LEADING if c in frame] + sorted(str(c) for c in frame if c not in LEADING)
    frame = frame[columns]
    for column in frame:
        # Columns that are numbers on some days and missing on others become float with NaN;
        # text columns keep None as empty cells.
        if frame[column].map(lambda v: v is None or isinstance(v, int | float)).all() \
                and frame[column].notna().any() and frame[column].dtype == object:
            frame[column] = pd.to_numeric(frame[column])
    return frame.reset_index(drop=True)
