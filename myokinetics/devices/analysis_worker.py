"""The live analysis in a separate process, so stepping it never delays a notification.

The load and estimator stages are mostly pandas and numpy called on small chunks: they hold the
GIL for milliseconds at a time, which is the whole latency budget of a notification. One worker
process (``python -m myokinetics.devices.analysis_worker``) holds every device's
:class:`~myokinetics.devices.live_analysis.LiveAnalysis`; the capture sends it timeline rows over
a pipe and gets the dashboard values back. A plain subprocess rather than multiprocessing: it
never re-imports the caller's ``__main__``.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any, BinaryIO

__all__ = ["AnalysisWorker", "AnalysisWorkerError", "RemoteAnalysis"]

from myokinetics.errors import MyokineticsError

Rows = list[tuple[int, float]]
Beats = list[tuple[float, float]]
_LENGTH = struct.Struct("<Q")


class AnalysisWorkerError(MyokineticsError, RuntimeError):
    """The worker process failed or died; the capture goes on without live numbers."""

    def __init__(self, what: str) -> None:
        super().__init__("live analysis worker", what, "the capture goes on without live numbers")


def _send(stream: IO[bytes], obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError
    (size,) = _LENGTH.unpack(head)
    return pickle.loads(stream.read(size))


class AnalysisWorker:
    """One worker process for the live analyses of every device of a capture (thread-safe)."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "myokinetics.devices.analysis_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._lock = threading.Lock()

    def call(self, operation: str, *args: Any) -> Any:
        """Run ``operation`` in the worker and return its result (blocks until then).

        Raises
        ------
        AnalysisWorkerError
            The operation raised in the worker, or the worker is gone.
        """
        with self._lock:
            try:
                assert self._process.stdin is not None and self._process.stdout is not None
                _send(self._process.stdin, (operation, args))
                status, value = _receive(self._process.stdout)
            except (OSError, EOFError, pickle.UnpicklingError) as error:
                raise AnalysisWorkerError(f"analysis worker is gone ({error!r})") from None
        if status != "ok":
            raise AnalysisWorkerError(value)
        return value

    def analysis(self, key: str, athlete: Any) -> RemoteAnalysis:
        """A proxy for a LiveAnalysis of ``athlete`` living in the worker.

        Pass a resolved athlete (``Athlete.resolved()``), so population-default notices are
        shown once, by the capturing process.
        """
        return RemoteAnalysis(self, key, athlete)

    def close(self) -> None:
        """Stop the worker (idempotent)."""
        if self._process.poll() is None:
            with contextlib.suppress(AnalysisWorkerError):
                self.call("exit")
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


class RemoteAnalysis:
    """Stands in for a LiveAnalysis; each call blocks until the worker answers, so call it from
    a worker thread (:func:`~myokinetics.devices.capture.refresh_loop` does). The analysis is
    created in the worker on first use, never on the event loop."""

    def __init__(self, worker: AnalysisWorker, key: str, athlete: Any) -> None:
        self._worker = worker
        self.key = key
        self._athlete = athlete
        self._created = False
        self.last_cpu_s = 0.0  # worker CPU time (s) of the last push_rows

    def _ensure(self) -> None:
        if not self._created:
            self._worker.call("create", self.key, self._athlete)
            self._created = True

    def push_rows(self, rows: Rows, beats: Beats) -> dict[str, Any]:
        self._ensure()
        values, self.last_cpu_s = self._worker.call("push", self.key, rows, beats)
        return values

    def finish(self) -> dict[str, Any]:
        self._ensure()
        return self._worker.call("finish", self.key)


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    """The worker's loop: answer ``(operation, args)`` requests until ``exit`` or EOF."""
    from myokinetics.devices.live_analysis import LiveAnalysis

    analyses: dict[str, LiveAnalysis] = {}
    operations: dict[str, Callable[..., Any]] = {
        "create": lambda key, athlete: analyses.__setitem__(key, LiveAnalysis(athlete)),
        "push": lambda key, rows, beats: (dict(analyses[key].push_rows(rows, beats)),
                                          analyses[key].last_cpu_s),
        "finish": lambda key: dict(analyses.pop(key).finish()),
        "cpu": time.process_time,
        "exit": lambda: None,
    }
    while True:
        try:
            operation, args = _receive(requests)
        except EOFError:
            return
        try:
            reply = ("ok", operations[operation](*args))
        except Exception as error:  # reported to the caller, which goes on without numbers
            reply = ("error", f"{type(error).__name__}: {error}")
        _send(replies, reply)
        if operation == "exit":
            return


if __name__ == "__main__":
    if hasattr(os, "nice"):
        # Capturing outranks the numbers: on a busy laptop the scheduler serves the
        # notifications first and the dashboard numbers a little later.
        os.nice(10)
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed by the stages must not corrupt the protocol
    serve(sys.stdin.buffer, protocol_out)
