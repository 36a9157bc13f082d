"""Per-second load terms (vectorised) and the window / total formulas built on their sums.

Every term is additive over seconds (or reduced by max/min/last), so windows and totals are
exact reductions of the same per-second values. Names carry the variant:
``trimp_<preset>_<sex>`` with preset ``banister_lit``, ``gc`` or ``runalyze`` and sex
``male``/``female``/``neutral``; ``energy_kcal_keytel_<hr|vo2max>_<sex>``,
``energy_kcal_vo2r_rer`` and, in cycling, ``energy_kcal_vo2r_rer_power_de`` (see
:mod:`myokinetics.processing.energy`).
"""

from __future__ import annotations

import numpy as np

from myokinetics.athlete import Athlete
from myokinetics.processing.params import presets, sex_key

__all__ = ["TRIMP_PRESETS", "LoadTerms"]

TRIMP_PRESETS = ("banister_lit", "gc", "runalyze")


class LoadTerms:
    """Names, reductions and formulas of the load quantities for one athlete."""

    def __init__(self, athlete: Athlete, cycling: bool = False) -> None:
        self.athlete = athlete
        self.sex = sex_key(athlete.sex)
        p = presets()
        self.trimp_constants = {name: p["trimp"][name][self.sex] for name in TRIMP_PRESETS}
        self.trimp_names = [f"trimp_{name}_{self.sex}" for name in TRIMP_PRESETS]
        self.energy_names = [f"energy_kcal_keytel_hr_{self.sex}",
                             f"energy_kcal_keytel_vo2max_{self.sex}", "energy_kcal_vo2r_rer"]
        if cycling:
            self.energy_names.append("energy_kcal_vo2r_rer_power_de")
        self.sums = ["n_rows", "n_valid", "n_real", "hr_sum", *self.trimp_names,
                     "trimp_edwards", "trimp_zonal_gc",
                     *(f"time_z{z}_s" for z in range(1, 6)), *self.energy_names,
                     "n_power", "power_sum", "np4_sum"]
        self.names = [*self.sums, "hr_max", "epoc_peak_l", "wbal_min_j", "epoc_l"]
        self.kinds = ["sum"] * len(self.sums) + ["max", "max", "min", "last"]
        self.index = {name: i for i, name in enumerate(self.names)}
        p = presets()
        self._edwards_lower = np.asarray(p["edwards"]["lower_fraction_of_hr_max"])
        self._edwards_weight = np.concatenate(([0.0], p["edwards"]["weight"]))
        self._zonal_lower = np.asarray(p["zonal_gc"]["lower_fraction_of_lthr"])
        self._zonal_k = np.concatenate(([0.0], p["zonal_gc"]["k"]))
        self._trimp_a = np.array([self.trimp_constants[n]["a"] for n in TRIMP_PRESETS]) / 60.0
        self._trimp_b = np.array([self.trimp_constants[n]["b"] for n in TRIMP_PRESETS])
        self._trimp_cols = np.array([self.index[n] for n in self.trimp_names])
        self._zone_cols = np.array([self.index[f"time_z{z}_s"] for z in range(1, 6)])
        self._zone_ids = np.arange(1.0, 6.0)

    # ------------------------------------------------------------------ per second
    def per_second(self, hr: np.ndarray, real: np.ndarray, zone: np.ndarray,
                   energies: dict[str, np.ndarray], power: np.ndarray,
                   rolling_power: np.ndarray, wbal: np.ndarray, epoc: np.ndarray) -> np.ndarray:
        """Matrix (rows, len(names)) of per-second terms; heart-rate terms are 0 without HR.

        ``energies`` holds each of :attr:`energy_names` (kcal/min per second).
        """
        a = self.athlete
        assert a.hr_rest is not None and a.hr_max is not None and a.hr_threshold is not None
        valid = ~np.isnan(hr)
        h = np.where(valid, hr, 0.0)
        hrr = np.maximum((h - a.hr_rest) / (a.hr_max - a.hr_rest), 0.0) * valid
        out = np.zeros((len(hr), len(self.names)))
        col = self.index
        out[:, col["n_rows"]] = 1.0
        out[:, col["n_valid"]] = valid
        out[:, col["n_real"]] = real
        out[:, col["hr_sum"]] = h
        hrr_col = hrr[:, None]
        out[:, self._trimp_cols] = hrr_col * self._trimp_a * np.exp(self._trimp_b * hrr_col)
        band = np.searchsorted(self._edwards_lower, h / a.hr_max, side="right")
        out[:, col["trimp_edwards"]] = self._edwards_weight[band] * valid / 60.0
        zband = np.searchsorted(self._zonal_lower, h / a.hr_threshold, side="right")
        out[:, col["trimp_zonal_gc"]] = self._zonal_k[zband] * valid / 60.0
        out[:, self._zone_cols] = zone[:, None] == self._zone_ids
        for name in self.energy_names:
            out[:, col[name]] = np.nan_to_num(energies[name]) / 60.0
        has_power = ~np.isnan(power)
        out[:, col["n_power"]] = has_power
        out[:, col["power_sum"]] = np.where(has_power, power, 0.0)
        out[:, col["np4_sum"]] = np.where(has_power, rolling_power ** 4, 0.0)
        out[:, col["hr_max"]] = np.where(valid, hr, np.nan)
        out[:, col["epoc_peak_l"]] = epoc
        out[:, col["wbal_min_j"]] = np.where(has_power, wbal, np.nan)
        out[:, col["epoc_l"]] = epoc
        return out

    # ------------------------------------------------------------------ reductions
    def trimp_at_threshold_60min(self) -> float:
        """Banister TRIMP (literature constants) of 60 min at threshold HR: the HRSS unit."""
        a = self.athlete
        assert a.hr_rest is not None and a.hr_max is not None and a.hr_threshold is not None
        c = self.trimp_constants["banister_lit"]
        hrr = (a.hr_threshold - a.hr_rest) / (a.hr_max - a.hr_rest)
        return 60.0 * hrr * c["a"] * np.exp(c["b"] * hrr)

    def derive(self, reduced: np.ndarray) -> dict[str, np.ndarray]:
        """Output columns (names with variants) from reduced sums, one value per row."""
        a = self.athlete
        assert a.hr_rest is not None and a.hr_max is not None
        r = {name: reduced[:, i] for name, i in self.index.items()}
        with np.errstate(invalid="ignore", divide="ignore"):
            hr_mean = r["hr_sum"] / r["n_valid"]
            gc = self.trimp_constants["gc"]
            hrr_avg = np.maximum((hr_mean - a.hr_rest) / (a.hr_max - a.hr_rest), 0.0)
            avg_trimp = np.where(r["n_valid"] > 0, r["n_valid"] / 60.0 * hrr_avg * gc["a"]
                                 * np.exp(gc["b"] * hrr_avg), 0.0)
            np_w = np.where(r["n_power"] > 0, (r["np4_sum"] / r["n_power"]) ** 0.25, np.nan)
            power_mean = np.where(r["n_power"] > 0, r["power_sum"] / r["n_power"], np.nan)
            ftp = a.ftp_w if a.ftp_w is not None else np.nan
            intensity_factor = np_w / ftp
            tss = r["n_power"] * np_w * intensity_factor / (ftp * 3600.0) * 100.0
            out = {
                "duration_s": r["n_rows"],
                "hr_coverage": r["n_valid"] / r["n_rows"],
                "hr_real_fraction": r["n_real"] / r["n_rows"],
                "hr_mean": hr_mean,
                "hr_max": r["hr_max"],
            }
        for name in self.trimp_names:
            out[name] = r[name]
        out[f"trimp_avg_hr_gc_{self.sex}"] = avg_trimp
        out[f"hrss_banister_lit_{self.sex}"] = (100.0 * r[self.trimp_names[0]]
                                                / self.trimp_at_threshold_60min())
        out["trimp_edwards"] = r["trimp_edwards"]
        out["trimp_zonal_gc"] = r["trimp_zonal_gc"]
        for z in range(1, 6):
            out[f"time_z{z}_s"] = r[f"time_z{z}_s"]
        for name in self.energy_names:
            out[name] = r[name]
        out["epoc_myokinetics_l"] = r["epoc_l"]
        out["epoc_myokinetics_peak_l"] = r["epoc_peak_l"]
        out["power_mean_w"] = power_mean
        out["np_w"] = np_w
        out["if_coggan"] = intensity_factor
        out["tss_coggan"] = tss
        out["wbal_min_j"] = r["wbal_min_j"]
        return out
