"""Power metrics: NP/IF/TSS (Coggan, GoldenCheetah form) and W'bal (differential form)."""

from __future__ import annotations

import numpy as np
import pytest

from myokinetics.processing import LoadPipeline
from myokinetics.processing.power import PowerStage
from tests.processing.helpers import ATHLETE, constant_hr


def sequential_wbal(power: np.ndarray, cp: float, w_prime: float) -> np.ndarray:
    """The Froncioni/Clarke recursion one sample at a time (GoldenCheetah WPrime.cpp)."""
    w, out = w_prime, []
    for p in power:
        w = w + (cp - p) * (w_prime - w) / w_prime if p < cp else w + cp - p
        out.append(w)
    return np.array(out)


@pytest.mark.parametrize(("cp", "w_prime"), [(250.0, 20000.0), (700.0, 1000.0)])
def test_block_wbal_equals_the_sequential_recursion(cp: float, w_prime: float) -> None:
    rng = np.random.default_rng(1)
    power = np.clip(rng.normal(cp, 150, 5000), 0, 1200)
    power[1000:1600] = 0.0
    stage = PowerStage(cp, w_prime)
    parts = [stage.step(power[a:a + 333])[1] for a in range(0, len(power), 333)]
    expected = sequential_wbal(power, cp, w_prime)
    assert np.concatenate(parts) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_an_hour_at_ftp_is_100_tss() -> None:
    samples = constant_hr(150, 3600)
    samples["power"] = float(ATHLETE.ftp_w)
    pipeline = LoadPipeline(ATHLETE)
    pipeline.push(samples)
    pipeline.finish()
    totals = pipeline.totals()
    # the 30 s rolling mean starts from zero (GoldenCheetah), so NP is a hair under FTP
    assert totals["np_w"] == pytest.approx(250.0, rel=2e-3)
    assert totals["tss_coggan"] == pytest.approx(100.0, rel=5e-3)
    assert totals["if_coggan"] == pytest.approx(1.0, rel=2e-3)
    assert totals["wbal_min_j"] == pytest.approx(ATHLETE.w_prime_j)
