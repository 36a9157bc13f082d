"""RR-interval cleaning for HRV: plausible range, FatMaxxer's live rule, Lipponen & Tarvainen.

* Range: an RR outside the ``hrv.rr_ms`` row of ``limits.toml`` is an artifact (GoldenCheetah
  FilterHRV).
* :class:`FatMaxxerFilter` (live, stateful): an RR is an artifact when it is not strictly
  within ``last x (1 -+ thr)`` of the last *accepted* RR; ``thr`` is 0.05 above 95 bpm and 0.25
  below 80 bpm, unchanged in between (FatMaxxer ``MainActivity.java``, auto mode). FatMaxxer
  itself compares with the previous raw RR, which lets the second beat of an ectopic pair
  through (733, 415, 313 ms: 415 dropped, 313 kept). After ``reanchor`` rejections in a row the
  next plausible RR is accepted, so a real step in heart rate cannot lock the filter out.
  Artifacts are dropped, not interpolated.
* :func:`lipponen_tarvainen` (offline): the Lipponen & Tarvainen 2019 classification
  (ectopic, missed, extra, long/short beats) with NeuroKit2's Kubios parameters, corrected in
  the RR domain.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from myokinetics.errors import InputError
from myokinetics.limits import limit
from myokinetics.processing._numeric import nanmedian_rows
from myokinetics.processing.grid import utc_time_index
from myokinetics.processing.params import presets

__all__ = ["FatMaxxerFilter", "lipponen_tarvainen", "ordered_rr"]

_HR_BEATS = 5   # beats whose median RR gives the heart rate that picks the threshold


def ordered_rr(rr: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Beat times (int64 ns since the epoch, UTC) and RR intervals (ms) of an RR series, in
    time order, without missing values (a NaN is no beat).

    A tz-naive index is taken as UTC. Raises :class:`~myokinetics.errors.InputError` for an
    index that is not a time index or values that are not numbers.
    """
    index = utc_time_index(rr, "rr",
                           "index RR intervals (ms) by the UTC time of the beat ending each")
    t = index.as_unit("ns").asi8
    try:
        values = rr.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InputError("rr", "values are not numbers", "give RR intervals in ms") from None
    keep = np.isfinite(values)
    if not keep.all():
        t, values = t[keep], values[keep]
    if len(t) > 1 and np.any(t[1:] < t[:-1]):
        order = np.argsort(t, kind="stable")
        t, values = t[order], values[order]
    return t, values


