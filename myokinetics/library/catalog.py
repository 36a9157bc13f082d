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
from myokinetics.library.dates import SUSPECT, implausible, suspect_warning

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
    status          TEXT NOT NULL,          -- 'ok', 'partial' or 'suspect' (implausible date)
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
-- The user's session choices (myokinetics merge/unmerge; see sessions.py). Added after
-- version 1 as a table of its own, so catalogs written before it gain it on opening.
CREATE TABLE IF NOT EXISTS session_choices (
    activity_id     INTEGER PRIMARY KEY REFERENCES activities (id),
    link            INTEGER,                -- same link: one session, whatever the times
    alone           INTEGER NOT NULL DEFAULT 0,  -- 1: never linked by overlap
    is_primary      INTEGER NOT NULL DEFAULT 0   -- 1: the recording counted for its session
);
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
    """The catalog row describing ``activity`` stored at ``file`` (relative path); its status
    is ``suspect`` when the start is implausible (see :mod:`myokinetics.library.dates`)."""
    meta = activity.meta
    status: str = activity.status
    warnings = list(activity.warnings)
    if meta.start is not None and implausible(pd.Series([pd.Timestamp(meta.start)])).iloc[0]:
        status = SUSPECT
        warnings.append(suspect_warning(pd.Timestamp(meta.start)))
    device = " ".join(str(p) for p in (meta.manufacturer, meta.product) if p) or None
    return {
        "sha256": meta.sha256, "file": file, "name": name, "sport": meta.sport,
        "sub_sport": meta.sub_sport, "start": _iso_utc(meta.start),
        "utc_offset_s": None if meta.utc_offset is None else meta.utc_offset.total_seconds(),
        "duration_s": activity.duration_s, "device": device, "serial": meta.serial,
        "source": meta.source, "format": meta.format, "status": status,
        "warnings": json.dumps(warnings), "samples": len(activity.samples),
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

    def choices(self) -> pd.DataFrame:
        """The ``session_choices`` rows: ``activity_id``, ``link``, ``alone``, ``is_primary``."""
        return pd.read_sql_query("SELECT activity_id, link, alone, is_primary FROM "
                                 "session_choices ORDER BY activity_id", self._db)

    def link(self, identifiers: list[int], primary: int | None) -> None:
        """Make ``identifiers`` one session (joining the sessions they were linked into);
        ``primary``, when given, is the one counted and the others are not."""
        with self._transaction():
            links = [row[0] for row in self._db.execute(
                f"SELECT DISTINCT link FROM session_choices WHERE link IS NOT NULL AND "
                f"activity_id IN ({_marks(identifiers)})", identifiers)]
            members = set(identifiers) | {row[0] for row in self._db.execute(
                f"SELECT activity_id FROM session_choices WHERE link IN ({_marks(links)})",
                links)}
            self._set(sorted(members), link=min(members), alone=0)
            if primary is not None:
                self._db.execute(f"UPDATE session_choices SET is_primary = 0 WHERE activity_id "
                                 f"IN ({_marks(sorted(members))})", sorted(members))
                self._db.execute("UPDATE session_choices SET is_primary = 1 WHERE "
                                 "activity_id = ?", (primary,))

    def set_primary(self, identifier: int, session: list[int]) -> None:
        """Count ``identifier`` for its session (the ids of which are ``session``)."""
        with self._transaction():
            self._set(session)
            self._db.execute(f"UPDATE session_choices SET is_primary = (activity_id = ?) "
                             f"WHERE activity_id IN ({_marks(session)})",
                             [identifier, *session])

    def separate(self, identifiers: list[int]) -> None:
        """Count each of ``identifiers`` on its own: no link, never linked by overlap."""
        with self._transaction():
            self._set(identifiers, link=None, alone=1, is_primary=0)

    def _set(self, identifiers: list[int], **values: int | None) -> None:
        """Create the choice rows of ``identifiers`` when missing, then set ``values``."""
        self._db.executemany("INSERT OR IGNORE INTO session_choices (activity_id) VALUES (?)",
                             [(i,) for i in identifiers])
        for column, value in values.items():
            self._db.execute(f"UPDATE session_choices SET {column} = ? WHERE activity_id IN "
                             f"({_marks(identifiers)})", [value, *identifiers])

    def delete(self, identifier: int) -> None:
        """Remove an activity's row and its session choices, in one transaction."""
        try:
            with self._transaction():
                self._db.execute("DELETE FROM session_choices WHERE activity_id = ?",
                                 (identifier,))
                self._db.execute("DELETE FROM activities WHERE id = ?", (identifier,))
        except sqlite3.Error as error:
            raise LibraryError(self.path, f"catalog write failed ({error})",
                               "check free disk space and permissions") from None

    def files(self) -> set[str]:
        """Every data file the catalog names (relative paths)."""
        return {row[0] for row in self._db.execute("SELECT file FROM activities")}

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


def _marks(values: list[Any]) -> str:
    """SQL placeholders for ``values``: ``?, ?, ?``."""
    return ", ".join("?" for _ in values)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")
