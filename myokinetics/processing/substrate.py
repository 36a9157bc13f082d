"""Substrate split: the share of oxygen uptake used by fat at an intensity, and its RER.

The FATmax curve phi(x) = phi_rest x (1 - x / Fatmin)^a falls from its resting value (resting
RER) to zero at Fatmin; a = Fatmin / Fatmax - 1 puts the peak of fat oxidation, x phi(x), at
Fatmax (Achten & Jeukendrup). With a resting RER of 0.82 and their Fatmax and Fatmin this gives
their maximal fat oxidation (0.52 g/min in trained men) without a fitted gain. The same curve
drives the estimators' fat and carbohydrate oxidation (per simulated person) and, at point
values, processing's energy equivalent of oxygen.
"""

from __future__ import annotations

import numpy as np

from myokinetics.processing.params import presets

__all__ = ["fat_share", "fatmax_exponent", "rer", "rest_fat_share"]

#: RER of pure fat and pure carbohydrate oxidation (non-protein).
_RER_FAT, _RER_CHO = 0.7, 1.0


def fatmax_exponent(fatmax: np.ndarray | float, fatmin: np.ndarray | float) -> np.ndarray:
    """a such that x (1 - x/Fatmin)^a peaks at Fatmax (both fractions of VO2max).

    d/dx [x (1 - x/Fatmin)^a] = 0 at x = Fatmin / (1 + a), so a = Fatmin / Fatmax - 1 (Fatmax
    is kept below 0.95 Fatmin, where the curve would have no peak left).
    """
    ratio = np.minimum(np.asarray(fatmax, float) / np.asarray(fatmin, float), 0.95)
    return np.asarray(1.0 / ratio - 1.0)


def fat_share(x: np.ndarray | float, phi_rest: np.ndarray | float, fatmin: np.ndarray | float,
              exponent: np.ndarray | float) -> np.ndarray:
    """Fraction of VO2 used by fat at intensity ``x`` (fraction of VO2max), full glycogen;
    ``exponent`` from :func:`fatmax_exponent`."""
    ratio = np.maximum(np.asarray(x, float), 0.0) / fatmin
    return phi_rest * np.maximum(1.0 - ratio, 0.0) ** exponent


def rest_fat_share(rest_rer: np.ndarray | float) -> np.ndarray | float:
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
