"""One cohort run at a time per output folder: ``OUT/.cohort.lock``.

The lock is an exclusive ``flock`` on the file, which names the holder's process id. The
operating system releases it when the process ends, however it ends, so the lock of a run
that was killed is taken over by the next run without any staleness guess.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from myokinetics.errors import OutputBusyError

__all__ = ["LOCK_FILE", "run_lock"]

LOCK_FILE = ".cohort.lock"
#: Lock files this process holds: taking one again (the command line, then run_cohort) is a
#: no-op, where a second flock would fail against our own.
_HELD: set[Path] = set()


@contextmanager
def run_lock(out: Path) -> Iterator[None]:
    """Hold ``out``'s cohort lock for the ``with`` block.

    Raises
    ------
    OutputBusyError
        Another process holds it (the message names its pid).
    """
    out.mkdir(parents=True, exist_ok=True)
    path = (out / LOCK_FILE).resolve()
    if path in _HELD:
        yield
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(descriptor, 32).decode(errors="replace").strip() or "unknown"
            raise OutputBusyError(out, f"another cohort run (pid {holder}) is writing here",
                                  "wait for it to finish, or give another --out") from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        _HELD.add(path)
        try:
            yield
        finally:
            _HELD.discard(path)
    finally:
        os.close(descriptor)  # releases the lock
