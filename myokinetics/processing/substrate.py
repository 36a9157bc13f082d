"""Substrate split: the share of oxygen uptake used by fat at an intensity, and its RER.

The FATmax curve phi(x) = phi_rest x (1 - (x / Fatmin)^k) falls from its resting value to zero
at Fatmin; k is set so that fat oxidation, x phi(x), peaks at Fatmax (Achten & Jeukendrup).
The same curve drives the estimators' fat and carbohydrate oxidation (per simulated person)
and, at point values, processing's energy equivalent of oxygen.
"""

from __future__ import annotations

import numpy as np

from myokinetics.processing.params import presets

__all__ = ["fat_share", "fatmax_exponent", "rer", "rest_fat_share"]

#: RER of pure fat and pure carbohydrate oxidation (non-protein).
_RER_FAT, _RER_CHO = 0.7, 1.0


def fatmax_exponent(fatmax: np.ndarray | float, fatmin: np.ndarray | float) -> np.ndarray:
    """k such that x (1 - (x/Fatmin)^k) peaks at Fatmax (both fractions of VO2max).

    d/dx [x - x^(k+1)/Fatmin^k] = 0 gives (Fatmax/Fatmin)^k = 1/(k+1), solved by Newton.
    """
    log_ratio = np.log(np.minimum(np.asarray(fatmax, float) / np.asarray(fatmin, float), 0.95))
    k = np.full(np.shape(log_ratio), 5.0)
    for _ in range(30):
        k = np.clip(k - (k * log_ratio + np.log1p(k)) / (log_ratio + 1.0 / (k + 1.0)), 0.5, 60.0)
    return k


def fat_share(x: np.ndarray | float, phi_rest: np.ndarray | float, fatmin: np.ndarray | float,
              k: np.ndarray | float) -> np.ndarray:
    """Fraction of VO2 used by fat at intensity ``x`` (fraction of VO2max), full glycogen."""
    ratio = np.maximum(np.asarray(x, float), 0.0) / fatmin
    return phi_rest * np.maximum(1.0 - ratio ** k, 0.0)


def rest_fat_share(rest_rer: float) -> float:
    """Fat share of resting VO2 from a resting RER (non-protein: fat 0.7, CHO 1.0)."""
    return (_RER_CHO - rest_rer) / (_RER_CHO - _RER_FAT)


def rer(x: np.ndarray) -> np.ndarray:
    """RER at intensity ``x`` (fraction of VO2max) for the point-value FATmax curve of
    ``presets.toml [substrate]`` (resting RER from ``[energy] rest_rer``)."""
    p = presets()
    sub = p["substrate"]
    phi = fat_share(x, rest_fat_share(p["energy"]["rest_rer"]), sub["fatmin"],
                    fatmax_exponent(sub["fatmax"], sub["fatmin"]))
    return _RER_CHO - (_RER_CHO - _RER_FAT) * phi
