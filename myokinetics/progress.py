"""A one-line progress display on stderr: done/total, rate and elapsed time.

On a terminal the line is redrawn in place (at most 10 times a second); otherwise a plain line
is printed at most every :attr:`Progress.log_every_s` seconds, so logs stay short.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress", "format_duration"]


def format_duration(seconds: float) -> str:
    """``75.2`` -> ``"1:15"``; ``3725`` -> ``"1:02:05"``."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Count finished items and show the count, the rate and the elapsed time.

    Parameters
    ----------
    total : int or None
        Items expected; may grow with :meth:`add_total` as more are discovered
        (archives inside archives). None shows the count only.
    label : str
        Shown first on the line, e.g. ``"import"``.
    unit : str
        Plural noun for the rate, e.g. ``"files"``.
    stream : text file, optional
        Where to draw (default: stderr).
    enabled : bool
        False draws nothing (the counters still work).

    Examples
    --------
    >>> with Progress(3, "demo", enabled=False) as progress:
    ...     for _ in range(3):
    ...         progress.advance()
    >>> progress.done
    3
    """

    #: Seconds between plain lines when the stream is not a terminal.
    log_every_s = 10.0
    #: Seconds between redraws on a terminal.
    redraw_every_s = 0.1

    def __init__(self, total: int | None, label: str, unit: str = "files",
                 stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.done = 0
        self._started = time.monotonic()
        self._last_draw = float("-inf")
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    @property
    def elapsed_s(self) -> float:
        """Seconds since the display was created."""
        return time.monotonic() - self._started

    @property
    def rate(self) -> float:
        """Items finished per second so far (0 before the first)."""
        elapsed = self.elapsed_s
        return self.done / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        """The text of the progress line."""
        count = f"{self.done}/{self.total}" if self.total is not None else f"{self.done}"
        return (f"{self.label}: {count} {self.unit}, {self.rate:.1f} {self.unit}/s, "
                f"{format_duration(self.elapsed_s)} elapsed")

    def add_total(self, count: int) -> None:
        """Expect ``count`` more items."""
        self.total = (self.total or 0) + count
        self._draw()

    def advance(self, count: int = 1) -> None:
        """Mark ``count`` more items finished."""
        self.done += count
        self._draw()

    def _draw(self, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        every = self.redraw_every_s if self._tty else self.log_every_s
        if not final and now - self._last_draw < every:
            return
        self._last_draw = now
        if self._tty:
            self.stream.write("\r\033[K" + self.line() + ("\n" if final else ""))
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._draw(final=True)
