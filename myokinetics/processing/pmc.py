"""Daily load and the performance-management chart (CTL, ATL, TSB), monotony and strain.

* :func:`daily_load`: load summed per *local* calendar day, rest days as 0.
* :func:`pmc`: exponentially weighted fitness (CTL) and fatigue (ATL),
  ``X[d] = X[d-1] + alpha (load[d] - X[d-1])`` with ``alpha = 1 - e^(-1/tau)`` by default
  (GoldenCheetah, TrainingPeaks), or ``2/(tau+1)`` (Runalyze) or ``1/tau`` on request; seeds set
  the state before the first day. TSB = CTL - ATL, by default shown on the following day
  (GoldenCheetah). Acute (7-day) and chronic (28-day) mean loads sit side by side; their ratio
  is deliberately not offered as an injury predictor (Impellizzeri et al. 2020).
* Monotony (Foster 1998) = mean / population SD of the last 7 daily loads (rest days 0,
  clamped to [0, 10]; 10 when the SD is 0 and the mean is not), strain = 7-day load x monotony.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from myokinetics.errors import InputError
from myokinetics.processing.params import presets

__all__ = ["daily_load", "ewma_alpha", "monotony_strain", "pmc"]

Convention = Literal["exp", "runalyze", "simple"]


def ewma_alpha(tau_days: float, convention: Convention = "exp") -> float:
    """Daily smoothing factor for a time constant (days) under a named convention."""
    if convention == "exp":
        return 1.0 - float(np.exp(-1.0 / tau_days))
    if convention == "runalyze":
        return 2.0 / (tau_days + 1.0)
    if convention == "simple":
        return 1.0 / tau_days
    raise InputError("EWMA convention", f"unknown value {convention!r}",
                     "use exp, runalyze or simple")


def daily_load(load: pd.Series, utc_offset: dt.timedelta | pd.Series | None = None,
               start: dt.date | None = None, end: dt.date | None = None) -> pd.Series:
    """Sum a load series per local calendar day.

    Parameters
    ----------
    load : Series
        Load values (any unit, e.g. TRIMP per window or per activity) on a UTC DatetimeIndex.
    utc_offset : timedelta or Series of timedelta, optional
        Local time minus UTC, one for all or one per value (None: UTC days).
    start, end : date, optional
        Extend the result to these days (rest days are 0).

    Returns
    -------
    Series
        Load per day (index: ``datetime.date`` as a daily ``DatetimeIndex`` named ``day``).
    """
    index = load.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise InputError("daily load", "the index is not a tz-aware time index",
                         "index the load by UTC time")
    local = index.tz_convert("UTC").tz_localize(None)
    if utc_offset is not None:
        offsets = (pd.to_timedelta(utc_offset.to_numpy()) if isinstance(utc_offset, pd.Series)
                   else pd.Timedelta(utc_offset))
        local = local + offsets
    days = pd.DatetimeIndex(local).normalize()
    sums = pd.Series(load.to_numpy(dtype=float), index=days).groupby(level=0).sum()
    first = pd.Timestamp(start) if start is not None else (sums.index.min() if len(sums)
                                                           else None)
    last = pd.Timestamp(end) if end is not None else (sums.index.max() if len(sums) else None)
    if first is None or last is None:
        return pd.Series(dtype=float, index=pd.DatetimeIndex([], name="day"), name="load")
    full = pd.date_range(first, last, freq="D", name="day")
    return sums.reindex(full, fill_value=0.0).rename("load")


def monotony_strain(daily: pd.Series, days: int | None = None, cap: float | None = None
                    ) -> pd.DataFrame:
    """Foster monotony and strain over trailing ``days``-day windows of daily load."""
    p = presets()["pmc"]
    days = int(days or p["monotony_days"])
    cap = float(cap if cap is not None else p["monotony_cap"])
    roll = daily.rolling(days, min_periods=days)
    mean = roll.mean()
    sd = roll.std(ddof=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(sd > 0, mean / sd, np.where(mean > 0, cap, 0.0))
    mono = pd.Series(np.clip(ratio, 0.0, cap), index=daily.index).where(mean.notna())
    return pd.DataFrame({"monotony": mono, "strain": roll.sum() * mono})


def pmc(daily: pd.Series, ctl_days: float | None = None, atl_days: float | None = None,
        ctl_seed: float = 0.0, atl_seed: float = 0.0, convention: Convention = "exp",
        tsb_next_day: bool = True) -> pd.DataFrame:
    """Fitness/fatigue/form from daily load.

    Parameters
    ----------
    daily : Series
        Load per day, consecutive days (see :func:`daily_load`).
    ctl_days, atl_days : float, optional
        Time constants (days); defaults 42 and 7 (presets.toml ``[pmc]``).
    ctl_seed, atl_seed : float
        CTL and ATL on the day before the first day.
    convention : "exp", "runalyze" or "simple"
        EWMA factor ``1 - e^(-1/tau)``, ``2/(tau+1)`` or ``1/tau``.
    tsb_next_day : bool
        Show TSB = CTL - ATL of the previous day (GoldenCheetah default) instead of the same day.

    Returns
    -------
    DataFrame
        ``load``, ``ctl``, ``atl``, ``tsb``, ``acute_7d``, ``chronic_28d`` (mean daily load),
        ``monotony``, ``strain``; ``attrs["variant"]`` names the convention and constants.
    """
    p = presets()["pmc"]
    ctl_days = float(ctl_days or p["ctl_days"])
    atl_days = float(atl_days or p["atl_days"])
    load = daily.to_numpy(dtype=float)
    out = pd.DataFrame({"load": load}, index=daily.index)
    for name, tau, seed in (("ctl", ctl_days, ctl_seed), ("atl", atl_days, atl_seed)):
        alpha = ewma_alpha(tau, convention)
        values, _ = lfilter([alpha], [1.0, -(1.0 - alpha)], load, zi=[(1.0 - alpha) * seed])
        out[name] = values
    tsb = out["ctl"] - out["atl"]
    if tsb_next_day:
        tsb = tsb.shift(1, fill_value=ctl_seed - atl_seed)
    out["tsb"] = tsb
    out["acute_7d"] = daily.rolling(7, min_periods=1).mean().to_numpy()
    out["chronic_28d"] = daily.rolling(28, min_periods=1).mean().to_numpy()
    out = out.join(monotony_strain(daily))
    out.attrs["variant"] = (f"pmc_{convention} ctl={ctl_days:g}d atl={atl_days:g}d "
                            f"tsb={'next_day' if tsb_next_day else 'same_day'}")
    return out
