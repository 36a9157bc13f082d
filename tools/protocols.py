"""Published exercise protocols as intensity frames, made the way a recording would be.

A protocol is a list of ``(minutes, %VO2max)`` segments. It is turned into a heart-rate stream
for an athlete (target %VO2R = %HRR, Swain & Leutholtz 1997, with a first-order heart-rate lag)
and run through :class:`myokinetics.stream.AthleteStream`, so calibration, validation and tests
see exactly the intensity frame and curves a real file would give.
"""

from __future__ import annotations

import tomllib
import warnings
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from myokinetics.athlete import Athlete
from myokinetics.estimators.params import DATA_DIR
from myokinetics.stream import AthleteStream, StreamOptions, concat_steps

__all__ = ["HR_LAG_S", "PUBLISHED_FILE", "heart_rate_stream", "protocol_athlete",
           "protocol_intensity", "published", "reference_athlete"]

PUBLISHED_FILE = DATA_DIR / "published.toml"
HR_LAG_S = 30.0  #: heart-rate response time constant of the synthetic stream (s), assumed
START = pd.Timestamp("2024-03-01 08:00", tz="UTC")


@cache
def published() -> dict[str, Any]:
    """The parsed ``published.toml`` (reference athlete, protocols, targets)."""
    with PUBLISHED_FILE.open("rb") as handle:
        return tomllib.load(handle)


def reference_athlete() -> Athlete:
    """The documented athlete that every published protocol is run for (resolved)."""
    return protocol_athlete(None)


@cache
def protocol_athlete(protocol: str | None) -> Athlete:
    """The athlete a protocol is run for (resolved): the reference athlete, with the fields of
    the protocol's ``athlete`` table replacing its own (a cohort unlike the reference, e.g.
    untrained); a field given as ``"none"`` is left to the population defaults."""
    fields = {k: v for k, v in published()["reference_athlete"].items() if k != "source"}
    if protocol is not None:
        fields.update(published()["protocol"][protocol].get("athlete", {}))
    fields = {k: v for k, v in fields.items() if v != "none"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zones and W' defaults do not enter the estimators
        return Athlete(**fields).resolved()


def heart_rate_stream(segments: Sequence[Sequence[float]], athlete: Athlete,
                      start: pd.Timestamp = START) -> pd.DataFrame:
    """Samples (1 s, column ``heart_rate`` in bpm) for ``(minutes, %VO2max)`` segments."""
    resolved = athlete.resolved()
    seconds = np.concatenate([np.full(round(m * 60), pct, dtype=float)
                              for m, pct in segments])
    vo2 = seconds / 100.0 * resolved.vo2max
    vo2r = np.clip((vo2 - 3.5) / (resolved.vo2max - 3.5), 0.0, 1.0)
    target = resolved.hr_rest + vo2r * (resolved.hr_max - resolved.hr_rest)
    # First-order lag from the resting rate: exact per-second recursion.
    a = np.exp(-1.0 / HR_LAG_S)
    from scipy.signal import lfilter

    hr, _ = lfilter([1 - a], [1, -a], target, zi=[a * resolved.hr_rest])
    index = pd.date_range(start, periods=len(hr), freq="1s", name="time")
    return pd.DataFrame({"heart_rate": np.round(hr)}, index=index)


def protocol_intensity(segments: Sequence[Sequence[float]], athlete: Athlete | None = None,
                       start: pd.Timestamp = START) -> pd.DataFrame:
    """The per-second intensity frame of a protocol, from processing's own HR mapping."""
    resolved = (athlete or reference_athlete()).resolved()
    stream = AthleteStream(resolved, StreamOptions(curves=False))
    steps = [stream.push(heart_rate_stream(segments, resolved, start)), stream.finish()]
    return concat_steps(steps).intensity
