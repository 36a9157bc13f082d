"""A whole live capture: find the strap(s), stream, record, show, and finish up at the end.

Ending (``stop`` set by Ctrl-C, ``--duration`` or the end of a replay) closes every recording,
then analyses each one as ``myokinetics analyze`` would and imports it into the library.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from myokinetics.devices.connection import StrapConnection
from myokinetics.devices.dashboard import Dashboard
from myokinetics.devices.memory import remember_device
from myokinetics.devices.recorder import RecordingWriter
from myokinetics.devices.replay import ReplaySource, open_replay, paced
from myokinetics.devices.scanner import FoundDevice, choose_device, find_device
from myokinetics.devices.session import LiveSession
from myokinetics.errors import DeviceError
from myokinetics.ingest.recording import RecordingHeader

__all__ = ["ANALYSIS_CPU_BUDGET", "CaptureOptions", "CaptureResult", "capture", "refresh_loop"]

#: Largest share of one CPU core that the live load/estimator refresh may use (issue 6 asks
#: for at most 5 % while streaming ten straps; the rest of the path needs well under 1 %).
ANALYSIS_CPU_BUDGET = 0.04
#: A strap silent for this many watchdog periods is reconnected (a link can stay "up" while
#: delivering nothing; re-subscribing is what revives it).
STALL_FACTOR = 3.0


@dataclass
class CaptureOptions:
    """What ``myokinetics live`` was asked to do (see its ``--help`` for each option)."""

    devices: tuple[str, ...] = ()
    out: Path = Path("captures")
    duration_s: float | None = None
    athlete: Any = None
    replay: Path | None = None
    speed: float = 1.0
    sport: str = "generic"
    scan_timeout_s: float = 10.0
    watchdog_s: float = 5.0
    acquire_notify: bool = False
    adapter: str | None = None
    refresh_s: float = 1.0
    finish: bool = True
    library: Path | None = None
    analysis: bool = True


@dataclass
class CaptureResult:
    """Where one device's capture ended up."""

    label: str
    recording: Path
    notifications: int
    outputs: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # analysis or import steps that failed
    error: DeviceError | None = None  # why this strap's stream ended early, if it did


def _local_offset_s() -> float:
    return float(time.localtime().tm_gmtoff)


class _Analyses:
    """Makes each device's live analysis, all in one worker process (None: disabled)."""

    def __init__(self, options: CaptureOptions) -> None:
        from myokinetics.athlete import Athlete

        self.worker: Any = None
        self.athlete = (options.athlete or Athlete()).resolved()  # default notices, once
        if options.analysis:
            from myokinetics.devices.analysis_worker import AnalysisWorker

            self.worker = AnalysisWorker()

    def new(self, key: str) -> Any | None:
        return None if self.worker is None else self.worker.analysis(key, self.athlete)

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()


async def capture(options: CaptureOptions, stop: asyncio.Event,
                  dashboard: Dashboard | None = None) -> list[CaptureResult]:
    """Run a capture until ``stop`` is set (or the replay ends), then close and finish it.

    Raises
    ------
    DeviceError
        Bluetooth unavailable, device not found, or it never connected. Recordings already
        begun are closed first.
    """
    source = open_replay(options.replay) if options.replay is not None else None
    devices = await _devices(options) if source is None else []
    analyses = _Analyses(options)
    try:
        return await _capture(options, stop, dashboard, analyses, source, devices)
    finally:
        analyses.close()


async def _capture(options: CaptureOptions, stop: asyncio.Event, dashboard: Dashboard | None,
                   analyses: _Analyses, source: ReplaySource | None,
                   devices: list[FoundDevice]) -> list[CaptureResult]:
    sessions: list[LiveSession] = []
    producers: list[Awaitable[None]] = []
    if source is not None:
        first = source.events[0].time if source.events else time.time()
        header = RecordingHeader(created=first, device_name=source.label, sport=source.sport,
                                 utc_offset_s=_local_offset_s(),
                                 source=f"replay:{source.path.name}")
        session = LiveSession(source.label, RecordingWriter(options.out, header),
                              analyses.new("replay"))
        sessions.append(session)
        producers.append(_replay(source.events, session, options.speed, stop))
    else:
        for device in devices:
            header = RecordingHeader(created=time.time(), device_name=device.name,
                                     device_address=device.address, sport=options.sport,
                                     utc_offset_s=_local_offset_s())
            session = LiveSession(device.label, RecordingWriter(options.out, header),
                                  analyses.new(device.address))
            sessions.append(session)
            connection = StrapConnection(device, session.feed, watchdog_s=options.watchdog_s,
                                         stall_reconnect_s=STALL_FACTOR * options.watchdog_s,
                                         acquire_notify=options.acquire_notify,
                                         adapter=options.adapter)
            producers.append(connection.run(stop))
    errors: list[DeviceError | None] = [None] * len(sessions)
    try:
        errors = await _run(producers, sessions, options, stop, dashboard)
    finally:
        for session in sessions:
            session.close()
        if dashboard is not None:
            dashboard.draw([s.state for s in sessions])
            dashboard.close()
    results = []
    for session, error in zip(sessions, errors, strict=True):
        assert session.writer is not None
        result = CaptureResult(session.state.label, session.writer.path,
                               session.state.notifications, error=error)
        if options.finish and result.notifications:
            from myokinetics.devices.finish import finish_recording

            result.outputs, result.failures = finish_recording(
                result.recording, analyses.athlete, options.out, options.library)
        results.append(result)
    return results