class FatMaxxerFilter:
    """Stateful successive-difference RR filter (FatMaxxer live rule).

    Parameters
    ----------
    threshold : float or "auto"
        Fixed relative threshold (e.g. 0.05) or the heart-rate dependent auto mode.
    """

    def __init__(self, threshold: float | str = "auto") -> None:
        hrv = presets()["hrv"]
        self.threshold = threshold
        self.rr_min, self.rr_max = limit("hrv", "rr_ms")
        self._high = hrv["fatmaxxer_threshold_high_hr"]
        self._low = hrv["fatmaxxer_threshold_low_hr"]
        self._hr_high, self._hr_low = hrv["fatmaxxer_hr_high"], hrv["fatmaxxer_hr_low"]
        # per-stream state
        self._reanchor = int(hrv["successive_reanchor_beats"])
        self._recent = np.empty(0)            # last raw RRs (ms), at most _HR_BEATS
        self._thr = self._low                 # auto-mode threshold in force
        self._last_ok = np.nan                # last accepted RR (ms)
        self._rejected_run = 0                # rejections since then

    @property
    def variant(self) -> str:
        """Name of the rule, e.g. ``fatmaxxer_auto_last_accepted``."""
        return f"fatmaxxer_{self.threshold}_last_accepted"

    def step(self, rr: np.ndarray) -> np.ndarray:
        """Boolean mask: True for accepted RR intervals (ms)."""
        if len(rr) == 0:
            return np.empty(0, bool)
        full = np.concatenate((np.full(_HR_BEATS - len(self._recent), np.nan), self._recent, rr))
        if isinstance(self.threshold, str):
            windows = np.lib.stride_tricks.sliding_window_view(full, _HR_BEATS)[:len(rr)]
            hr = 60000.0 / nanmedian_rows(windows)
            code = np.where(hr > self._hr_high, self._high,
                            np.where(hr < self._hr_low, self._low, np.nan))
            code = np.concatenate(([self._thr], code))
            filled = np.maximum.accumulate(np.where(np.isnan(code), 0, np.arange(len(code))))
            thr = code[filled][1:]
            self._thr = float(thr[-1])
        else:
            thr = np.full(len(rr), float(self.threshold))
        in_range = (rr >= self.rr_min) & (rr <= self.rr_max)
        # After an accepted beat the last accepted one is the previous beat: those decisions
        # are vectorised; only beats after a rejection are decided one by one.
        prev = np.r_[np.nan, rr[:-1]]
        with np.errstate(invalid="ignore"):
            follows_accepted = in_range & (rr > prev * (1 - thr)) & (rr < prev * (1 + thr))
        ok = np.zeros(len(rr), bool)
        last, run = self._last_ok, self._rejected_run
        position, previous_ok = 0, False
        while position < len(rr):
            if previous_ok:
                rejected = np.flatnonzero(~follows_accepted[position:])
                stop = position + int(rejected[0]) if len(rejected) else len(rr)
                ok[position:stop] = True
                last, run = float(rr[stop - 1]), 0
                if stop == len(rr):
                    break
                run, position, previous_ok = 1, stop + 1, False
                continue
            value, fraction = float(rr[position]), float(thr[position])
            accept = bool(in_range[position])
            if accept and last == last and run < self._reanchor:  # last == last: not NaN
                accept = last * (1 - fraction) < value < last * (1 + fraction)
            ok[position] = previous_ok = accept
            last, run = (value, 0) if accept else (last, run + 1)
            position += 1
        self._last_ok, self._rejected_run = last, run
        self._recent = full[-_HR_BEATS:]
        self._recent = self._recent[~np.isnan(self._recent)]
        return ok


def _threshold(values: np.ndarray, alpha: float, width: int) -> np.ndarray:
    series = pd.Series(np.abs(values))
    roll = series.rolling(width, center=True, min_periods=1)
    return alpha * (roll.quantile(0.75) - roll.quantile(0.25)).to_numpy() / 2.0


def _classify(rr: np.ndarray, p: dict) -> dict[str, list[int]]:
    """Lipponen & Tarvainen 2019 decision rules (eqs 1-7), as in NeuroKit2 ``_find_artifacts``."""
    c1, c2, alpha, width = p["c1"], p["c2"], p["alpha"], int(p["window_width"])
    drrs = np.ediff1d(rr, to_begin=0.0)
    drrs[0] = np.mean(drrs[1:])
    with np.errstate(divide="ignore", invalid="ignore"):
        drrs = np.nan_to_num(drrs / _threshold(drrs, alpha, width))
    pad = np.pad(drrs, 2, mode="reflect")
    d = pad[2:-2]
    s12 = np.where(d > 0, np.maximum(pad[1:-3], pad[3:-1]),
                   np.where(d < 0, np.minimum(pad[1:-3], pad[3:-1]), 0.0))
    s22 = np.where(d >= 0, np.minimum(pad[3:-1], pad[4:]), np.maximum(pad[3:-1], pad[4:]))
    medrr = pd.Series(rr).rolling(int(p["medfilt_order"]), center=True,
                                  min_periods=1).median().to_numpy()
    mrrs = rr - medrr
    mrrs[mrrs < 0] *= 2
    th2 = _threshold(mrrs, alpha, width)
    with np.errstate(divide="ignore", invalid="ignore"):
        mrrs = np.nan_to_num(mrrs / th2)
    found: dict[str, list[int]] = {"ectopic": [], "missed": [], "extra": [], "longshort": []}
    i = 0
    while i < len(rr) - 2:
        if abs(drrs[i]) <= 1:
            i += 1
            continue
        if (drrs[i] > 1 and s12[i] < -c1 * drrs[i] - c2) or \
                (drrs[i] < -1 and s12[i] > -c1 * drrs[i] + c2):
            found["ectopic"].append(i)
            i += 1
            continue
        if not (abs(drrs[i]) > 1 or abs(mrrs[i]) > 3):
            i += 1
            continue
        candidates = [i, i + 1] if abs(drrs[i + 1]) < abs(drrs[i + 2]) else [i]
        i += len(candidates) - 1  # a two-beat decision settles both beats
        for j in candidates:
            eq3 = drrs[j] > 1 and s22[j] < -1
            eq4 = abs(mrrs[j]) > 3
            eq5 = drrs[j] < -1 and s22[j] > 1
            if not (eq3 or eq4 or eq5):
                continue
            eq6 = abs(rr[j] / 2 - medrr[j]) < th2[j]
            eq7 = j + 1 < len(rr) and abs(rr[j] + rr[j + 1] - medrr[j]) < th2[j]
            if eq5 and eq7:
                found["extra"].append(j)
            elif eq3 and eq6:
                found["missed"].append(j)
            else:
                found["longshort"].append(j)
        i += 1
    return found


