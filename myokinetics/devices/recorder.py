"""Writing crash-safe live recordings (format and reader: :mod:`myokinetics.ingest.recording`).

Each line is flushed as it is written (a killed process loses nothing the OS has), and the file
is fsync'ed (in a background thread) at least every ``fsync_interval_s`` seconds while data
flows and on every connection event, so a power cut loses at most that much.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from os import PathLike
from pathlib import Path
from typing import Any, BinaryIO

from myokinetics.ingest.hrm import HeartRateMeasurement
from myokinetics.ingest.recording import RecordingHeader
from myokinetics.ingest.strap_events import DeviceEvent, Notification

__all__ = ["RecordingWriter"]

#: One thread does every recording's fsyncs, off the event loop.
_SYNCER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="myokinetics-fsync")

def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "device"


class RecordingWriter:
    """Appends events to a new recording file, crash-safely.

    Parameters
    ----------
    folder : path-like
        Created if missing. The file is ``<UTC start>-<device>.mkrec.jsonl`` and never
        overwrites an existing one.
    header : RecordingHeader
    fsync_interval_s : float
        Longest time (s) between fsyncs while notifications flow.
    clock : callable
        Monotonic clock (s); injectable for tests.
    """

    def __init__(self, folder: str | PathLike[str], header: RecordingHeader,
                 fsync_interval_s: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.header = header
        self.fsync_interval_s = fsync_interval_s
        self._clock = clock
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(header.created))
        name = _slug(header.device_name or header.device_address or "device")
        self.path = folder / f"{stamp}-{name}.mkrec.jsonl"
        suffix = 1
        while True:
            try:
                self._file: BinaryIO = open(self.path, "xb")  # noqa: SIM115 - held open
                break
            except FileExistsError:
                suffix += 1
                self.path = folder / f"{stamp}-{name}-{suffix}.mkrec.jsonl"
        self._pending_sync: Future[None] | None = None
        self._write_line(header.to_json())
        self._sync()

    def write(self, event: Notification | DeviceEvent,
              decoded: HeartRateMeasurement | None = None) -> None:
        """Append one event; flushed at once, fsync'ed on schedule or for connection events.

        ``decoded``: the notification's already parsed packet, if the caller has it.
        """
        self._write_line(event.to_json(decoded) if isinstance(event, Notification)
                         else event.to_json())
        if isinstance(event, DeviceEvent) or (
                self._clock() - self._last_sync >= self.fsync_interval_s):
            self._sync()

    def close(self, t: float | None = None) -> None:
        """Write the ``end`` event, fsync and close; idempotent."""
        if self._file.closed:
            return
        self._write_line(DeviceEvent(time.time() if t is None else t, "end").to_json())
        if self._pending_sync is not None:
            self._pending_sync.result()
        os.fsync(self._file.fileno())
        self._file.close()

    @property
    def closed(self) -> bool:
        return self._file.closed

    def _write_line(self, obj: dict[str, Any]) -> None:
        self._file.write(json.dumps(obj).encode() + b"\n")
        self._file.flush()

    def _sync(self) -> None:
        """fsync in the background: the caller (the event loop) never waits for the disk.

        At most one fsync per file is in flight; a request while one runs is dropped, as
        that one already covers every line written before it started and the next is due
        within ``fsync_interval_s``.
        """
        self._last_sync = self._clock()
        if self._pending_sync is not None and not self._pending_sync.done():
            return
        self._pending_sync = _SYNCER.submit(os.fsync, self._file.fileno())

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
