"""Batch import: walk the inputs, skip known content, decode the rest in worker processes.

The main process walks files and archives (:func:`myokinetics.ingest.archive.walk`), hashes
each entry's decompressed content and skips what the catalog already holds, so re-importing
costs no decoding. Every other entry is one task for a worker process, which decodes it and
writes its data file (atomically, named by the hash); the main process then commits the
catalog row. A file that fails is reported and the batch goes on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import re
import sys
import time
import warnings
from collections import deque
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from myokinetics.errors import MyokineticsError
from myokinetics.ingest.archive import ArchiveLimits, Entry, WalkStats, walk
from myokinetics.ingest.dispatch import read_many_bytes
from myokinetics.library.catalog import row_for
from myokinetics.library.store import relative_data_path, write_activity
from myokinetics.progress import Progress, format_duration

if TYPE_CHECKING:
    from collections.abc import Iterator

    from myokinetics.activity import Activity
    from myokinetics.library.core import Library

__all__ = ["ImportReport", "Outcome", "import_paths"]

Status = Literal["imported", "partial", "suspect", "present", "empty", "failed"]

#: Strava ``Activity Type`` -> sport name, used only when the file itself says "generic".
STRAVA_SPORTS = {"run": "running", "virtual run": "running", "trail run": "running",
                 "ride": "cycling", "virtual ride": "cycling", "e-bike ride": "cycling",
                 "mountain bike ride": "cycling", "gravel ride": "cycling",
                 "swim": "swimming", "walk": "walking", "hike": "hiking", "rowing": "rowing"}
#: How many tasks may wait per worker (bounds the memory held by queued file contents).
QUEUE_PER_WORKER = 3
#: Lines listed per category in the summary before "... and N more".
SUMMARY_LINES = 20


@dataclass
class Outcome:
    """What happened to one entry: its source, status, catalog id and a one-line message."""

    source: str
    status: Status
    id: int | None = None
    message: str = ""


@dataclass
class ImportReport:
    """The result of :func:`import_paths`.

    ``imported`` counts new activities (``partial`` ones included: damaged sources of which
    a part was read; and ``suspect`` ones, dated before 1985 or after tomorrow), ``present``
    content the library already had, ``empty`` files that
    decode but hold no samples (settings, workouts, monitoring), ``failed`` files that
    could not be read or were refused.
    """

    outcomes: list[Outcome] = field(default_factory=list)
    skipped_other: int = 0
    elapsed_s: float = 0.0
    workers: int = 1

    def of(self, *statuses: Status) -> list[Outcome]:
        """Outcomes with one of these statuses, ordered by source."""
        return sorted((o for o in self.outcomes if o.status in statuses), key=lambda o: o.source)

    @property
    def imported(self) -> int:
        return len(self.of("imported", "partial", "suspect"))

    @property
    def partial(self) -> int:
        return len(self.of("partial"))

    @property
    def present(self) -> int:
        return len(self.of("present"))

    @property
    def empty(self) -> int:
        return len(self.of("empty"))

    @property
    def failed(self) -> int:
        return len(self.of("failed"))

    @property
    def ok(self) -> bool:
        """True when nothing failed (the command's exit status is 0)."""
        return self.failed == 0

    def summary(self) -> str:
        """The end-of-import summary: counts, then partial, empty and failed ones by line."""
        lines = [f"imported {self.imported} (partial {self.partial}), already present "
                 f"{self.present}, no samples {self.empty}, failed {self.failed}; "
                 f"{len(self.outcomes)} files in {format_duration(self.elapsed_s)} with "
                 f"{self.workers} worker{'s' if self.workers != 1 else ''}"]
        if self.skipped_other:
            lines.append(f"skipped {self.skipped_other} files that are not activity files")
        sections: tuple[tuple[str, Status], ...] = (
            ("partial (imported; what was lost)", "partial"),
            ("suspect date (imported; left out of daily unless --include-suspect)", "suspect"),
            ("no samples (not imported)", "empty"), ("failed", "failed"))
        for title, status in sections:
            chosen = self.of(status)
            if chosen:
                lines.append(f"{title}:")
                lines.extend(f"  {o.message}" for o in chosen[:SUMMARY_LINES])
                if len(chosen) > SUMMARY_LINES:
                    lines.append(f"  ... and {len(chosen) - SUMMARY_LINES} more")
        return "\n".join(lines)


def decode_entry(library_path: str, data: bytes, source: str, cut: bool = False
                 ) -> dict[str, Any]:
    """Decode one file's content and write its data file(s) (runs in a worker process).

    Returns
    -------
    dict
        ``{"row": catalog row}`` on success, ``{"empty": message}`` for content without
        samples, ``{"failed": message}`` when it cannot be read; ``{"parts": [those]}`` when
        the file holds several activities (an Apple Health export, a TCX of several runs),
        each part with its ``source``. Never raises for bad input.
    """
    parts: list[dict[str, Any]] = []
    try:
        for activity in read_many_bytes(data, source, cut=cut):
            parts.append(_stored(library_path, activity, data))
    except MyokineticsError as error:
        parts.append({"failed": error.one_line()})
    except Exception as error:  # a reader bug must not stop the batch
        parts.append({"failed": f"{source}: unexpected {type(error).__name__} while decoding "
                                f"({error}) — please report this file"})
    return parts[0] if len(parts) == 1 else {"parts": parts}


def _stored(library_path: str, activity: Activity, data: bytes) -> dict[str, Any]:
    source = activity.meta.source
    if activity.samples.empty and activity.rr.empty:
        reason = "; ".join(activity.warnings[:2]) or "no samples"
        return {"empty": f"{source}: {reason}", "source": source}
    relative = relative_data_path(activity.meta.sha256 or hashlib.sha256(data).hexdigest())
    write_activity(activity, Path(library_path) / relative)
    return {"row": row_for(activity, relative), "source": source}


def import_paths(library: Library, paths: Sequence[str | os.PathLike[str]],
                 workers: int | None = None, progress: bool = True,
                 limits: ArchiveLimits | None = None) -> ImportReport:
    """Import files, folders (recursively) and zip archives into ``library``.

    Parameters
    ----------
    library : Library
        Destination.
    paths : sequence of path-like
        What to import. Strava and Garmin Connect export archives (zips, nested zips,
        ``.gz`` members) are walked safely (see :mod:`myokinetics.ingest.archive`).
    workers : int, optional
        Decoding processes (default: the number of CPUs). 1 decodes in this process.
    progress : bool
        Show done/total, rate and elapsed time on stderr.
    limits : ArchiveLimits, optional
        Safety bounds for archives.

    Returns
    -------
    ImportReport
    """
    workers = max(1, workers or os.cpu_count() or 1)
    if workers > 1 and not spawn_safe_main():
        warnings.warn(f"{sys.modules['__main__'].__file__}: decoding in this process, not in "
                      f"{workers} workers: worker processes would re-run this script, which has "
                      "no `if __name__ == \"__main__\":` guard — add one to import in parallel",
                      stacklevel=3)
        workers = 1
    report = ImportReport(workers=workers)
    started = time.monotonic()
    library.remove_stale_temporaries()
    stats = WalkStats()
    with Progress(0, "import", enabled=progress) as bar, _Runner(library, workers) as runner:
        queued: dict[str, Entry] = {}  # sha256 -> entry being decoded
        for entry in walk(list(paths), limits, on_found=bar.add_total, stats=stats):
            if entry.error is not None or entry.data is None:
                message = entry.error.one_line() if entry.error else f"{entry.source}: no data"
                report.outcomes.append(Outcome(entry.source, "failed", message=message))
                bar.advance()
                continue
            sha256 = hashlib.sha256(entry.data).hexdigest()
            known = library.catalog.id_of(sha256)
            if known is not None or sha256 in queued:
                _name_known(library, known, entry)
                report.outcomes.append(Outcome(entry.source, "present", known,
                                               f"{entry.source}: already in the library"))
                bar.advance()
                continue
            queued[sha256] = entry
            runner.submit(sha256, entry)
            for done_sha, result in runner.finished(block=runner.full()):
                _record(library, queued.pop(done_sha), result, report)
                bar.advance()
        for done_sha, result in runner.finished(block=True, everything=True):
            _record(library, queued.pop(done_sha), result, report)
            bar.advance()
    report.skipped_other = stats.skipped
    report.elapsed_s = time.monotonic() - started
    return report


def _record(library: Library, entry: Entry, result: dict[str, Any], report: ImportReport) -> None:
    if "parts" in result:
        for part in result["parts"]:
            _record(library, dataclasses.replace(entry, source=part.get("source", entry.source)),
                    part, report)
        return
    if "failed" in result:
        report.outcomes.append(Outcome(entry.source, "failed", message=result["failed"]))
        return
    if "empty" in result:
        report.outcomes.append(Outcome(entry.source, "empty", message=result["empty"]))
        return
    row = result["row"]
    row["name"] = entry.name or None
    if row["sport"] == "generic":
        row["sport"] = _strava_sport(entry) or row["sport"]
    identifier, added = library.catalog.insert(row)
    if not added:
        report.outcomes.append(Outcome(entry.source, "present", identifier,
                                       f"{entry.source}: already in the library"))
        return
    if row["status"] in ("partial", "suspect"):
        said = json.loads(row["warnings"])
        said = said[-1:] if row["status"] == "suspect" else said[:3]
        report.outcomes.append(Outcome(entry.source, row["status"], identifier,
                                       f"{entry.source} (id {identifier}): {'; '.join(said)}"))
        return
    report.outcomes.append(Outcome(entry.source, "imported", identifier))


def _name_known(library: Library, known: int | None, entry: Entry) -> None:
    """A re-import of an export updates the name and (generic) sport of what it holds."""
    if known is not None and (entry.name or entry.sport):
        library.catalog.relabel(known, entry.name or None, _strava_sport(entry))


def _strava_sport(entry: Entry) -> str | None:
    """The sport of the entry's Strava ``Activity Type``; None when there is none or unknown."""
    return STRAVA_SPORTS.get((entry.sport or "").strip().lower())


def spawn_safe_main() -> bool:
    """Whether worker processes can start without running the caller's script again.

    Spawned workers re-run a plain script (not a module run with ``-m``) unless its top-level
    work sits under ``if __name__ == "__main__":``; such a script would import in every worker
    and fail. An interactive session, a module and a guarded script are safe.
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if path is None or getattr(main, "__spec__", None) is not None:
        return True
    try:
        source = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True
    return re.search(r"if\s+__name__\s*==\s*['\"]__main__['\"]", source) is not None


class _Runner:
    """Runs :func:`decode_entry` inline (1 worker) or in a spawn-safe process pool.

    When a worker process dies (out of memory, killed), every task in flight fails with it
    and the pool is replaced. Those tasks become suspects and are run again one at a time
    once nothing else is in flight: the innocent ones then succeed, and only a file that
    kills its process when alone is reported as failed.
    """

    def __init__(self, library: Library, workers: int) -> None:
        self.library_path = str(library.path)
        self.workers = workers
        self._pool: Executor | None = None
        # future -> (sha256, entry, pool it ran in, ran alone)
        self._futures: dict[Future[dict[str, Any]], tuple[str, Entry, Executor, bool]] = {}
        self._inline: list[tuple[str, dict[str, Any]]] = []
        self._suspects: deque[tuple[str, Entry]] = deque()

    def __enter__(self) -> _Runner:
        if self.workers > 1:
            self._pool = self._new_pool()
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=kind is None, cancel_futures=kind is not None)

    def _new_pool(self) -> Executor:
        return ProcessPoolExecutor(max_workers=self.workers,
                                   mp_context=multiprocessing.get_context("spawn"))

    def submit(self, sha256: str, entry: Entry, alone: bool = False) -> None:
        """Decode ``entry`` inline or queue it for a worker."""
        assert entry.data is not None
        if self._pool is None:
            self._inline.append((sha256, decode_entry(self.library_path, entry.data,
                                                      entry.source, entry.cut)))
            return
        future = self._pool.submit(decode_entry, self.library_path, entry.data, entry.source,
                                   entry.cut)
        self._futures[future] = (sha256, entry, self._pool, alone)

    def full(self) -> bool:
        """True when enough tasks wait that the caller should collect results first."""
        return len(self._futures) >= self.workers * QUEUE_PER_WORKER

    def finished(self, block: bool,
                 everything: bool = False) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield ``(sha256, result)`` of finished tasks; wait for one (or all) when asked."""
        while self._inline:
            yield self._inline.pop(0)
        while self._futures or (everything and self._suspects):
            if not self._futures:
                self.submit(*self._suspects.popleft(), alone=True)
            done, _ = wait(list(self._futures), timeout=None if block else 0,
                           return_when=FIRST_COMPLETED)
            for future in done:
                sha256, entry, pool, alone = self._futures.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    if pool is self._pool:
                        pool.shutdown(wait=False, cancel_futures=True)
                        self._pool = self._new_pool()
                    if not alone:
                        self._suspects.append((sha256, entry))
                        continue
                    result = {"failed": f"{entry.source}: the decoding process died while "
                                        "reading this file alone (killed by the system, "
                                        "e.g. for memory) — import it alone to retry"}
                yield sha256, result
            if not everything and (not block or not self.full()):
                return
