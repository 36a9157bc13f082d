"""Myokine transients of published size: a target proportional to intensity above rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from myokinetics.estimators.body.drive import Drive
from myokinetics.estimators.kinetics import transient

if TYPE_CHECKING:
    from myokinetics.estimators.dynamics import ModelParameters

__all__ = ["step_transients"]


def step_transients(s: dict[str, np.ndarray], p: ModelParameters, d: Drive,
                    e: dict[str, np.ndarray], states: tuple[str, ...]) -> None:
    """Advance the transient ``states`` (fold excess over baseline) in place.

    During exercise each rises towards ``amplitude x u`` with its rise time and falls with its
    fall time when above; at rest every target is 0 (the states are >= 0, so they fall).
    """
    for state, amplitude, up, down in p.transients:
        if state in states:
            s[state] = (transient(s[state], amplitude * d.u, e[up], e[down]) if d.active
                        else s[state] * e[down])
