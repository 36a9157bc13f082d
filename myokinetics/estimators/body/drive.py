"""What drives one step: the exercise input, and the states the couplings read at its start."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from myokinetics.estimators.dynamics import ModelParameters

__all__ = ["Drive"]


@dataclass(frozen=True)
class Drive:
    """One step's input (held constant over the step) and start-of-step states.

    Attributes
    ----------
    active : bool
        Inside a recording (else rest between or after recordings).
    dt_min : float
        Step length (min; the model's rate constants are per minute).
    x : float
        Intensity, fraction of VO2max (the resting value at rest).
    u : float
        VO2 fraction above rest (0 at rest).
    net_vo2_l : float
        Exercise O2 uptake above rest (L/min, 0 at rest).
    vo2_l : float or ndarray
        Whole-body O2 uptake (L/min): rest + exercise, or rest + EPOC repayment.
    ee : float
        Energy expenditure from processing (kcal/min, its default variant; NaN at rest).
    net_ee : float
        Energy expenditure above rest (kcal/min, 0 at rest).
    pvo2, glycogen, il6_excess : ndarray
        Roy & Parker's filtered intensity, glycogen (fraction) and plasma IL-6 above baseline
        (pg/mL) at the start of the step.
    """

    active: bool
    dt_min: float
    x: float
    u: float
    net_vo2_l: float
    vo2_l: float | np.ndarray
    ee: float
    net_ee: float
    pvo2: np.ndarray
    glycogen: np.ndarray
    il6_excess: np.ndarray

    @classmethod
    def of(cls, s: dict[str, np.ndarray], p: ModelParameters, x: float, vo2: float, ee: float,
           active: bool, dt_min: float) -> Drive:
        """The drive of a step at intensity ``x`` (fraction of VO2max), ``vo2`` (mL/kg/min)."""
        net_vo2_l = max(vo2 - p.vo2_rest, 0.0) * p.mass / 1000.0 if active else 0.0
        vo2_l = p.vo2_rest_l + net_vo2_l if active else p.vo2_rest_l + s["vo2_excess"]
        return cls(active=active, dt_min=dt_min, x=x if active else p.x_rest,
                   u=max(x - p.x_rest, 0.0) if active else 0.0, net_vo2_l=net_vo2_l,
                   vo2_l=vo2_l, ee=ee, net_ee=max(ee - p.ee_rest, 0.0) if active else 0.0,
                   pvo2=s["pvo2"], glycogen=s["glycogen"], il6_excess=s["il6_p"])
