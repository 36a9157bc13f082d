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

    def step(self, power: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (30 s rolling mean power (W), W'bal (J)) for each row."""
        p = np.nan_to_num(power, nan=0.0)
        ext = np.concatenate((self._history, p))
        csum = np.concatenate(([0.0], np.cumsum(ext)))
        rolling = (csum[self.window:] - csum[:-self.window]) / self.window
        self._history = ext[len(ext) - (self.window - 1):]
        wbal = np.full(len(p), np.nan)
        if self.ftp_w is not None and len(p):
            cp, w_prime, w = float(self.ftp_w), float(self.w_prime_j), self.wbal_j
            values = p.tolist()
            out = []
            for watts in values:           # sequential by nature; tight loop
                w = w + (cp - watts) * (w_prime - w) / w_prime if watts < cp else w + cp - watts
                out.append(w)
            wbal[:] = out
            self.wbal_j = w
        return rolling, wbal
