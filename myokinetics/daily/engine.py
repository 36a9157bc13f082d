"""The day engine: walk the days in order, reuse what is unchanged, compute the rest, write.

The engine knows nothing about physiology. A :class:`DayComputer` turns one day (its window
and activities) plus the state carried from the previous day into the day's JSON document,
its extra files (the PNG) and the state it carries on. The engine owns the calendar, the
incremental plan, and deterministic atomic writing.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from myokinetics.daily.calendar import Day, build_days, entries_from_catalog, unplaced
from myokinetics.daily.plan import (
    DayRecord,
    Manifest,
    day_inputs_hash,
    state_bytes,
    state_hash,
)
from myokinetics.daily.serialize import atomic_write_bytes, canonical_json, table_bytes
from myokinetics.daily.table import daily_table
from myokinetics.errors import InputError
from myokinetics.progress import Progress

__all__ = ["DailyReport", "DayComputer", "DayOutput", "Deferred", "run_days", "warmup_start"]


@dataclass(frozen=True)
class Deferred:
    """A day file rendered later in a worker process: ``function(*args) -> bytes``.

    Rendering (the day PNG) is independent of the carried state, so it runs beside the
    sequential day computations on a second core. ``function`` must be importable by name.
    """

    function: Callable[..., bytes]
    args: tuple[Any, ...]


@dataclass(frozen=True)
class DayOutput:
    """What a :class:`DayComputer` returns for one day.

    Attributes
    ----------
    document : dict
        The day's JSON document (see :mod:`myokinetics.daily.schema`).
    state : any
        Picklable state carried into the next day.
    files : Mapping[str, bytes or Deferred]
        Extra files of the day by extension (``{"png": ...}``), written as
        ``YYYY-MM-DD.<ext>``.
    problems : list of str
        One line per library entry that could not be used (reported, then skipped).
    """

    document: dict[str, Any]
    state: Any
    files: Mapping[str, bytes | Deferred] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class DayComputer(Protocol):
    """Computes one day; implemented by :class:`myokinetics.daily.compute.PhysiologyDay`."""

    def fingerprint(self) -> dict[str, Any]:
        """Athlete, settings and code version: part of every day's inputs hash."""
        ...

    def initial_state(self) -> Any:
        """The state before the first day (a rested athlete, no training history)."""
        ...

    def compute(self, day: Day, state: Any) -> DayOutput:
        """The day's outputs from its activities and the state carried into it."""
        ...

    def trend(self, table: pd.DataFrame) -> bytes | None:
        """The trend PNG over the range from the daily table, or None for no trend plot."""
        ...


@dataclass
class DailyReport:
    """The outcome of one run: what was computed, reused, written and skipped.

    ``problems`` has one line per library entry that could not be loaded; ``unplaced`` the ids
    of activities with no wall-clock time (they belong to no day); ``suspect`` those left out
    for an implausible date and ``merged`` the sessions recorded by several devices (set by
    :func:`myokinetics.daily.write_daily`).
    """

    out: Path
    days: list[dt.date] = field(default_factory=list)
    computed: list[dt.date] = field(default_factory=list)
    reused: list[dt.date] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    suspect: list[str] = field(default_factory=list)
    merged: int = 0


def run_days(catalog: pd.DataFrame, computer: DayComputer, out: Path,
             first: dt.date | None = None, last: dt.date | None = None,
             fmt: str = "csv", warmup: dt.timedelta | None = None,
             progress: bool = False) -> DailyReport:
    """Write the daily summaries for ``first``..``last`` into ``out``, incrementally.

    Days before ``first`` are computed too (the carried state of fitness, fatigue and
    physiology starts there), back to the first activity or :func:`warmup_start` whichever is
    later, but their files are not written. Nothing is written outside ``out``.

    Parameters
    ----------
    catalog : DataFrame
        The library catalog (see :func:`~myokinetics.daily.calendar.entries_from_catalog`).
    computer : DayComputer
    out : Path
        Output folder (created).
    first, last : date, optional
        The range of days written; default from the first to the last activity's local day.
    fmt : {"csv", "parquet"}
        Format of the daily table ``daily.csv`` / ``daily.parquet``.
    warmup : timedelta, optional
        How far before ``first`` the carried state starts at least (None: at the first
        activity); see :func:`warmup_start`.
    progress : bool
        Show days done/total, rate and elapsed time on stderr.
    """
    if fmt not in ("csv", "parquet"):
        raise InputError("daily table format", f"unknown format {fmt!r}",
                         "use csv or parquet")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    entries = entries_from_catalog(catalog)
    start = first
    if entries and (start is None or entries[0].local_date < start):
        start = entries[0].local_date
    if first is not None and warmup is not None and start is not None:
        start = max(start, warmup_start(first, warmup))
        entries = [e for e in entries if e.local_date >= start]
    days = build_days(entries, start, last)
    first = first or (days[0].date if days else None)
    report = DailyReport(out=out, unplaced=unplaced(catalog))
    manifest = Manifest(out)
    renderer = _Renderer()
    try:
        with Progress(len(days), "computing", unit="days", enabled=progress) as bar:
            documents = _walk(days, computer, manifest, first, report, renderer, bar)
        renderer.finish()
    finally:
        renderer.close()
        manifest.save()
    if documents:
        table = daily_table(documents)
        name = out / f"daily.{fmt}"
        atomic_write_bytes(name, table_bytes(table, fmt))
        report.files.append(name)
        png = computer.trend(table)
        if png is not None:
            atomic_write_bytes(out / "trend.png", png)
            report.files.append(out / "trend.png")
    return report


