"""A whole live capture: find the strap(s), stream, record, show, and finish up at the end.

Ending (``stop`` set by Ctrl-C, ``--duration`` or the end of a replay) closes every recording,
then analyses each one as ``myokinetics analyze`` would and imports it into the library.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from myokinetics.devices.connection import StrapConnection
from myokinetics.devices.dashboard import Dashboard
from myokinetics.devices.memory import remember_device
from myokinetics.devices.recording import RecordingHeader, RecordingWriter
from myokinetics.devices.replay import open_replay, paced
from myokinetics.devices.scanner import FoundDevice, choose_device, find_device
from myokinetics.devices.session import LiveSession

__all__ = ["CaptureOptions", "CaptureResult", "capture"]


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


def _local_offset_s() -> float:
    return float(time.localtime().tm_gmtoff)


def _live_analysis(options: CaptureOptions) -> Any | None:
    if not options.analysis:
        return None
    from myokinetics.devices.live_analysis import LiveAnalysis

    return LiveAnalysis(options.athlete)


async def capture(options: CaptureOptions, stop: asyncio.Event,
                  dashboard: Dashboard | None = None) -> list[CaptureResult]:
    """Run a capture until ``stop`` is set (or the replay ends), then close and finish it.

    Raises
    ------
    DeviceError
        Bluetooth unavailable, device not found, or it never connected. Recordings already
        begun are closed first.
    """
    sessions: list[LiveSession] = []
    producers: list[Awaitable[None]] = []
    if options.replay is not None:
        source = open_replay(options.replay)
        first = source.events[0].time if source.events else time.time()
        header = RecordingHeader(created=first, device_name=source.label, sport=source.sport,
                                 utc_offset_s=_local_offset_s(),
                                 source=f"replay:{source.path.name}")
        session = LiveSession(source.label, RecordingWriter(options.out, header),
                              _live_analysis(options))
        sessions.append(session)
        producers.append(_replay(source.events, session, options.speed, stop))
    else:
        for device in await _devices(options):
            header = RecordingHeader(created=time.time(), device_name=device.name,
                                     device_address=device.address, sport=options.sport,
                                     utc_offset_s=_local_offset_s())
            session = LiveSession(device.label, RecordingWriter(options.out, header),
                                  _live_analysis(options))
            sessions.append(session)
            connection = StrapConnection(device, session.feed, watchdog_s=options.watchdog_s,
                                         acquire_notify=options.acquire_notify,
                                         adapter=options.adapter)
            producers.append(connection.run(stop))
    try:
        await _run(producers, sessions, options, stop, dashboard)
    finally:
        for session in sessions:
            session.close()
        if dashboard is not None:
            dashboard.draw([s.state for s in sessions])
    results = []
    for session in sessions:
        assert session.writer is not None
        result = CaptureResult(session.state.label, session.writer.path,
                               session.state.notifications)
        if options.finish and result.notifications:
            from myokinetics.devices.finish import finish_recording

            result.outputs = finish_recording(result.recording, options.athlete,
                                              options.out, options.library)
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
               dashboard: Dashboard | None) -> None:
    """Run the producers until stop, the duration, or all of them end; re-raise a failure."""
    tasks = [asyncio.ensure_future(p) for p in producers]

    def refresh() -> None:
        for session in sessions:
            session.analyze_pending()
        if dashboard is not None:
            dashboard.draw([s.state for s in sessions])

    helpers = [asyncio.ensure_future(_every(options.refresh_s, stop, refresh))]
    if options.duration_s is not None:
        helpers.append(asyncio.ensure_future(_stop_after(options.duration_s, stop)))
    stopper = asyncio.ensure_future(stop.wait())
    try:
        pending = set(tasks)
        while pending and not stop.is_set():
            done, pending = await asyncio.wait(pending | {stopper},
                                               return_when=asyncio.FIRST_COMPLETED)
            pending.discard(stopper)
            for task in done - {stopper}:
                if task.exception() is not None:
                    stop.set()
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        for task in tasks:
            if task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
    finally:
        stopper.cancel()
        for helper in helpers:
            helper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await helper


async def _every(seconds: float, stop: asyncio.Event, action: Callable[[], None]) -> None:
    while not stop.is_set():
        action()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)


async def _stop_after(seconds: float, stop: asyncio.Event) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    stop.set()

