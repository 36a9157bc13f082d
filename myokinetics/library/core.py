"""The local activity library: a folder with a SQLite catalog and one Parquet file per activity.

Layout::

    <library>/
        catalog.sqlite                     the catalog (see catalog.py), WAL mode
        activities/<ab>/<sha256>.parquet   one file per activity (see store.py)

The folder is, in order of precedence: the ``path`` argument (``--library``), the
``MYOKINETICS_LIBRARY`` environment variable, or ``<user data dir>/myokinetics/library``
(platformdirs: ``~/.local/share`` on Linux, ``~/Library/Application Support`` on macOS,
``%LOCALAPPDATA%`` on Windows).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import pandas as pd
import platformdirs

from myokinetics.activity import Activity
from myokinetics.errors import LibraryError
from myokinetics.library.catalog import Catalog, row_for
from myokinetics.library.dates import SUSPECT, implausible
from myokinetics.library.sessions import link_sessions
from myokinetics.library.store import (
    TEMP_SUFFIX,
    read_activity,
    relative_data_path,
    write_activity,
)

if TYPE_CHECKING:
    from pandas._libs.tslibs.nattype import NaTType

    from myokinetics.ingest.archive import ArchiveLimits
    from myokinetics.library.importer import ImportReport

__all__ = ["ENV_VAR", "Library", "default_library_path"]

ENV_VAR = "MYOKINETICS_LIBRARY"
CATALOG_NAME = "catalog.sqlite"
#: Temporary files older than this (s) are removed even when their writer cannot be checked.
STALE_TEMP_AGE_S = 3600.0


def default_library_path() -> Path:
    """``$MYOKINETICS_LIBRARY`` if set, else ``<user data dir>/myokinetics/library``."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_data_path("myokinetics", appauthor=False) / "library"


def content_fingerprint(activity: Activity) -> str:
    """sha256 over the samples and RR of an activity that has no source-file hash (live)."""
    digest = hashlib.sha256()
    for part in (activity.samples, activity.rr):
        digest.update(pd.util.hash_pandas_object(part, index=True).to_numpy().tobytes())
    digest.update(str(activity.meta.start).encode())
    return digest.hexdigest()