async def _devices(options: CaptureOptions) -> list[FoundDevice]:
    if not options.devices:
        found = [await choose_device(None, options.scan_timeout_s, options.adapter)]
    else:
        found = []
        for query in options.devices:
            device = await find_device(query, options.scan_timeout_s, options.adapter)
            if all(d.address != device.address for d in found):
                found.append(device)
    remember_device(found[0].address, found[0].name)
    return found


async def _replay(events: list[Any], session: LiveSession, speed: float,
                  stop: asyncio.Event) -> None:
    async for event in paced(events, speed, stop):
        session.feed(event)


async def _run(producers: list[Awaitable[None]], sessions: list[LiveSession],
               options: CaptureOptions, stop: asyncio.Event,
               dashboard: Dashboard | None) -> list[DeviceError | None]:
    """Run the producers until stop, the duration, or all of them end.

    A strap that fails with a :class:`DeviceError` (it never connected) ends only its own
    stream while others go on: its error comes back in its slot. When every one fails, the
    first error is raised; any other exception stops the capture and is raised.
    """
    # Everything imported and set up so far lives as long as the capture: keep it out of the
    # garbage collector's full passes, which otherwise pause the event loop for milliseconds.
    gc.freeze()
    tasks: list[asyncio.Task[Any]] = [asyncio.ensure_future(p) for p in producers]
    refresher = asyncio.ensure_future(refresh_loop(sessions, dashboard, options.refresh_s, stop))
    helpers = []
    if options.duration_s is not None:
        helpers.append(asyncio.ensure_future(_stop_after(options.duration_s, stop)))
    stopper = asyncio.ensure_future(stop.wait())
    try:
        pending: set[asyncio.Task[Any]] = set(tasks)
        while pending and not stop.is_set():
            done, pending = await asyncio.wait(pending | {stopper},
                                               return_when=asyncio.FIRST_COMPLETED)
            pending.discard(stopper)
            for task in done - {stopper}:
                error = task.exception()
                if isinstance(error, DeviceError):
                    sessions[tasks.index(task)].state.link = f"failed: {error.what}"
                elif error is not None:
                    stop.set()
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        errors = [task.exception() for task in tasks]
        unexpected = [e for e in errors if e is not None and not isinstance(e, DeviceError)]
        if unexpected:
            raise unexpected[0]
        if errors and all(e is not None for e in errors):
            raise errors[0]  # type: ignore[misc]
        return errors  # type: ignore[return-value]
    finally:
        stop.set()
        stopper.cancel()
        await refresher  # lets an analysis under way complete first
        for helper in helpers:
            helper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await helper


async def refresh_loop(sessions: list[LiveSession], dashboard: Dashboard | None, every_s: float,
                   stop: asyncio.Event) -> None:
    """Redraw every ``every_s``; step the load and estimator stages off the event loop.

    The analysis is awaited from a thread (it computes in the analysis worker process, or in
    that thread for an in-process LiveAnalysis), so notifications never wait for it, and is
    throttled to :data:`ANALYSIS_CPU_BUDGET` of one core: when stepping every strap costs more
    than that, it runs less often (the rows wait; the numbers are the same).
    """
    loop = asyncio.get_running_loop()
    next_analysis = loop.time()
    while not stop.is_set():
        if loop.time() >= next_analysis:
            cpu_s = await _analyze(sessions)
            next_analysis = loop.time() + max(every_s, cpu_s / ANALYSIS_CPU_BUDGET)
        if dashboard is not None:
            dashboard.draw([s.state for s in sessions])
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)


async def _analyze(sessions: list[LiveSession]) -> float:
    """Step every session's analysis off the event loop; return the CPU time it used (s),
    wherever it ran (this process or the analysis worker)."""
    batches = [(session, session.take_pending()) for session in sessions]

    def work() -> tuple[list[tuple[LiveSession, dict[str, Any] | None]], float]:
        done, cpu_s = [], 0.0
        for session, batch in batches:
            values = session.analyze_safely(*batch)
            done.append((session, values))
            if values is not None and session.analysis is not None:
                cpu_s += session.analysis.last_cpu_s
        return done, cpu_s

    done, cpu_s = await asyncio.to_thread(work)
    for session, values in done:
        if values is not None:
            session.state.analysis = values
    return cpu_s


async def _stop_after(seconds: float, stop: asyncio.Event) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    stop.set()

