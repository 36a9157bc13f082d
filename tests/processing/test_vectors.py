"""Published test vectors (../shared/science/load-metrics.md section 5 and vectors/)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from myokinetics.athlete import Athlete
from myokinetics.processing import LoadPipeline, dfa_alpha1
from myokinetics.processing.params import presets
from tests.conftest import require_shared
from tests.processing.helpers import ATHLETE, constant_hr


def run(athlete: Athlete, samples: pd.DataFrame) -> dict:
    pipeline = LoadPipeline(athlete)
    pipeline.push(samples)
    pipeline.finish()
    return pipeline.totals()


def test_trimp_reference_example_31_8() -> None:
    """Vector 1: male, HRmax 200, HRrest 40, 30 min at 130 bpm -> 31.8 (recomputed 31.8025)."""
    athlete = Athlete(sex="male", age=30, body_mass_kg=70, hr_rest=40, hr_max=200,
                      hr_threshold=180, vo2max=50, w_prime_j=20000,
                      zones=(120, 140, 160, 180, 200))
    totals = run(athlete, constant_hr(130, 30 * 60))
    assert totals["trimp_banister_lit_male"] == pytest.approx(31.8025, abs=5e-4)
    assert totals["trimp"] == totals["trimp_banister_lit_male"]
    # constant HR: the average-HR (GoldenCheetah) form gives the same number for men
    assert totals["trimp_avg_hr"] == pytest.approx(31.8025, abs=5e-4)


def test_sex_normalisation_vector_9() -> None:
    """0.821776 e^1.67 = 0.725215 e^1.795 = 0.64 e^1.92 = 4.3654 per minute at HRR = 1."""
    runalyze = presets()["trimp"]["runalyze"]
    per_min = [c["a"] * math.exp(c["b"]) for c in runalyze.values() if isinstance(c, dict)]
    assert per_min == pytest.approx([4.3654] * 3, abs=1e-4)


def test_hrss_is_100_for_an_hour_at_threshold_and_zonal_66_in_z2() -> None:
    """Vector 10: TRIMP(100) = 100 for 60 min at LTHR; GC zonal 60 min in Z2 = 66."""
    totals = run(ATHLETE, constant_hr(ATHLETE.hr_threshold, 3600))
    assert totals["hrss"] == pytest.approx(100.0, rel=1e-12)
    z2 = 0.75 * ATHLETE.hr_threshold           # 68-83 % of LTHR is GoldenCheetah's Z2
    totals = run(ATHLETE, constant_hr(z2, 3600))
    assert totals["trimp_zonal"] == pytest.approx(66.0, rel=1e-12)


def test_average_hr_trimp_underscores_intervals() -> None:
    """exp() is convex: per-sample TRIMP exceeds the average-HR form on intervals."""
    hard = constant_hr(175, 300)
    easy = constant_hr(110, 300, start=hard.index[-1] + pd.Timedelta("1s"))
    totals = run(ATHLETE, pd.concat([hard, easy] * 3))
    assert totals["trimp"] > totals["trimp_avg_hr"] * 1.05


def test_dfa_alpha1_fatmaxxer_vector() -> None:
    """Vector 6: 193 RR, FatMaxxer box sizes -> 1.5503173309573208; 4..16 -> about 1.5446."""
    path = require_shared("science/vectors/dfa-alpha1-fatmaxxer.csv")
    rr = pd.read_csv(path, comment="#")["rr_ms"].to_numpy(dtype=float)
    assert len(rr) == 193
    # float64 tolerance: the reference and numpy order the sums differently (about 6 ulp)
    assert dfa_alpha1(rr) == pytest.approx(1.5503173309573208, abs=1e-12)
    assert dfa_alpha1(rr, range(4, 17)) == pytest.approx(1.5446, abs=5e-5)


def test_edwards_weights_by_band() -> None:
    """Edwards: 10 min in each %HRmax band 50-60 ... 90-100 -> 10 x (1+2+3+4+5) = 150."""
    parts, start = [], pd.Timestamp("2024-05-01 10:00", tz="UTC")
    for fraction in (0.55, 0.65, 0.75, 0.85, 0.95):
        parts.append(constant_hr(fraction * ATHLETE.hr_max, 600, start=start))
        start += pd.Timedelta("600s")
    totals = run(ATHLETE, pd.concat(parts))
    assert totals["trimp_edwards"] == pytest.approx(150.0, rel=1e-12)


def test_energy_never_below_resting() -> None:
    totals = run(ATHLETE, constant_hr(45, 600))  # below the athlete's resting HR of 50
    from myokinetics.processing.energy import resting_kcal_min
    rest = 10 * resting_kcal_min(ATHLETE)
    for name in ("energy_kcal_keytel_hr_male", "energy_kcal_keytel_vo2max_male"):
        assert totals[name] == pytest.approx(rest, rel=1e-12), name
    # %HRR 0 is %VO2R 0.1 by Swain's intercept: VO2 = 3.5 + 0.001 x (50 - 3.5) mL/kg/min, at
    # the FATmax curve's RER for that intensity (resting_kcal_min uses the resting RER)
    from myokinetics.processing.energy import o2_energy_kj_per_l
    from myokinetics.processing.params import presets
    from myokinetics.processing.substrate import rer

    vo2 = 3.5 + 0.0465
    at_curve = o2_energy_kj_per_l(rer(np.array([vo2 / ATHLETE.vo2max]))[0])
    at_rest = o2_energy_kj_per_l(presets()["energy"]["rest_rer"])
    assert totals["energy_kcal"] == pytest.approx(rest * vo2 / 3.5 * at_curve / at_rest,
                                                  rel=1e-3)
    assert np.isfinite(totals["epoc_l"])