class Library:
    """A local library of activities, deduplicated by content.

    Parameters
    ----------
    path : path-like, optional
        The library folder (created when missing); see the module docstring for the default.

    Examples
    --------
    >>> library = Library("/tmp/my-library")                        # doctest: +SKIP
    >>> report = library.import_paths(["~/Downloads/export.zip"])  # doctest: +SKIP
    >>> library.activities()[["id", "sport", "start", "duration_s"]]  # doctest: +SKIP
    >>> activity = library.load(1)                                  # doctest: +SKIP
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_library_path()
        try:
            (self.path / "activities").mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise LibraryError(self.path, f"library folder cannot be created ({error.strerror})",
                               f"pass --library or set {ENV_VAR} to a writable folder") from None
        self.catalog = Catalog(self.path / CATALOG_NAME)

    def __enter__(self) -> Library:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the catalog connection."""
        self.catalog.close()

    def __repr__(self) -> str:
        return f"Library({str(self.path)!r})"

    # ----- reading -----------------------------------------------------------------------

    def activities(self, since: str | pd.Timestamp | None = None,
                   sport: str | None = None) -> pd.DataFrame:
        """The catalog as a DataFrame, one row per activity, ordered by start.

        Parameters
        ----------
        since : str or Timestamp, optional
            Only activities starting at or after this time (a date or time; naive values
            are UTC).
        sport : str, optional
            Only this sport (e.g. ``"running"``; case-insensitive).

        Returns
        -------
        DataFrame
            Columns ``id``, ``sha256``, ``name``, ``sport``, ``sub_sport``, ``start`` (UTC
            Timestamp), ``utc_offset_s`` (s, NaN when unknown), ``duration_s`` (s),
            ``device``, ``serial``, ``source``, ``format``, ``status``, ``warnings`` (list of
            str), ``samples``, ``rr_intervals``, ``laps``, ``has_heart_rate``, ``has_power``
            (bool), ``time_base``, ``decoder``, ``decoder_version``, ``imported_at`` (UTC
            Timestamp), ``file`` (relative to the library folder), and the session columns of
            :func:`~myokinetics.library.sessions.link_sessions`: ``session`` (id of the
            session's first activity), ``session_size`` and ``primary`` (True for the
            recording counted). ``status`` is ``suspect`` for a start before 1985 or after
            tomorrow, also for rows imported before that check.

        Raises
        ------
        LibraryError
            ``since`` is not a date or time.
        """
        frame = self.catalog.rows()
        frame["start"] = pd.to_datetime(frame["start"], utc=True, format="ISO8601")
        frame["imported_at"] = pd.to_datetime(frame["imported_at"], utc=True, format="ISO8601")
        frame["warnings"] = frame["warnings"].map(json.loads)
        for column in ("has_heart_rate", "has_power"):
            frame[column] = frame[column].astype(bool)
        frame["utc_offset_s"] = frame["utc_offset_s"].astype("float64")
        # Rows imported before dates were checked get the status they would get now.
        frame.loc[implausible(frame["start"]), "status"] = SUSPECT
        frame = link_sessions(frame, self.catalog.choices())
        if since is not None:
            frame = frame[frame["start"] >= _since_stamp(since)]
        if sport is not None:
            frame = frame[frame["sport"].str.lower() == sport.lower()]
        return frame.reset_index(drop=True)

    def load(self, identifier: int | str) -> Activity:
        """The stored activity with this catalog ``id`` (or a unique sha256 prefix).

        Raises
        ------
        LibraryError
            No such activity, or its data file is missing or damaged.
        """
        row = self._row(identifier)
        return read_activity(self.path / row["file"])

    def _row(self, identifier: int | str) -> pd.Series:
        text = str(identifier).strip().lower()
        if text.isdigit():
            rows = self.catalog.rows("WHERE id = ?", (int(text),))
        elif len(text) >= 6 and all(c in "0123456789abcdef" for c in text):
            rows = self.catalog.rows("WHERE sha256 LIKE ?", (text + "%",))
        else:
            rows = self.catalog.rows("WHERE 0")
        if len(rows) != 1:
            what = "no activity" if rows.empty else "several activities"
            raise LibraryError(self.path, f"{what} with id {identifier!r}",
                               "see `myokinetics list` for the ids")
        return rows.iloc[0]

    # ----- writing -----------------------------------------------------------------------

    def add(self, activity: Activity, name: str | None = None) -> tuple[int, bool]:
        """Store one activity unless its content is already in the library.

        The data file is complete on disk before the catalog row is committed, so a crash
        at any point leaves either nothing or the whole activity.

        Parameters
        ----------
        activity : Activity
            ``meta.sha256`` identifies the content; when it is None (live capture) a
            fingerprint of the samples and RR is used.
        name : str, optional
            Display name kept in the catalog.

        Returns
        -------
        (int, bool)
            The activity's id and whether it was added (False: already present).
        """
        if activity.meta.sha256 is None:
            meta = dataclasses.replace(activity.meta, sha256=content_fingerprint(activity))
            activity = dataclasses.replace(activity, meta=meta)
        sha256 = activity.meta.sha256
        assert sha256 is not None
        existing = self.catalog.id_of(sha256)
        if existing is not None:
            return existing, False
        relative = relative_data_path(sha256)
        write_activity(activity, self.path / relative)
        return self.catalog.insert(row_for(activity, relative, name))

    def import_paths(self, paths: Sequence[str | os.PathLike[str]], workers: int | None = None,
                     progress: bool = True, limits: ArchiveLimits | None = None) -> ImportReport:
        """Import files, folders and zip archives (Strava and Garmin exports included).

        Parameters
        ----------
        paths : sequence of path-like
            Files, folders (walked recursively) and zip archives.
        workers : int, optional
            Decoding processes (default: the number of CPUs); 1 decodes in this process.
        progress : bool
            Show done/total, rate and elapsed time on stderr.
        limits : ArchiveLimits, optional
            Safety bounds for archives (see :mod:`myokinetics.ingest.archive`).

        Returns
        -------
        ImportReport
            Per-file outcomes; ``summary()`` renders the end-of-import text.
        """
        from myokinetics.library.importer import import_paths

        return import_paths(self, paths, workers=workers, progress=progress, limits=limits)

    # ----- removing and sessions ---------------------------------------------------------

    def remove(self, identifiers: Sequence[int | str]) -> list[pd.Series]:
        """Delete activities: catalog row (and session choices), then the data file.

        Every identifier is looked up before anything is deleted, so one unknown id removes
        nothing.

        Returns
        -------
        list of Series
            The catalog rows removed.

        Raises
        ------
        LibraryError
            An identifier names no activity (or several).
        """
        rows = self._rows(identifiers)
        for row in rows:
            self.catalog.delete(int(row["id"]))
            (self.path / str(row["file"])).unlink(missing_ok=True)
        return rows

    def merge(self, identifiers: Sequence[int | str], primary: int | str | None = None) -> int:
        """Count ``identifiers`` as one session (also when their times do not overlap); the
        recording counted is ``primary`` if given, else the one with the best heart rate.

        With a single identifier and ``primary``, only chooses the recording counted for
        that activity's session. Returns the session id.

        Raises
        ------
        LibraryError
            An unknown identifier, fewer than two without ``primary``, or a ``primary`` that
            is not among them.
        """
        ids = [int(row["id"]) for row in self._rows(identifiers)]
        chosen = None if primary is None else int(self._row(primary)["id"])
        if chosen is not None and chosen not in ids:
            raise LibraryError(self.path, f"--primary {primary} is not among "
                                          f"{', '.join(map(str, ids))}",
                               "name the recording to count among the ids merged")
        if len(ids) == 1 and chosen is not None:
            frame = self.activities()
            session = int(frame.loc[frame["id"] == chosen, "session"].iloc[0])
            self.catalog.set_primary(chosen, [int(i) for i in
                                              frame.loc[frame["session"] == session, "id"]])
            return session
        if len(set(ids)) < 2:
            raise LibraryError(self.path, "merge needs two activities or more",
                               "give the ids of every recording of the session "
                               "(or one id with --primary to count it)")
        self.catalog.link(ids, chosen)
        frame = self.activities()
        return int(frame.loc[frame["id"] == ids[0], "session"].iloc[0])

    def unmerge(self, identifiers: Sequence[int | str]) -> list[int]:
        """Count each of ``identifiers`` on its own again, whatever its time overlaps; return
        the ids."""
        ids = [int(row["id"]) for row in self._rows(identifiers)]
        self.catalog.separate(ids)
        return ids

    def _rows(self, identifiers: Sequence[int | str]) -> list[pd.Series]:
        return [self._row(identifier) for identifier in identifiers]

    # ----- upkeep ------------------------------------------------------------------------

    def remove_stale_temporaries(self) -> int:
        """Delete temporary files of writers that are gone (killed imports); return the count."""
        removed = 0
        for temp in (self.path / "activities").glob(f"*/*{TEMP_SUFFIX}"):
            if _writer_alive(temp):
                continue
            temp.unlink(missing_ok=True)
            removed += 1
        return removed

    def verify(self) -> list[str]:
        """Problems found: catalog rows whose file is missing or unreadable, stray files.

        Returns
        -------
        list of str
            One line per problem; empty when the library is consistent.
        """
        problems = []
        frame = self.catalog.rows()
        for row in frame.itertuples():
            path = self.path / str(row.file)  # a str column; itertuples() rows are untyped
            if not path.is_file():
                problems.append(f"activity {row.id}: data file {row.file} is missing")
                continue
            try:
                read_activity(path)
            except LibraryError as error:
                problems.append(f"activity {row.id}: {error.one_line()}")
        named = set(frame["file"])
        for path in sorted((self.path / "activities").glob("*/*")):
            relative = path.relative_to(self.path).as_posix()
            if relative not in named:
                problems.append(f"{relative}: not in the catalog (left by an interrupted "
                                "import; the next import of that file completes it)")
        return problems