def lipponen_tarvainen(rr: np.ndarray, max_iterations: int = 5
                       ) -> tuple[np.ndarray, np.ndarray, dict[str, float]]:
    """Offline artifact correction of an RR series (ms), iterated while artifacts decrease.

    Extra beats are merged with the next interval, missed beats split into equal parts,
    ectopic and long/short beats replaced by linear interpolation between normal neighbours.

    Returns
    -------
    corrected : ndarray
        Corrected RR intervals (ms); length may differ from the input.
    end_index : ndarray of int
        For each corrected interval, the index of the input beat it ends on (so times can
        follow).
    counts : dict
        Number of input beats per artifact class (each beat once, as the class it was first
        corrected as), and ``artifact_pct``: their share of the input beats (%).
    """
    p = presets()["lipponen_tarvainen"]
    rr = np.asarray(rr, dtype=float).copy()
    beats = len(rr)
    ends = np.arange(beats)
    corrected: dict[int, str] = {}  # input beat -> the first class it was corrected as
    previous = None
    for _ in range(max_iterations):
        if len(rr) < 12:
            break
        found = _classify(rr, p)
        n = sum(len(v) for v in found.values())
        if n == 0 or (previous is not None and n >= previous):
            break
        previous = n
        for kind, indices in found.items():
            for j in indices:
                if j < len(ends):  # a beat corrected again in a later pass counts once
                    corrected.setdefault(int(ends[j]), kind)
        bad = np.zeros(len(rr), bool)
        bad[[j for j in found["ectopic"] + found["longshort"] if j < len(rr)]] = True
        good = np.flatnonzero(~bad)
        if len(good) >= 2:
            rr[bad] = np.interp(np.flatnonzero(bad), good, rr[good])
        medrr = np.median(rr)
        new_rr, new_ends, skip = [], [], set(found["extra"])
        for j in range(len(rr)):
            if j in skip and j + 1 < len(rr):
                rr[j + 1] += rr[j]
                continue
            if j in found["missed"]:
                parts = max(round(rr[j] / medrr), 2)
                new_rr.extend([rr[j] / parts] * parts)
                new_ends.extend([ends[j]] * parts)
                continue
            new_rr.append(rr[j])
            new_ends.append(ends[j])
        rr, ends = np.asarray(new_rr), np.asarray(new_ends)
    counts: dict[str, float] = dict.fromkeys(("ectopic", "missed", "extra", "longshort"), 0)
    counts.update(Counter(corrected.values()))
    counts["artifact_pct"] = 100.0 * len(corrected) / max(beats, 1)
    return rr, ends, counts
