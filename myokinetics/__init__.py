"""myokinetics: exercise load and model estimates of muscle-organ crosstalk from wearable data.

The public API, in the order data flows: :func:`read` a watch file into an :class:`Activity`,
:func:`analyze` it for an :class:`Athlete` (load, HRV and the :class:`CrosstalkModel` curves),
and keep activities in a :class:`Library`.

The analysis, estimator and library names are imported on first use, so that ``import
myokinetics`` (and every import worker process) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from myokinetics._version import __version__
from myokinetics.activity import Activity, ActivityMeta
from myokinetics.errors import (
    AthleteError,
    DeviceError,
    InputError,
    LibraryError,
    MyokineticsError,
    UnsupportedFormatError,
)
from myokinetics.ingest import read

if TYPE_CHECKING:
    from myokinetics.analysis import Analysis, analyze
    from myokinetics.athlete import Athlete
    from myokinetics.daily import write_daily
    from myokinetics.estimators import CrosstalkModel, estimate_curves
    from myokinetics.library import Library

_LAZY = {
    "Analysis": "myokinetics.analysis",
    "analyze": "myokinetics.analysis",
    "Athlete": "myokinetics.athlete",
    "CrosstalkModel": "myokinetics.estimators",
    "estimate_curves": "myokinetics.estimators",
    "Library": "myokinetics.library",
    "write_daily": "myokinetics.daily",
}

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
    "__version__",
    "analyze",
    "estimate_curves",
    "read",
    "write_daily",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'myokinetics' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
