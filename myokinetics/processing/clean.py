"""Stage 2: heart-rate spikes removed, short dropouts bridged, long ones left as gaps.

A reading is a spike when it differs from the median of the readings within
``spike_half_window_s`` seconds either side by more than ``spike_threshold_bpm``. A run of
missing seconds no longer than ``bridge_max_s`` with readings on both sides (same segment) is
filled by linear interpolation; longer runs stay NaN and lower the coverage. Both tests look
ahead, so the stage holds back the last rows until their neighbourhood is known: the output is
the same for any chunking.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from myokinetics.processing._numeric import nanmedian_rows
from myokinetics.processing.grid import GridBlock
from myokinetics.processing.params import presets

__all__ = ["CleanBlock", "HeartRateCleaner"]


@dataclass
class CleanBlock:
    """Cleaned 1 s rows: ``hr`` (bpm, bridged), ``real`` (a cleaned reading), ``bridged``
    (interpolated), ``power`` (W), ``sec`` (UTC epoch s), ``seg_start``."""

    sec: np.ndarray
    hr: np.ndarray
    real: np.ndarray
    bridged: np.ndarray
    power: np.ndarray
    seg_start: np.ndarray

    def __len__(self) -> int:
        return len(self.sec)

    @classmethod
    def concat(cls, blocks: list[CleanBlock]) -> CleanBlock:
        if len(blocks) == 1:
            return blocks[0]
        return cls(*(np.concatenate([getattr(b, f) for b in blocks]) for f in
                     ("sec", "hr", "real", "bridged", "power", "seg_start")))


def _bridge(values: np.ndarray, anchor: float, max_run: int) -> np.ndarray:
    """Linear interpolation over NaN runs of at most ``max_run`` with readings on both sides.

    ``anchor`` is the reading just before ``values`` (NaN if none). A trailing run has no
    right side and is never filled.
    """
    ext = np.concatenate(([anchor], values))
    n = len(ext)
    ok = ~np.isnan(ext)
    if ok.all() or not ok.any():
        return values.copy()
    idx = np.arange(n)
    prev = np.maximum.accumulate(np.where(ok, idx, -1))
    nxt = np.minimum.accumulate(np.where(ok, idx, n)[::-1])[::-1]
    fill = (~ok) & (prev >= 0) & (nxt < n) & (nxt - prev - 1 <= max_run)
    out = ext.copy()
    if fill.any():
        p, q = prev[fill], nxt[fill]
        frac = (idx[fill] - p) / (q - p)
        out[fill] = ext[p] + frac * (ext[q] - ext[p])
    return out[1:]


class HeartRateCleaner:
    """Stateful spike removal and gap bridging on 1 s grid rows."""

    def __init__(self, spike_half_window_s: int | None = None,
                 spike_threshold_bpm: float | None = None,
                 bridge_max_s: int | None = None) -> None:
        cleaning = presets()["cleaning"]
        self.k = int(spike_half_window_s if spike_half_window_s is not None
                     else cleaning["spike_half_window_s"])
        self.spike_threshold_bpm = float(spike_threshold_bpm if spike_threshold_bpm is not None
                                         else cleaning["spike_threshold_bpm"])
        self.bridge_max_s = int(bridge_max_s if bridge_max_s is not None
                                else cleaning["bridge_max_s"])
        # per-stream state
        self._buffer = GridBlock.empty()     # rows received, not yet emitted
        self._context = np.full(self.k, np.nan)  # raw HR of the last k emitted rows (segment)
        self._anchor = np.nan                # despiked HR of the last emitted row (segment)
        self.spikes = 0                      # readings removed as spikes so far

    def push(self, block: GridBlock) -> CleanBlock:
        """Add grid rows; return the rows whose cleaning is now final."""
        return self._run(block, final=False)

    def finish(self) -> CleanBlock:
        """Flush every held-back row (end of stream)."""
        return self._run(GridBlock.empty(), final=True)

    def _run(self, block: GridBlock, final: bool) -> CleanBlock:
        if not len(self._buffer):
            buf = block
        elif not len(block):
            buf = self._buffer
        else:
            buf = GridBlock(*(np.concatenate([getattr(self._buffer, f), getattr(block, f)])
                              for f in ("sec", "hr", "power", "seg_start")))
        starts = [int(i) for i in np.flatnonzero(buf.seg_start)]
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        bounds = [*starts, len(buf)]
        outputs: list[CleanBlock] = []
        emitted = 0
        for i, (lo, hi) in enumerate(itertools.pairwise(bounds)):
            if hi == lo:
                continue
            if buf.seg_start[lo]:
                self._context[:] = np.nan
                self._anchor = np.nan
            closed = final or i < len(bounds) - 2
            n_out, piece = self._segment(buf, lo, hi, closed)
            outputs.append(piece)
            emitted = lo + n_out
            if n_out < hi - lo:
                break
        self._buffer = GridBlock(buf.sec[emitted:], buf.hr[emitted:], buf.power[emitted:],
                                 buf.seg_start[emitted:])
        if not outputs:
            return CleanBlock(*(np.empty(0, t) for t in (np.int64, float, bool, bool, float,
                                                          bool)))
        return CleanBlock.concat(outputs)

    def _segment(self, buf: GridBlock, lo: int, hi: int, closed: bool) -> tuple[int, CleanBlock]:
        k = self.k
        raw = buf.hr[lo:hi]
        n = len(raw)
        n_ok = n if closed else max(n - k, 0)
        despiked = raw[:n_ok].copy()
        spike = np.zeros(n_ok, bool)
        if n_ok and k:
            ext = np.concatenate((self._context, raw, np.full(k, np.nan)))
            windows = sliding_window_view(ext, 2 * k + 1)[:n_ok]
            present = ~np.isnan(despiked)
            if present.any():
                med = nanmedian_rows(windows[present])
                med_full = np.full(n_ok, np.nan)
                med_full[present] = med
                med = med_full
                spike = present & (np.abs(despiked - med) > self.spike_threshold_bpm)
                despiked[spike] = np.nan
        hr = _bridge(despiked, self._anchor, self.bridge_max_s)
        n_emit = n_ok
        if not closed and n_ok and np.isnan(despiked[-1]):
            ok = np.flatnonzero(~np.isnan(despiked))
            run_start = ok[-1] + 1 if len(ok) else 0
            has_left = len(ok) > 0 or not np.isnan(self._anchor)
            if has_left and n_ok - run_start <= self.bridge_max_s:
                n_emit = run_start         # may still be bridged when a reading arrives
        self.spikes += int(spike[:n_emit].sum())
        if n_emit:
            tail = np.concatenate((self._context, raw[:n_emit]))
            self._context = tail[len(tail) - k:] if k else self._context
            self._anchor = despiked[n_emit - 1]
        real = ~np.isnan(despiked[:n_emit])
        hr = hr[:n_emit]
        piece = CleanBlock(buf.sec[lo:lo + n_emit], hr, real, ~np.isnan(hr) & ~real,
                           buf.power[lo:lo + n_emit], buf.seg_start[lo:lo + n_emit])
        return n_emit, piece
