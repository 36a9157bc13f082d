"""Time-resolved model estimates of myokines and systemic metabolic effects, with bands.

The curves are population-model estimates for a person like the athlete, never measurements;
docs/science.md holds one model card per estimator with its equations, sources, calibration and
validation.
"""

from myokinetics.estimators.columns import (
    AXIS_UNITS,
    CURVE_COLUMNS,
    CURVES,
    LABELS,
    MODEL_NOTE,
    ORGANS,
)
from myokinetics.estimators.curves import DEFAULT_HORIZON, estimate_curves, summarize_curves
from myokinetics.estimators.model import CrosstalkModel, EstimatorInputError
from myokinetics.estimators.plot import plot_curves

__all__ = [
    "AXIS_UNITS",
    "CURVES",
    "CURVE_COLUMNS",
    "DEFAULT_HORIZON",
    "LABELS",
    "MODEL_NOTE",
    "ORGANS",
    "CrosstalkModel",
    "EstimatorInputError",
    "estimate_curves",
    "plot_curves",
    "summarize_curves",
]
