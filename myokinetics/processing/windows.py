"""Stage: per-second quantities reduced over clock-aligned windows (tumbling or sliding).

Windows start at multiples of ``step_s`` since the Unix epoch (UTC) and last ``window_s``
(a multiple of ``step_s``); ``step_s = window_s`` gives tumbling windows. Each quantity has a
reduction: ``sum``, ``max``, ``min`` (NaN-ignoring) or ``last``. Per-second rows are first
reduced into step-long blocks; a window is emitted once every block it covers is complete, so
the output does not depend on how the stream was chunked. Windows without rows are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from myokinetics.errors import InputError

__all__ = ["WindowAggregator"]

_KINDS = ("sum", "max", "min", "last")


class WindowAggregator:
    """Stateful windowing of per-second rows.

    Parameters
    ----------
    names : sequence of str
        Quantity names (columns of the values passed to :meth:`push`).
    kinds : sequence of str
        Reduction per quantity: "sum", "max", "min" or "last".
    window_s, step_s : int
        Window length and start spacing (s); ``step_s`` defaults to ``window_s``.
    """

    def __init__(self, names: Sequence[str], kinds: Sequence[str], window_s: int = 60,
                 step_s: int | None = None) -> None:
        step_s = int(step_s or window_s)
        if window_s <= 0 or step_s <= 0 or window_s % step_s:
            raise InputError("window_s", f"{window_s} s windows every {step_s} s",
                             "use a positive window length that is a multiple of step_s")
        if any(k not in _KINDS for k in kinds) or len(kinds) != len(names):
            raise ValueError(f"one reduction per name, each one of {_KINDS}")
        self.names = tuple(names)
        self.kinds = np.asarray(kinds)
        self.window_s, self.step_s = int(window_s), step_s
        self.n_blocks = window_s // step_s
        self._col = {k: np.flatnonzero(self.kinds == k) for k in _KINDS}
        # per-stream state
        self._open_idx: int | None = None     # block still receiving rows
        self._open: np.ndarray | None = None
        self._blocks: dict[int, np.ndarray] = {}   # completed blocks not yet fully used
        self._pending: set[int] = set()           # windows touching completed blocks

    def _combine(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = b.copy()
        c = self._col
        out[c["sum"]] = a[c["sum"]] + b[c["sum"]]
        out[c["max"]] = np.fmax(a[c["max"]], b[c["max"]])
        out[c["min"]] = np.fmin(a[c["min"]], b[c["min"]])
        return out

    def _reduce(self, values: np.ndarray, starts: np.ndarray) -> np.ndarray:
        c = self._col
        out = np.empty((len(starts), values.shape[1]))
        if len(c["sum"]):
            out[:, c["sum"]] = np.add.reduceat(values[:, c["sum"]], starts, axis=0)
        if len(c["max"]):
            out[:, c["max"]] = np.fmax.reduceat(values[:, c["max"]], starts, axis=0)
        if len(c["min"]):
            out[:, c["min"]] = np.fmin.reduceat(values[:, c["min"]], starts, axis=0)
        if len(c["last"]):
            ends = np.append(starts[1:], len(values)) - 1
            out[:, c["last"]] = values[np.ix_(ends, c["last"])]
        return out

    def push(self, sec: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Add rows (``sec`` UTC epoch s, ``values`` shape (rows, quantities)).

        Returns
        -------
        starts : ndarray of int64
            Start of each completed window (UTC epoch s).
        reduced : ndarray, shape (windows, quantities)
        """
        if len(sec):
            block = sec // self.step_s
            starts = np.flatnonzero(np.concatenate(([True], block[1:] != block[:-1])))
            idx = block[starts]
            reduced = self._reduce(values, starts)
            if self._open_idx is not None and idx[0] == self._open_idx:
                assert self._open is not None  # set together with _open_idx
                reduced[0] = self._combine(self._open, reduced[0])
            elif self._open_idx is not None:
                assert self._open is not None  # set together with _open_idx
                self._complete(self._open_idx, self._open)
            for i in range(len(idx) - 1):
                self._complete(int(idx[i]), reduced[i])
            self._open_idx, self._open = int(idx[-1]), reduced[-1]
        return self._emit(limit=self._open_idx)

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        """Complete the open block and emit every remaining window."""
        if self._open_idx is not None:
            assert self._open is not None  # set together with _open_idx
            self._complete(self._open_idx, self._open)
            self._open_idx, self._open = None, None
        return self._emit(limit=None)

    def _complete(self, idx: int, row: np.ndarray) -> None:
        self._blocks[idx] = row
        self._pending.update(range(idx - self.n_blocks + 1, idx + 1))

    def _emit(self, limit: int | None) -> tuple[np.ndarray, np.ndarray]:
        ready = sorted(w for w in self._pending
                       if limit is None or w + self.n_blocks - 1 < limit)
        rows = []
        for w in ready:
            parts = [self._blocks[b] for b in range(w, w + self.n_blocks) if b in self._blocks]
            row = parts[0]
            for part in parts[1:]:
                row = self._combine(row, part)
            rows.append(row)
            self._pending.discard(w)
        if ready:
            oldest = min(self._pending) if self._pending else ready[-1] + self.n_blocks
            for b in [b for b in self._blocks if b < oldest]:
                del self._blocks[b]
        starts = np.asarray(ready, dtype=np.int64) * self.step_s
        values = np.vstack(rows) if rows else np.empty((0, len(self.names)))
        return starts, values
