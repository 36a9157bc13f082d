"""Exact solutions of the model's linear sub-systems for a constant input over a step.

Decay factors are ``e = exp(-k dt)``; every function works on arrays of shape ``(n_draws,)``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["chain", "decay_chain", "relax", "transient"]


def relax(y: np.ndarray, target: np.ndarray, e: np.ndarray) -> np.ndarray:
    """dy/dt = k (target - y)."""
    return target + (y - target) * e


def chain(m: np.ndarray, s: np.ndarray, source: np.ndarray, k1: np.ndarray, c: np.ndarray,
          k2: np.ndarray, e1: np.ndarray, e2: np.ndarray,
          kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """dm/dt = source - k1 m;  ds/dt = c m - k2 s  (exact; ``kernel`` = (e1 - e2)/(k2 - k1),
    or dt e2 when k1 == k2)."""
    m_ss = source / k1
    s_ss = c * m_ss / k2
    return m_ss + (m - m_ss) * e1, s_ss + (s - s_ss) * e2 + c * (m - m_ss) * kernel


def transient(y: np.ndarray, target: np.ndarray, e_up: np.ndarray,
              e_down: np.ndarray) -> np.ndarray:
    """Relax towards ``target`` with the rise rate when below it, the fall rate when above."""
    return relax(y, target, np.where(target > y, e_up, e_down))


def decay_chain(m: np.ndarray, s: np.ndarray, c: np.ndarray, e1: np.ndarray, e2: np.ndarray,
                kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`chain` without a source (rest)."""
    return m * e1, s * e2 + c * m * kernel
