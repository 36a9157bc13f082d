"""A private dbus-daemon (config: bus.conf beside this file) for the fake BlueZ."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PrivateBus"]

BUS_CONFIG = Path(__file__).with_name("bus.conf")


class PrivateBus:
    """``dbus-daemon`` on a socket in a fresh temporary folder; ``address`` once started.

    Raises
    ------
    FileNotFoundError
        When ``dbus-daemon`` is not installed.
    """

    def __init__(self) -> None:
        daemon = shutil.which("dbus-daemon")
        if daemon is None:
            raise FileNotFoundError("dbus-daemon is not installed (apt-get install dbus-daemon)")
        self.folder = tempfile.mkdtemp(prefix="mk-bus-")
        self.address = f"unix:path={self.folder}/bus"
        self.process = subprocess.Popen(
            [daemon, f"--config-file={BUS_CONFIG}", f"--address={self.address}", "--nofork",
             "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        printed = self.process.stdout.readline().strip()  # printed once the bus listens
        if not printed.startswith("unix:path="):
            self.close()
            raise RuntimeError(f"dbus-daemon did not start (printed {printed!r})")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PrivateBus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
