"""Stage 1: raw samples of any rate onto a regular 1 s UTC grid.

Readings within one second are averaged after the plausible-range filter (so a FIT 0 or 255
never enters an average). Missing seconds inside a recording become rows of NaN; a gap longer
than ``pause_min_s`` is a pause and produces no rows (the next row starts a new segment), and
so is any gap before a sample whose ``resumed`` column is set (the device's timer restarted,
see :mod:`myokinetics.processing.timer`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from myokinetics.errors import InputError
from myokinetics.limits import limit
from myokinetics.processing.params import presets


def utc_time_index(data: pd.DataFrame | pd.Series, what: str, hint: str) -> pd.DatetimeIndex:
    """The time index of ``data`` in UTC (a tz-naive index is taken as UTC).

    Raises :class:`~myokinetics.errors.InputError` naming ``what`` when the index is not a
    time index.
    """
    index = data.index
    if not isinstance(index, pd.DatetimeIndex):
        raise InputError(what, f"the index is a {type(index).__name__}, not a time index", hint)
    return index.tz_localize("UTC") if index.tz is None else index

__all__ = ["GridBlock", "SecondGrid"]

_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


@dataclass
class GridBlock:
    """Rows on the 1 s grid: ``sec`` (int64 UTC epoch seconds), ``hr`` (bpm), ``power`` (W),
    ``seg_start`` (True on the first row after a pause or at the very start)."""

    sec: np.ndarray
    hr: np.ndarray
    power: np.ndarray
    seg_start: np.ndarray

    @classmethod
    def empty(cls) -> GridBlock:
        return cls(np.empty(0, np.int64), np.empty(0), np.empty(0), np.empty(0, bool))

    def __len__(self) -> int:
        return len(self.sec)


def _column(samples: pd.DataFrame, name: str) -> np.ndarray:
    if name not in samples:
        return np.full(len(samples), np.nan)
    column = samples[name]
    if column.dtype == np.float64:
        return column.to_numpy()
    return column.to_numpy(dtype=np.float64, na_value=np.nan)


class SecondGrid:
    """Stateful resampler to 1 s rows; holds back the last (possibly incomplete) second.

    Parameters
    ----------
    pause_min_s : int
        Gaps between samples longer than this (s) are pauses (no rows).
    """

    def __init__(self, pause_min_s: int | None = None) -> None:
        cleaning = presets()["cleaning"]
        self.pause_min_s = int(pause_min_s if pause_min_s is not None
                               else cleaning["pause_min_s"])
        self._hr_range = limit("cleaning", "heart_rate_bpm")
        self._power_range = limit("reader", "power_w")
        # per-stream state
        self._pending_sec: int | None = None        # second being accumulated
        self._pending = np.zeros(5)                 # hr sum, hr count, power sum, power count,
        #                                             timer restarts in the second
        self._last_emitted: int | None = None       # last second emitted
        self.dropped_out_of_order = 0               # samples older than the emitted grid

    def push(self, samples: pd.DataFrame) -> GridBlock:
        """Add samples (UTC index); return the grid rows now complete."""
        if len(samples) == 0:
            return GridBlock.empty()
        index = utc_time_index(samples, "samples",
                               "index the samples by a UTC DatetimeIndex named 'time'")
        sec = index.asi8 // _PER_SECOND[index.unit]
        hr = _column(samples, "heart_rate")
        power = _column(samples, "power")
        resumed = np.nan_to_num(_column(samples, "resumed"))
        low, high = self._hr_range
        hr = np.where((hr >= low) & (hr <= high), hr, np.nan)
        low, high = self._power_range
        power = np.where((power >= low) & (power <= high), power, np.nan)
        if len(sec) > 1 and not np.all(np.diff(sec) >= 0):
            order = np.argsort(sec, kind="stable")
            sec, hr, power, resumed = sec[order], hr[order], power[order], resumed[order]
        if self._last_emitted is not None and sec[0] <= self._last_emitted:
            keep = sec > self._last_emitted
            self.dropped_out_of_order += int((~keep).sum())
            sec, hr, power, resumed = sec[keep], hr[keep], power[keep], resumed[keep]
            if len(sec) == 0:
                return GridBlock.empty()
        starts = np.flatnonzero(np.concatenate(([True], sec[1:] != sec[:-1]))) \
            if len(sec) > 1 else np.zeros(1, np.int64)
        usec = sec[starts]
        values = np.stack([hr, hr, power, power, resumed], axis=1)
        present = ~np.isnan(values)
        values[:, 1:4:2] = present[:, 0:4:2]              # counts beside sums
        values[~present] = 0.0
        sums = values if len(starts) == len(values) else np.add.reduceat(values, starts, axis=0)
        if self._pending_sec is not None:
            if usec[0] == self._pending_sec:
                sums[0] += self._pending
            else:
                usec = np.concatenate(([self._pending_sec], usec))
                sums = np.vstack([self._pending, sums])
        # the last second may still receive readings: keep it back
        self._pending_sec, self._pending = int(usec[-1]), sums[-1].copy()
        return self._emit(usec[:-1], sums[:-1])

    def finish(self) -> GridBlock:
        """Flush the held-back second."""
        if self._pending_sec is None:
            return GridBlock.empty()
        usec, sums = np.array([self._pending_sec]), self._pending[None, :]
        self._pending_sec = None
        return self._emit(usec, sums)

    def _emit(self, usec: np.ndarray, sums: np.ndarray) -> GridBlock:
        if len(usec) == 0:
            return GridBlock.empty()
        with np.errstate(invalid="ignore", divide="ignore"):
            hr = sums[:, 0] / sums[:, 1]
            power = sums[:, 2] / sums[:, 3]
        first = self._last_emitted if self._last_emitted is not None else usec[0] - 10**12
        prev = np.concatenate(([first], usec[:-1]))
        gap = usec - prev
        self._last_emitted = int(usec[-1])
        resumed = sums[:, 4] > 0
        if (gap == 1).all() and not resumed.any():  # the usual case: no holes, no pause
            return GridBlock(usec.astype(np.int64), hr, power, np.zeros(len(usec), bool))
        seg_start = (gap > self.pause_min_s) | resumed
        fill = np.where(seg_start, 1, gap)          # rows each sample stands for (itself + holes)
        total = int(fill.sum())
        out_sec = np.repeat(usec - fill + 1, fill) + (
            np.arange(total) - np.repeat(np.cumsum(fill) - fill, fill))
        pos = np.cumsum(fill) - 1                   # where each real second lands
        out_hr = np.full(total, np.nan)
        out_pw = np.full(total, np.nan)
        out_seg = np.zeros(total, bool)
        out_hr[pos], out_pw[pos], out_seg[pos] = hr, power, seg_start
        return GridBlock(out_sec.astype(np.int64), out_hr, out_pw, out_seg)
