"""myokinetics: exercise load and model estimates of muscle-organ crosstalk from wearable data.

The public API, in the order data flows: :func:`read` a watch file into an :class:`Activity`.
"""

from myokinetics.activity import Activity, ActivityMeta
from myokinetics.analysis import Analysis, analyze
from myokinetics.athlete import Athlete
from myokinetics.errors import (
    AthleteError,
    DeviceError,
    InputError,
    LibraryError,
    MyokineticsError,
    UnsupportedFormatError,
)
from myokinetics.estimators import CrosstalkModel, estimate_curves
from myokinetics.ingest import read
from myokinetics.library import Library

__version__ = "0.1.0"

__all__ = [
    "Activity",
    "ActivityMeta",
    "Analysis",
    "Athlete",
    "AthleteError",
    "CrosstalkModel",
    "DeviceError",
    "InputError",
    "Library",
    "LibraryError",
    "MyokineticsError",
    "UnsupportedFormatError",
    "analyze",
    "estimate_curves",
    "read",
]
