"""Settings of a daily run, and the fingerprint of the code that computes it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import myokinetics
from myokinetics.errors import InputError

__all__ = ["DailySettings", "code_fingerprint"]

#: Version of the day document layout (the ``schema`` field of every day JSON).
SCHEMA = "myokinetics-daily/1"

#: Warm-up before ``--from``, in CTL time constants: the state carried into the first day
#: written is computed from this far back only. CTL is the slowest state (42 days by default;
#: the 28-day chronic load and the model's glycogen, insulin sensitivity and cytokine states
#: settle within days to weeks), and after 5 time constants a start from rest has shifted it
#: by e^-5 < 0.7 % of its value. (The engine moves the start back to a 28-day grid, see
#: :func:`myokinetics.daily.engine.warmup_start`.)
WARMUP_TIME_CONSTANTS = 5

#: Parts of the package whose code or data change what a day contains.
_CODE_PATHS = ("daily", "processing", "estimators", "stream.py", "athlete.py",
               "athlete_defaults.toml", "activity.py")


@dataclass(frozen=True)
class DailySettings:
    """How days are computed; part of every day's inputs hash.

    Attributes
    ----------
    pmc_load : {"trimp", "hrss"}
        The daily load fed to CTL/ATL/TSB: per-sample Banister TRIMP (the HR-based PMC of
        GoldenCheetah) or HRSS (TRIMP normalised to 60 min at threshold, TSS-like).
    ctl_days, atl_days : float
        Time constants (days) of the chronic and acute EWMAs (e^(-1/tau) form).
    n_draws : int or None
        Parameter draws of the estimator ensemble (band width resolution); None uses the
        estimator's own default.
    seed : int
        Seed of the estimator's parameter draws.
    plots : bool
        Write a PNG per day.
    rr_correction : str
        RR artifact handling of every activity (``myokinetics.stream.RR_CORRECTIONS``).
    """

    pmc_load: Literal["trimp", "hrss"] = "trimp"
    ctl_days: float = 42.0
    atl_days: float = 7.0
    n_draws: int | None = None
    seed: int = 0
    plots: bool = True
    rr_correction: str = "fatmaxxer"

    def __post_init__(self) -> None:
        if self.pmc_load not in ("trimp", "hrss"):
            raise InputError("daily pmc_load", f"unknown value {self.pmc_load!r}",
                             "use trimp or hrss")
        for name in ("ctl_days", "atl_days"):
            if not getattr(self, name) > 0:
                raise InputError(f"daily {name}", f"{getattr(self, name)} is not positive",
                                 "give a time constant in days, e.g. 42 and 7")
        from myokinetics.stream import RR_CORRECTIONS

        if self.rr_correction not in RR_CORRECTIONS:
            raise InputError("daily rr_correction", f"unknown value {self.rr_correction!r}",
                             f"use one of {', '.join(RR_CORRECTIONS)}")
        if self.n_draws is not None and self.n_draws < 1:
            raise InputError("daily n_draws", f"{self.n_draws} is not a positive count",
                             "use e.g. 200, or None for the estimator's default")

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @property
    def warmup(self) -> dt.timedelta:
        """Days computed before the first day written (:data:`WARMUP_TIME_CONSTANTS` CTL
        time constants, whole days)."""
        return dt.timedelta(days=math.ceil(WARMUP_TIME_CONSTANTS * self.ctl_days))


def code_fingerprint() -> str:
    """Hash of the package version and of the code and data files that shape a day.

    Editing a model parameter file or the processing code therefore recomputes every day,
    while editing, say, the device code does not.
    """
    root = Path(myokinetics.__file__).parent
    digest = hashlib.sha256(f"{myokinetics.__version__}|{SCHEMA}".encode())
    for part in _CODE_PATHS:
        path = root / part
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.suffix in (".py", ".toml", ".csv") and file.is_file():
                digest.update(file.relative_to(root).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()
