"""EPOC: a two-compartment model of the oxygen to be repaid after exercise (stateful stage).

With net uptake dV = (VO2 - VO2rest) x mass (L/min, >= 0) and intensity I = %VO2max/100::

    fast:  dE_f/dt = dV - E_f / tau_f                       (the O2 deficit)
    slow:  dE_s/dt = g70 e^(k (I - 0.70)) dV - E_s / tau_s  (the slow component)
    EPOC = E_f + E_s   (L O2 that would be repaid if exercise stopped now)

Over a step of ``dt`` at a constant input each debt moves exactly as
``E <- a E + b source`` with :func:`debt_factors` (a = e^(-dt/tau), b = (1 - a) tau). This is
the one EPOC model: processing runs it per second (:class:`EpocModel`, as linear filters with
carried state, so any chunking gives the same values; a pause decays both debts over the
elapsed time), and the estimators' whole-body step runs it per model step for every simulated
individual. Its constants are ``[epoc]`` in presets.toml (the estimators draw around them).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from myokinetics.processing.params import presets

__all__ = ["EpocModel", "debt_factors", "slow_drive"]

_DT_MIN = 1.0 / 60.0


def debt_factors(dt_min: float, tau_min: float | np.ndarray
                 ) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Decay ``a`` and source gain ``b`` of a debt over ``dt_min`` at a constant source:
    ``debt <- a debt + b source`` solves dE/dt = source - E/tau exactly (tau in min)."""
    a = np.exp(-dt_min / tau_min)
    return a, (1.0 - a) * tau_min


def slow_drive(net_l_min: np.ndarray | float, fraction_vo2max: np.ndarray | float,
               intensity_k: float | np.ndarray, reference: float) -> np.ndarray:
    """Net O2 uptake (L/min) weighted by intensity for the slow debt (before its gain); NaN
    (no heart rate) counts as rest."""
    return np.fmax(net_l_min * np.exp(intensity_k * (fraction_vo2max - reference)), 0.0)


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
        self._a_fast, self._b_fast = debt_factors(_DT_MIN, self.tau_fast)
        self._a_slow, self._b_slow = debt_factors(_DT_MIN, self.tau_slow)
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
        drive = slow_drive(net, pct_vo2max / 100.0, self.k, self.reference)
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
            fast, _zf = lfilter([self._b_fast], [1.0, -self._a_fast],
                               net[lo:hi], zi=[self._a_fast * self.fast_l])
            slow, _zs = lfilter([self._b_slow * self.gain], [1.0, -self._a_slow],
                               drive[lo:hi], zi=[self._a_slow * self.slow_l])
            self.fast_l, self.slow_l = float(fast[-1]), float(slow[-1])
            self._last_sec = int(sec[hi - 1])
            out[lo:hi] = fast + slow
        return out
