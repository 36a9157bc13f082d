"""EPOC model against its calibration anchors (myokine-literature.md section 5.5)."""

from __future__ import annotations

import numpy as np
import pytest

from myokinetics.processing.epoc import EpocModel

VO2MAX_L = 3.6      # assumed absolute VO2max of Bahr's young men (L/min), docs/load.md


def epoc_constant_bout(minutes: float, fraction_vo2max: float, vo2max_l_min: float,
                       vo2_rest_l_min: float = 0.25) -> float:
    """Model EPOC (L) at the end of a constant bout of ``minutes`` at a fraction of VO2max."""
    seconds = round(minutes * 60)
    model = EpocModel(vo2_rest=vo2_rest_l_min, body_mass_kg=1000.0)  # mL/kg/min = L/min
    vo2 = np.full(seconds, fraction_vo2max * vo2max_l_min)
    return float(model.step(np.arange(seconds), vo2,
                            np.full(seconds, fraction_vo2max * 100.0))[-1])


def test_bahr_1987_durations_at_70_percent() -> None:
    """20/40/80 min at 70 % VO2max: 5.1, 6.8, 14.4 L (Bahr 1987); fit within 1.8 L each."""
    model = [epoc_constant_bout(m, 0.70, VO2MAX_L) for m in (20, 40, 80)]
    assert model == pytest.approx([5.1, 6.8, 14.4], abs=1.8)
    assert model[0] < model[1] < model[2]


def test_fraction_of_net_exercise_oxygen_is_6_to_15_percent() -> None:
    """LaForgia 2006: EPOC = 6-15 % of the net O2 cost of exercise (at >= 50 % VO2max)."""
    for minutes, fraction in ((30, 0.6), (60, 0.7), (45, 0.8)):
        net = (fraction * VO2MAX_L - 0.25) * minutes
        share = epoc_constant_bout(minutes, fraction, VO2MAX_L) / net
        assert 0.06 <= share <= 0.15, (minutes, fraction, share)


def test_short_supramaximal_equals_long_moderate_slow_component() -> None:
    """LaForgia 2006: 6 min at 105 % is comparable to 50 min at 70 % (within 25 %)."""
    assert epoc_constant_bout(6, 1.05, VO2MAX_L) == pytest.approx(
        epoc_constant_bout(50, 0.70, VO2MAX_L), rel=0.25)


def test_pause_decays_state_and_chunks_agree() -> None:
    sec = np.r_[np.arange(600), np.arange(4200, 4800)]
    vo2 = np.full(len(sec), 35.0)
    pct = np.full(len(sec), 70.0)
    whole = EpocModel(3.5, 70.0).step(sec, vo2, pct)
    model = EpocModel(3.5, 70.0)
    parts = np.concatenate([model.step(sec[a:a + 97], vo2[a:a + 97], pct[a:a + 97])
                            for a in range(0, len(sec), 97)])
    assert parts == pytest.approx(whole, rel=1e-12)
    assert whole[600] < whole[599]             # an hour of rest repaid part of it