#: The warm-up start snaps back to a grid of this many days, so that a range moved by a few
#: days (``--last-days`` run every morning) keeps its start and reuses the days computed.
WARMUP_GRID_DAYS = 28
_GRID_ORIGIN = dt.date(1970, 1, 1)


def warmup_start(first: dt.date, warmup: dt.timedelta) -> dt.date:
    """The first day computed for a range starting at ``first``: ``warmup`` before it, moved
    back to the :data:`WARMUP_GRID_DAYS` grid (so up to ``WARMUP_GRID_DAYS - 1`` days more)."""
    try:
        earliest = first - warmup
        return earliest - dt.timedelta(days=(earliest - _GRID_ORIGIN).days % WARMUP_GRID_DAYS)
    except OverflowError:  # a range in the first months of year 1
        return dt.date.min


#: Deferred files rendered in the main process before a worker is started: a typical run that
#: adds today's activity recomputes a day or two and is faster without a worker's start-up.
RENDER_INLINE_FIRST = 4


class _Renderer:
    """Writes deferred day files: the first few inline, the rest from one worker process.

    The worker is started with ``forkserver`` (``spawn`` where there is none), not ``fork``:
    the main process holds threads (Arrow, BLAS) that a plain fork would copy in an undefined
    state.
    """

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.pending: list[tuple[Path, Future[bytes]]] = []
        self.inline = RENDER_INLINE_FIRST

    def submit(self, path: Path, deferred: Deferred) -> None:
        if self.inline > 0:
            self.inline -= 1
            atomic_write_bytes(path, deferred.function(*deferred.args))
            return
        if self.pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context(
                "forkserver" if "forkserver" in methods else "spawn")
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        self.pending.append((path, self.pool.submit(deferred.function, *deferred.args)))
        self._write(lambda future: future.done())

    def finish(self) -> None:
        self._write(lambda future: True)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def _write(self, ready: Callable[[Future[bytes]], bool]) -> None:
        waiting = []
        for path, future in self.pending:
            if ready(future):
                atomic_write_bytes(path, future.result())
            else:
                waiting.append((path, future))
        self.pending = waiting


def _reused_document(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _walk(days: list[Day], computer: DayComputer, manifest: Manifest,
          first: dt.date | None, report: DailyReport,
          renderer: _Renderer, bar: Progress) -> list[dict[str, Any]]:
    fingerprint = computer.fingerprint()
    state: Any = computer.initial_state()
    carried = state_hash(state_bytes(state))
    previous_key: str | None = None
    documents: list[dict[str, Any]] = []
    for day in days:
        bar.advance()
        key = day.date.isoformat()
        written = first is not None and day.date >= first
        inputs = day_inputs_hash(day, fingerprint)
        reused = manifest.reusable(key, inputs, carried, need_files=written)
        document = _reused_document(manifest.out / f"{key}.json") if reused and written \
            else None
        if reused and (document is not None or not written):
            carried = manifest.days[key].state_out
            state = None  # loaded from .state/ only if a later day needs computing
            report.reused.append(day.date)
            if document is not None:
                documents.append(document)
                report.days.append(day.date)
            previous_key = key
            continue
        if state is None:
            state = manifest.load_state(previous_key) if previous_key else None
            if state is None:  # the kept state is gone or damaged: start over from scratch
                manifest.days.clear()
                report.reused.clear()
                report.days.clear()
                bar.done = 0
                return _walk(days, computer, manifest, first, report, renderer, bar)
        result = computer.compute(day, state)
        data = state_bytes(result.state)
        names: list[str] = []
        if written:
            text = canonical_json(result.document)
            files = {"json": text, **result.files}
            for ext, content in sorted(files.items()):
                path = manifest.out / f"{key}.{ext}"
                if isinstance(content, Deferred):
                    renderer.submit(path, content)
                else:
                    atomic_write_bytes(path, content)
                report.files.append(path)
                names.append(path.name)
            documents.append(json.loads(text))
            report.days.append(day.date)
        manifest.store_state(key, data)
        new_hash = state_hash(data)
        manifest.days[key] = DayRecord(inputs=inputs, state_in=carried, state_out=new_hash,
                                       problems=len(result.problems), files=tuple(names))
        report.computed.append(day.date)
        report.problems.extend(result.problems)
        state, carried, previous_key = result.state, new_hash, key
    return documents
