"""EPOC: a two-compartment model of the oxygen to be repaid after exercise (stateful stage).

Per second (dt = 1/60 min), with net uptake dV = (VO2 - VO2rest) x mass (L/min, >= 0) and
intensity I = %VO2max/100::

    fast:  E_f <- E_f e^(-dt/tau_f) + (1 - e^(-dt/tau_f)) tau_f dV       (the O2 deficit)
    slow:  E_s <- E_s e^(-dt/tau_s) + dt g70 e^(k (I - 0.70)) dV          (the slow component)
    EPOC = E_f + E_s   (L O2 that would be repaid if exercise stopped now)

Both are first-order linear filters, run with :func:`scipy.signal.lfilter` and carried
state, so any chunking gives the same values. During a pause (no rows) both decay over the
elapsed time. Calibration: docs/load.md and ``[epoc]`` in presets.toml.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from myokinetics.processing.params import presets

__all__ = ["EpocModel", "epoc_constant_bout"]

_DT_MIN = 1.0 / 60.0


class EpocModel:
    """Stateful EPOC estimate (L O2) from per-second VO2.

    Parameters
    ----------
    vo2_rest : float
        Resting VO2 (mL/kg/min).
    body_mass_kg : float
        Body mass (kg).
    """

    def __init__(self, vo2_rest: float, body_mass_kg: float) -> None:
        p = presets()["epoc"]
        self.vo2_rest = vo2_rest
        self.body_mass_kg = body_mass_kg
        self.tau_fast = p["tau_fast_min"]
        self.tau_slow = p["tau_slow_min"]
        self.gain = p["gain_slow_at_70"]
        self.k = p["intensity_k"]
        self.reference = p["reference_fraction"]
        self._a_fast = np.exp(-_DT_MIN / self.tau_fast)
        self._a_slow = np.exp(-_DT_MIN / self.tau_slow)
        # per-stream state
        self.fast_l = 0.0
        self.slow_l = 0.0
        self._last_sec: int | None = None

    def step(self, sec: np.ndarray, vo2: np.ndarray, pct_vo2max: np.ndarray) -> np.ndarray:
        """EPOC (L) after each row; NaN VO2 (no heart rate) counts as rest."""
        if len(sec) == 0:
            return np.empty(0)
        # fmax: NaN (no heart rate) becomes 0, i.e. rest
        net = np.fmax((vo2 - self.vo2_rest) * (self.body_mass_kg / 1000.0), 0.0)
        drive = np.fmax(net * np.exp(self.k * (pct_vo2max / 100.0 - self.reference)), 0.0)
        out = np.empty(len(sec))
        # split where rows are not consecutive seconds (pauses): decay over the hole
        if sec[-1] - sec[0] == len(sec) - 1:
            pieces: list[tuple[int, int]] = [(0, len(sec))]
        else:
            breaks = np.flatnonzero(np.diff(sec) != 1) + 1
            pieces = list(zip([0, *breaks], [*breaks, len(sec)], strict=True))
        for lo, hi in pieces:
            if self._last_sec is not None:
                hole_min = (sec[lo] - self._last_sec - 1) * _DT_MIN
                self.fast_l *= np.exp(-hole_min / self.tau_fast)
                self.slow_l *= np.exp(-hole_min / self.tau_slow)
            fast, _zf = lfilter([(1 - self._a_fast) * self.tau_fast], [1.0, -self._a_fast],
                               net[lo:hi], zi=[self._a_fast * self.fast_l])
            slow, _zs = lfilter([_DT_MIN * self.gain], [1.0, -self._a_slow],
                               drive[lo:hi], zi=[self._a_slow * self.slow_l])
            self.fast_l, self.slow_l = float(fast[-1]), float(slow[-1])
            self._last_sec = int(sec[hi - 1])
            out[lo:hi] = fast + slow
        return out


def epoc_constant_bout(minutes: float, fraction_vo2max: float, vo2max_l_min: float,
                       vo2_rest_l_min: float = 0.25) -> float:
    """Model EPOC (L) at the end of a constant bout, for calibration checks.

    Parameters
    ----------
    minutes : float
        Bout duration (min).
    fraction_vo2max : float
        Intensity as a fraction of VO2max (0.7 = 70 %).
    vo2max_l_min, vo2_rest_l_min : float
        Absolute VO2max and resting VO2 (L/min).
    """
    seconds = round(minutes * 60)
    mass = 1000.0                               # work in L/min directly: 1 mL/kg/min = 1 L/min
    model = EpocModel(vo2_rest=vo2_rest_l_min, body_mass_kg=mass)
    vo2 = np.full(seconds, fraction_vo2max * vo2max_l_min)
    return float(model.step(np.arange(seconds), vo2, np.full(seconds,
                                                             fraction_vo2max * 100.0))[-1])
