"""The library catalog: one SQLite table, one row per activity, keyed by content hash.

A row is inserted only after the activity's data file is complete on disk, in its own
transaction, so the catalog never names a half-written activity. The ``sha256`` column is
UNIQUE: inserting content that is already there changes nothing (``added`` is False).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd

from myokinetics.activity import Activity
from myokinetics.errors import LibraryError

__all__ = ["COLUMNS", "Catalog", "row_for"]

CATALOG_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS activities (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256          TEXT NOT NULL UNIQUE,   -- of the decompressed source content
    file            TEXT NOT NULL,          -- data file, relative to the library folder
    name            TEXT,                   -- e.g. from a Strava export's activities.csv
    sport           TEXT NOT NULL,
    sub_sport       TEXT,
    start           TEXT,                   -- ISO 8601 UTC, 'YYYY-MM-DDTHH:MM:SS.ffffffZ'
    utc_offset_s    REAL,                   -- local time minus UTC (s); NULL when unknown
    duration_s      REAL NOT NULL,          -- first to last sample (s)
    device          TEXT,
    serial          TEXT,
    source          TEXT,                   -- file (or archive!member) it was imported from
    format          TEXT,
    status          TEXT NOT NULL,          -- 'ok' or 'partial'
    warnings        TEXT NOT NULL,          -- JSON list of strings
    samples         INTEGER NOT NULL,
    rr_intervals    INTEGER NOT NULL,
    laps            INTEGER NOT NULL,
    has_heart_rate  INTEGER NOT NULL,
    has_power       INTEGER NOT NULL,
    time_base       TEXT NOT NULL,
    decoder         TEXT,
    decoder_version TEXT,
    imported_at     TEXT NOT NULL           -- ISO 8601 UTC
);
CREATE INDEX IF NOT EXISTS activities_start ON activities (start);
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

#: Catalog columns, in table order.
COLUMNS = ("id", "sha256", "file", "name", "sport", "sub_sport", "start", "utc_offset_s",
           "duration_s", "device", "serial", "source", "format", "status", "warnings",
           "samples", "rr_intervals", "laps", "has_heart_rate", "has_power", "time_base",
           "decoder", "decoder_version", "imported_at")


def _iso_utc(stamp: pd.Timestamp | dt.datetime | None) -> str | None:
    if stamp is None or pd.isna(stamp):
        return None
    return pd.Timestamp(stamp).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_for(activity: Activity, file: str, name: str | None = None) -> dict[str, Any]:
    """The catalog row describing ``activity`` stored at ``file`` (relative path)."""
    meta = activity.meta
    device = " ".join(str(p) for p in (meta.manufacturer, meta.product) if p) or None
    return {
        "sha256": meta.sha256, "file": file, "name": name, "sport": meta.sport,
        "sub_sport": meta.sub_sport, "start": _iso_utc(meta.start),
        "utc_offset_s": None if meta.utc_offset is None else meta.utc_offset.total_seconds(),
        "duration_s": activity.duration_s, "device": device, "serial": meta.serial,
        "source": meta.source, "format": meta.format, "status": activity.status,
        "warnings": json.dumps(list(activity.warnings)), "samples": len(activity.samples),
        "rr_intervals": len(activity.rr), "laps": len(activity.laps),
        "has_heart_rate": int(activity.heart_rate_coverage > 0),
        "has_power": int(activity.has_power), "time_base": meta.time_base,
        "decoder": meta.decoder, "decoder_version": meta.decoder_version,
        "imported_at": _iso_utc(pd.Timestamp.now(tz="UTC")),
    }


class Catalog:
    """The SQLite catalog file of a library (WAL mode; safe for concurrent readers).

    Parameters
    ----------
    path : Path
        The ``catalog.sqlite`` file; created with its schema when missing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(path, timeout=60, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._db.execute("INSERT OR IGNORE INTO info VALUES ('catalog_version', ?)",
                             (str(CATALOG_VERSION),))
        except sqlite3.Error as error:
            raise LibraryError(path, f"catalog cannot be opened ({error})",
                               "check the library folder; pass --library to use another") from None

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def id_of(self, sha256: str) -> int | None:
        """The id of the activity with this content hash, or None."""
        found = self._db.execute("SELECT id FROM activities WHERE sha256 = ?",
                                 (sha256,)).fetchone()
        return None if found is None else int(found[0])

    def insert(self, row: dict[str, Any]) -> tuple[int, bool]:
        """Insert ``row`` in one transaction; return ``(id, added)``.

        ``added`` is False when an activity with the same ``sha256`` was already there.
        """
        names = [c for c in COLUMNS if c != "id"]
        placeholders = ", ".join("?" for _ in names)
        try:
            with self._transaction():
                cursor = self._db.execute(
                    f"INSERT INTO activities ({', '.join(names)}) VALUES ({placeholders}) "
                    "ON CONFLICT (sha256) DO NOTHING", [row.get(n) for n in names])
                added = cursor.rowcount == 1
        except sqlite3.Error as error:
            raise LibraryError(self.path, f"catalog write failed ({error})",
                               "check free disk space and permissions") from None
        identifier = self.id_of(row["sha256"])
        assert identifier is not None
        return identifier, added

    def relabel(self, identifier: int, name: str | None, sport: str | None) -> None:
        """Give an activity the name and sport an export's index states (Strava's
        ``activities.csv``): the name replaces the stored one, the sport only "generic" (a
        sport the file itself states wins)."""
        with self._transaction():
            if name:
                self._db.execute("UPDATE activities SET name = ? WHERE id = ?",
                                 (name, identifier))
            if sport:
                self._db.execute("UPDATE activities SET sport = ? WHERE id = ? "
                                 "AND sport = 'generic'", (sport, identifier))

    def rows(self, where: str = "", parameters: tuple[Any, ...] = ()) -> pd.DataFrame:
        """Catalog rows (all columns) matching an SQL ``where`` clause, ordered by start."""
        query = f"SELECT {', '.join(COLUMNS)} FROM activities {where} ORDER BY start, id"
        return pd.read_sql_query(query, self._db, params=parameters)

    def files(self) -> set[str]:
        """Every data file the catalog names (relative paths)."""
        return {row[0] for row in self._db.execute("SELECT file FROM activities")}

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")
