"""Power metrics as a stateful stage: NP inputs and W'bal (differential form).

NP (Coggan, as GoldenCheetah Coggan.cpp): 30 s rolling mean of power with the history starting
at zero, then the 4th-power mean over the samples with power. W'bal (Froncioni/Clarke, as
GoldenCheetah WPrime.cpp "differential"): below CP ``W += (CP - P)(W' - W)/W'``, otherwise
``W += CP - P``; CP = the athlete's FTP. Missing power counts as 0 W (coasting).
"""

from __future__ import annotations

import numpy as np

from myokinetics.processing.params import presets

__all__ = ["PowerStage"]

_BLOCK = 256  # rows per W'bal block: a >= 1 - 700/1000 = 0.3, so 0.3^256 ~ 1e-134 stays normal


class PowerStage:
    """Stateful NP rolling mean and W'bal (J).

    Parameters
    ----------
    ftp_w : float or None
        FTP used as CP (W); without it W'bal is NaN.
    w_prime_j : float
        W' (J).
    """

    def __init__(self, ftp_w: float | None, w_prime_j: float) -> None:
        self.window = int(presets()["power"]["np_window_s"])
        self.ftp_w = ftp_w
        self.w_prime_j = w_prime_j
        # per-stream state
        self._history = np.zeros(self.window - 1)   # last window-1 powers (W)
        self.wbal_j = w_prime_j
        self._resting = True                        # no power seen yet

    def step(self, power: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (30 s rolling mean power (W), W'bal (J)) for each row."""
        if self._resting and np.isnan(power).all():
            # no power yet: rolling mean 0, W'bal full (masked downstream anyway)
            return np.zeros(len(power)), np.full(len(power), float(self.w_prime_j))
        self._resting = False
        p = np.nan_to_num(power, nan=0.0)
        ext = np.concatenate((self._history, p))
        csum = np.concatenate(([0.0], np.cumsum(ext)))
        rolling = (csum[self.window:] - csum[:-self.window]) / self.window
        self._history = ext[len(ext) - (self.window - 1):]
        wbal = np.full(len(p), np.nan)
        if self.ftp_w is not None and len(p):
            wbal[:] = self._wbal(p)
        return rolling, wbal

    def _wbal(self, power: np.ndarray) -> np.ndarray:
        """W'bal (J) per row: the recursion ``W <- a W + b`` solved in short blocks.

        Below CP ``a = 1 - (CP - P)/W'``, ``b = CP - P``; at or above CP ``a = 1``,
        ``b = CP - P``. Within a block ``W_t = A_t (W_0 + sum_{u<=t} b_u / A_u)`` with
        ``A_t = prod_{u<=t} a_u``; blocks of 256 rows keep ``A`` far from underflow.
        """
        assert self.ftp_w is not None  # step() calls this only with an FTP
        cp, w_prime = float(self.ftp_w), float(self.w_prime_j)
        below = power < cp
        a = np.where(below, 1.0 - (cp - power) / w_prime, 1.0)
        b = cp - power
        out = np.empty(len(power))
        w = self.wbal_j
        for lo in range(0, len(power), _BLOCK):
            hi = min(lo + _BLOCK, len(power))
            growth = np.cumprod(a[lo:hi])
            out[lo:hi] = growth * (w + np.cumsum(b[lo:hi] / growth))
            w = float(out[hi - 1])
        self.wbal_j = w
        return out
