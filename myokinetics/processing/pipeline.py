"""LoadPipeline: one code path for a whole file (one chunk) and a live stream (many chunks).

grid (1 s) -> clean -> intensity -> per-second terms (TRIMP family, energy, EPOC, power)
-> windows; RR -> filter -> HRV windows. Every stage keeps explicit state, so the
concatenated outputs of any chunking equal those of the whole recording.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from myokinetics.athlete import Athlete
from myokinetics.processing.clean import CleanBlock, HeartRateCleaner
from myokinetics.processing.energy import cycling_power, keytel_kcal_min, power_kcal_min
from myokinetics.processing.epoc import EpocModel
from myokinetics.processing.grid import SecondGrid
from myokinetics.processing.hrv import HRV_COLUMNS, HrvWindows, sd_from_sums
from myokinetics.processing.intensity import (
    INTENSITY_COLUMNS,
    columns_frame,
    intensity_columns,
    utc_index,
)
from myokinetics.processing.params import presets
from myokinetics.processing.power import PowerStage
from myokinetics.processing.rr import FatMaxxerFilter, ordered_rr
from myokinetics.processing.terms import TRIMP_PRESETS, LoadTerms
from myokinetics.processing.windows import WindowAggregator

__all__ = ["HrMaxExceededWarning", "LoadPipeline", "PipelineStep"]


class HrMaxExceededWarning(UserWarning):
    """A recording's heart rate went above the profile's HRmax (the observed maximum is used)."""


_BOOL_COLUMNS = ("valid", "bridged")


_ENERGY_NOTES = {
    "vo2r_rer": "VO2 from %HRR -> %VO2R, x O2 energy equivalent at the substrate RER",
    "vo2r_rer_power_de": "cycling: rest + power / delta efficiency where power was recorded, "
                         "else VO2 from %HRR -> %VO2R x O2 energy equivalent at the substrate RER",
}


#: Prefixes of the totals that need heart rate (energy from HR included).
_HR_TOTALS = ("trimp", "hrss", "time_z", "epoc", "energy_kcal_keytel")


def _poincare_sd(total: float, squares: float, n: float) -> float:
    """Poincare SD1 (from successive differences) or SD2 (from successive sums), ms: the
    sample SD of the values divided by sqrt 2 (NaN below two values)."""
    return float(sd_from_sums(total, squares, n)) / np.sqrt(2.0)


def _empty_frame(columns: tuple[str, ...] | list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=bool if c in _BOOL_COLUMNS else float)
                         for c in columns}, index=pd.DatetimeIndex([], tz="UTC", name="time"))


@dataclass
class PipelineStep:
    """Rows completed by one :meth:`LoadPipeline.push` (or by :meth:`LoadPipeline.finish`).

    Attributes
    ----------
    intensity : DataFrame
        Per-second intensity rows (UTC index ``time``).
    windows : DataFrame
        Load windows (index = window start, UTC).
    hrv : DataFrame
        HRV windows (index = window end, UTC).

    A chunk that completes nothing returns the same empty frames each time: treat every
    frame as read-only (copy before modifying).
    """

    intensity: pd.DataFrame
    windows: pd.DataFrame
    hrv: pd.DataFrame = field(default_factory=lambda: _empty_frame(HRV_COLUMNS))


class LoadPipeline:
    """Streaming exercise load for one athlete.

    Parameters
    ----------
    athlete : Athlete, optional
        Profile; missing values get population defaults (announced by warnings).
    window_s : int
        Load window length (s), default 60.
    step_s : int, optional
        Spacing of window starts (s); default ``window_s`` (tumbling). Sliding windows need
        ``window_s`` to be a multiple of ``step_s``.
    hrv_window_s, hrv_step_s : float, optional
        HRV window length and spacing (s); defaults 120 and 20 (FatMaxxer).
    dfa_scales : sequence of int, optional
        DFA alpha1 box sizes (beats); default FatMaxxer's 30 sizes.
    rr_filter : "auto", float or "range"
        FatMaxxer successive-difference rule (auto 5/25 % or a fixed fraction), or only the
        plausible range (for RR already corrected offline).
    sport : str, optional
        Canonical sport of the recording; in cycling, energy comes from power where recorded.
    """

    def __init__(self, athlete: Athlete | None = None, window_s: int = 60,
                 step_s: int | None = None, hrv_window_s: float | None = None,
                 hrv_step_s: float | None = None, dfa_scales: tuple[int, ...] | None = None,
                 rr_filter: float | str = "auto", rr_variant: str | None = None,
                 sport: str | None = None) -> None:
        self.athlete = (athlete or Athlete()).resolved()
        self.window_s, self.step_s = int(window_s), int(step_s or window_s)
        self.rr_filter = rr_filter
        self._cycling = cycling_power(sport)
        self._hr_max_raised = False
        self.terms = LoadTerms(self.athlete, cycling=self._cycling)
        self.energy_variant = "vo2r_rer_power_de" if self._cycling else "vo2r_rer"
        vo2_rest = presets()["intensity"]["vo2_rest_ml_kg_min"]
        # stages, each with its own state
        self._grid = SecondGrid()
        self._cleaner = HeartRateCleaner()
        # resolved() fills body mass and W' (FTP may stay None)
        assert self.athlete.body_mass_kg is not None and self.athlete.w_prime_j is not None
        self._epoc = EpocModel(vo2_rest, self.athlete.body_mass_kg)
        self._power = PowerStage(self.athlete.ftp_w, self.athlete.w_prime_j)
        self._windows = WindowAggregator(self.terms.names, self.terms.kinds, self.window_s,
                                         self.step_s)
        self._rr_filter = FatMaxxerFilter(rr_filter if rr_filter != "range" else 1e9)
        self.rr_variant = rr_variant or ("range" if rr_filter == "range"
                                         else self._rr_filter.variant)
        self._hrv = HrvWindows(hrv_window_s, hrv_step_s, dfa_scales)
        # running totals
        self._total = np.array([0.0 if k == "sum" else np.nan for k in self.terms.kinds])
        kinds = np.asarray(self.terms.kinds)
        self._groups = {k: np.flatnonzero(kinds == k) for k in ("sum", "max", "min", "last")}
        # empty outputs, built once (returned when a chunk completes nothing; do not mutate)
        self._no_intensity = _empty_frame(INTENSITY_COLUMNS)
        self._no_hrv = _empty_frame(HRV_COLUMNS)
        self._window_columns: pd.Index | None = None
        self._no_windows = self._build_window_frame(np.empty(0, np.int64),
                                                    np.empty((0, len(self.terms.names))))
        # beats, accepted, sum, sum sq, diff sq sum, n diffs, NN50, diff sum, pair sum, pair sq
        self._rr_acc = np.zeros(10)
        self.last_second: int | None = None  #: last second emitted (Unix s, UTC)
        self._last_rr_ok: float = np.nan
        self._alpha1: list[float] = []
        self._lf_hf: list[float] = []

    # ------------------------------------------------------------------ streaming
    def push(self, samples: pd.DataFrame, rr: pd.Series | None = None) -> PipelineStep:
        """Consume a chunk of samples (and RR, ms); return the rows it completed."""
        clean = self._cleaner.push(self._grid.push(samples))
        hrv = self._push_rr(rr) if rr is not None and len(rr) else self._no_hrv
        return self._process(clean, final=False, hrv=hrv)

    def finish(self) -> PipelineStep:
        """Flush every held-back row and window (end of the recording)."""
        clean = self._cleaner.push(self._grid.finish())
        rest = self._cleaner.finish()
        clean = CleanBlock.concat([clean, rest])
        hrv = self._hrv.finish()
        self._keep_alpha1(hrv)
        return self._process(clean, final=True, hrv=hrv)

    def _push_rr(self, rr: pd.Series) -> pd.DataFrame:
        t_ns, values = ordered_rr(rr)
        t = t_ns / 1e9
        ok = self._rr_filter.step(values)
        if self.rr_filter == "range":
            ok = (values >= self._rr_filter.rr_min) & (values <= self._rr_filter.rr_max)
        good = values[ok]
        seq = np.concatenate(([self._last_rr_ok], good))
        diffs = np.diff(seq)
        pairs = seq[1:] + seq[:-1]
        known = ~np.isnan(diffs)
        diffs, pairs = diffs[known], pairs[known]
        self._rr_acc += [len(values), len(good), good.sum(), (good ** 2).sum(),
                         (diffs ** 2).sum(), len(diffs), (np.abs(diffs) > 50.0).sum(),
                         diffs.sum(), pairs.sum(), (pairs ** 2).sum()]
        if len(good):
            self._last_rr_ok = float(good[-1])
        out = self._hrv.push(t, values, ok)
        self._keep_alpha1(out)
        return out

    def _keep_alpha1(self, hrv: pd.DataFrame) -> None:
        if len(hrv):
            for name, kept in (("dfa_alpha1", self._alpha1), ("lf_hf", self._lf_hf)):
                values = hrv[name].to_numpy()
                kept.extend(values[~np.isnan(values)].tolist())

    def _process(self, clean: CleanBlock, final: bool, hrv: pd.DataFrame) -> PipelineStep:
        if len(clean):
            self.last_second = int(clean.sec[-1])
            hr = clean.hr
            self._follow_observed_hr_max(hr)
            columns = intensity_columns(clean, self.athlete)
            energies = self._energies(hr, columns["energy_kcal_min"], clean.power)
            columns["energy_kcal_min"] = energies[f"energy_kcal_{self.energy_variant}"]
            frame = columns_frame(columns, clean.sec)
            epoc = self._epoc.step(clean.sec, columns["vo2"], columns["pct_vo2max"])
            rolling, wbal = self._power.step(clean.power)
            values = self.terms.per_second(hr, clean.real, columns["zone"], energies,
                                           clean.power, rolling, wbal, epoc)
            self._accumulate(values)
            starts, reduced = self._windows.push(clean.sec, values)
        else:
            frame = self._no_intensity
            starts, reduced = self._windows.push(np.empty(0, np.int64),
                                                 np.empty((0, len(self.terms.names))))
        if final:
            s2, r2 = self._windows.finish()
            starts, reduced = np.r_[starts, s2], np.vstack([reduced, r2])
        return PipelineStep(frame, self._window_frame(starts, reduced), hrv)

    def _follow_observed_hr_max(self, hr: np.ndarray) -> None:
        """Heart rate above the profile's HRmax (after cleaning): the profile is wrong, so the
        observed maximum becomes HRmax for the rest of the recording (said once)."""
        peak = float(np.nanmax(hr)) if np.isfinite(hr).any() else float("nan")
        assert self.athlete.hr_max is not None  # filled by resolved()
        if not peak > self.athlete.hr_max:
            return
        if not self._hr_max_raised:
            warnings.warn(f"heart rate reached {peak:.0f} beats/min, above the profile's HRmax "
                          f"of {self.athlete.hr_max:.0f}: using the observed maximum; set "
                          "hr_max in the athlete profile (myokinetics athlete init)",
                          HrMaxExceededWarning, stacklevel=4)
            self._hr_max_raised = True
        self.athlete = dataclasses.replace(self.athlete, hr_max=peak)
        self.terms.athlete = self.athlete

    def _energies(self, hr: np.ndarray, from_vo2: np.ndarray,
                  power: np.ndarray) -> dict[str, np.ndarray]:
        """Every energy variant of :attr:`terms` (kcal/min per second)."""
        sex = self.terms.sex
        out = {f"energy_kcal_keytel_hr_{sex}": keytel_kcal_min(hr, self.athlete, False),
               f"energy_kcal_keytel_vo2max_{sex}": keytel_kcal_min(hr, self.athlete, True),
               "energy_kcal_vo2r_rer": from_vo2}
        if self._cycling:
            out["energy_kcal_vo2r_rer_power_de"] = np.where(
                np.isnan(power), from_vo2, power_kcal_min(power, self.athlete))
        return out

    def _accumulate(self, values: np.ndarray) -> None:
        total, groups = self._total, self._groups
        total[groups["sum"]] += values[:, groups["sum"]].sum(axis=0)
        total[groups["max"]] = np.fmax(total[groups["max"]],
                                       np.fmax.reduce(values[:, groups["max"]], axis=0))
        total[groups["min"]] = np.fmin(total[groups["min"]],
                                       np.fmin.reduce(values[:, groups["min"]], axis=0))
        total[groups["last"]] = values[-1, groups["last"]]

    def _window_frame(self, starts: np.ndarray, reduced: np.ndarray) -> pd.DataFrame:
        return self._build_window_frame(starts, reduced) if len(starts) else self._no_windows

    def _build_window_frame(self, starts: np.ndarray, reduced: np.ndarray) -> pd.DataFrame:
        columns = self.terms.derive(reduced)
        if self._window_columns is None:
            self._window_columns = pd.Index(["window_s", *columns])
        # every column is float64: one 2-D block builds in microseconds (a dict takes ~1 ms)
        data = np.column_stack([np.full(len(starts), float(self.window_s)),
                                *columns.values()]) if len(starts) else \
            np.empty((0, len(self._window_columns)))
        return pd.DataFrame(data, index=utc_index(starts), columns=self._window_columns,
                            copy=False)

    # ------------------------------------------------------------------ totals
    def totals(self) -> dict[str, Any]:
        """Activity totals so far (call after :meth:`finish` for the whole recording).

        Plain names (``trimp``, ``hrss``, ``energy_kcal`` ...) are the defaults; the same values
        also appear under their variant names, and ``variants``/``constants`` say which.
        """
        derived = {k: float(v[0]) for k, v in self.terms.derive(self._total[None, :]).items()}
        sex = self.terms.sex
        energy_name = f"energy_kcal_{self.energy_variant}"
        out: dict[str, Any] = {
            "duration_s": derived["duration_s"],
            "hr_coverage": derived["hr_coverage"] if derived["duration_s"] else 0.0,
            "trimp": derived[f"trimp_banister_lit_{sex}"],
            "trimp_avg_hr": derived[f"trimp_avg_hr_gc_{sex}"],
            "trimp_edwards": derived["trimp_edwards"],
            "trimp_zonal": derived["trimp_zonal_gc"],
            "hrss": derived[f"hrss_banister_lit_{sex}"],
            "energy_kcal": derived[energy_name],
            "epoc_l": derived["epoc_myokinetics_peak_l"],
            "epoc_end_l": derived["epoc_myokinetics_l"],
            "spikes_removed": self._cleaner.spikes,
            "samples_out_of_order": self._grid.dropped_out_of_order,
        }
        out.update({k: v for k, v in derived.items() if k not in out})
        if out["duration_s"] and not derived["hr_coverage"]:
            self._not_computed_without_hr(out)
        acc = self._rr_acc
        if acc[0]:
            n = acc[1]
            mean = acc[2] / n if n else np.nan
            out.update({
                "rr_beats": int(acc[0]),
                "rr_artifact_pct": float(100.0 * (acc[0] - acc[1]) / acc[0]),
                "hr_mean_rr": float(60000.0 / mean) if n else np.nan,
                "rmssd_ms": float(np.sqrt(acc[4] / acc[5])) if acc[5] else np.nan,
                "sdnn_ms": float(np.sqrt(max(acc[3] / n - mean ** 2, 0.0))) if n else np.nan,
                "dfa_alpha1_median": float(np.median(self._alpha1)) if self._alpha1 else np.nan,
                "pnn50_pct": float(100.0 * acc[6] / n) if n else np.nan,
                "sd1_ms": _poincare_sd(acc[7], acc[4], acc[5]),
                "sd2_ms": _poincare_sd(acc[8], acc[9], acc[5]),
                "lf_hf_median": float(np.median(self._lf_hf)) if self._lf_hf else np.nan,
            })
        out["variants"] = self.variants()
        return out

    def _not_computed_without_hr(self, totals: dict[str, Any]) -> None:
        """Without any heart rate the HR-based totals are not computed (NaN), not 0; energy
        stays where it came from power (cycling)."""
        from_power = self._cycling and totals.get("energy_kcal_vo2r_rer_power_de", 0.0) > 0
        for key in totals:
            if key.startswith(_HR_TOTALS) or key == "energy_kcal_vo2r_rer" or (
                    key in ("energy_kcal", "energy_kcal_vo2r_rer_power_de") and not from_power):
                totals[key] = np.nan

    def variants(self) -> dict[str, Any]:
        """Which formula and constants each default total uses."""
        p = presets()
        sex = self.terms.sex
        assert self.athlete.zones is not None  # filled by resolved()
        return {
            "trimp": f"trimp_banister_lit_{sex}",
            "trimp_avg_hr": f"trimp_avg_hr_gc_{sex}",
            "trimp_edwards": "trimp_edwards (Edwards 1993, %HRmax bands)",
            "trimp_zonal": "trimp_zonal_gc (GoldenCheetah default zones and k)",
            "hrss": f"hrss_banister_lit_{sex} (100 x TRIMP / TRIMP of 60 min at LTHR)",
            "energy_kcal": f"energy_kcal_{self.energy_variant} "
                           f"({_ENERGY_NOTES[self.energy_variant]})",
            "epoc_l": "epoc_myokinetics_peak_l (two-compartment model, docs/load.md)",
            "epoc_end_l": "epoc_myokinetics_l (the same model, value at the last second)",
            "energy_kcal_min": f"energy_kcal_{self.energy_variant} per minute (intensity frame)",
            "pct_vo2r": "swain_leutholtz_1997 (%HRR = "
                        f"{p['intensity']['swain_intercept_pct']:g} + "
                        f"{p['intensity']['swain_slope']:g} x %VO2R, cycle)",
            "time_in_zone": "athlete zones, upper bounds (bpm) "
                            f"{[round(z, 1) for z in self.athlete.zones]}",
            "np_w": "np_coggan (30 s rolling mean, 4th-power mean)",
            "wbal_min_j": "wbal_differential (Froncioni/Clarke, CP = FTP)",
            "rr_filter": self.rr_variant,
            "dfa_alpha1": f"dfa_fatmaxxer window={self._hrv.window_s:g}s "
                          f"step={self._hrv.step_s:g}s scales={list(self._hrv.scales)}",
            "hrv_measures": "pnn50_pct per beat (Task Force 1996); sd1_ms/sd2_ms Poincare "
                            "(NeuroKit2 hrv_nonlinear); lf_hf Lomb-Scargle 0.04-0.15 / "
                            "0.15-0.40 Hz per HRV window, lf_hf_median over the windows",
            "windows": f"{self.window_s}s windows every {self.step_s}s, UTC-aligned",
            "trimp_constants": {name: p["trimp"][name][sex] for name in TRIMP_PRESETS},
            "athlete": self.athlete.as_dict(),
        }