def _since_stamp(since: str | pd.Timestamp) -> pd.Timestamp:
    """``since`` as a UTC time (naive values are UTC)."""
    try:
        stamp: pd.Timestamp | NaTType = pd.Timestamp(since)
    except (ValueError, TypeError):
        stamp = pd.NaT
    if not isinstance(stamp, pd.Timestamp):  # i.e. stamp is pd.NaT
        raise LibraryError("since", f"{since!r} is not a date or time",
                           "write e.g. 2024-05-01 or 2024-05-01T06:00Z")
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _writer_alive(temp: Path) -> bool:
    """True while the process named in ``temp`` (``name.<pid>.<rand>.tmp``) may still write it.

    A temporary file is stale when its process is gone, or in any case after
    :data:`STALE_TEMP_AGE_S` (no single activity takes that long to write).
    """
    try:
        fresh = time.time() - temp.stat().st_mtime < STALE_TEMP_AGE_S
    except OSError:
        return False
    try:
        pid = int(temp.name.split(".")[-3])
    except (ValueError, IndexError):
        return fresh
    return fresh and _process_running(pid)


def _process_running(pid: int) -> bool:
    """True when ``pid`` is a live process; a killed worker that nobody reaped (a zombie, as
    under a container init that does not reap) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # not ours to signal: it exists
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")
