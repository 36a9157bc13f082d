"""Timer pauses: seconds recorded while the device's timer was stopped, and moving time.

Two conventions, named in every output (``variants.time``):

* ``moving`` (the default, as the devices' own totals): samples inside a pause are left out
  and no dropout is bridged across one, so load, energy and EPOC accrue only while the timer
  ran; the first sample after each pause carries ``resumed = 1`` for the 1 s grid.
* ``elapsed``: every sample counts, as recorded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["TIME_CONVENTIONS", "moving_samples"]

TIME_CONVENTIONS = ("moving", "elapsed")


def moving_samples(samples: pd.DataFrame, pauses: pd.DataFrame) -> pd.DataFrame:
    """``samples`` without those strictly inside a pause (``start`` < t < ``end``, UTC); the
    first sample at or after each pause's end gets ``resumed`` = 1.0 (0.0 elsewhere)."""
    if not len(pauses) or not len(samples):
        return samples
    index = samples.index
    assert isinstance(index, pd.DatetimeIndex)  # sample frames have a UTC DatetimeIndex
    times = index.as_unit("ns").asi8
    starts = pd.DatetimeIndex(pauses["start"]).as_unit("ns").asi8
    ends = pd.DatetimeIndex(pauses["end"]).as_unit("ns").asi8
    inside = np.zeros(len(times), bool)
    resumed = np.zeros(len(times))
    for start, end in zip(starts, ends, strict=True):
        inside |= (times > start) & (times < end)
        back = np.searchsorted(times, end, side="left")
        if back < len(times):
            resumed[back] = 1.0
    kept = samples.loc[~inside].copy()
    kept["resumed"] = resumed[~inside]
    return kept
