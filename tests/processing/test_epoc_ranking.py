"""The EPOC ranking check (``bench epoc``): session field 168 read by number, and Spearman's rho
of our loads against it on the corpus files that carry it."""

from __future__ import annotations

import math

import pytest

from bench.bench_energy import LOAD_PEAK_SCALE, device_figures
from bench.bench_epoc import LOADS, Row, corpus_rows, rank_correlations
from tests.conftest import require_shared


def _rows(device: list[float], ours: list[float]) -> list[Row]:
    return [Row(f"f{i}", "running", 60.0, d, dict.fromkeys(LOADS, o))
            for i, (d, o) in enumerate(zip(device, ours, strict=True))]


def test_rank_correlation_is_spearman() -> None:
    device = [10.0, 50.0, 30.0, 200.0]
    assert rank_correlations(_rows(device, [1.0, 9.0, 4.0, 10.0]))["epoc_peak_ml_kg"] \
        == pytest.approx(1.0)
    assert rank_correlations(_rows(device, [9.0, 2.0, 3.0, 1.0]))["hrss"] \
        == pytest.approx(-1.0)
    # one swapped pair of four: 1 - 6 * 2 / (4 * 15) = 0.8
    assert rank_correlations(_rows(device, [1.0, 4.0, 5.0, 10.0]))["trimp_banister"] \
        == pytest.approx(0.8)
    assert math.isnan(rank_correlations(_rows([1.0, 2.0], [1.0, 2.0]))["hrss"])


def test_field_168_is_read_by_number_and_scaled() -> None:
    # tormoder garmin.fit: one cycling session, raw 24516064
    figures = device_figures(require_shared("fit-corpus/tormoder__garmin.fit"))
    assert figures.load_peak == pytest.approx(24516064 / LOAD_PEAK_SCALE)
    # a multisport file carries the running peak: swim 2.9, bike 239.8, run 404.0 mL/kg
    figures = device_figures(require_shared("fit-corpus/muktihari__triathlon_summary_first.fit"))
    assert figures.load_peak == pytest.approx(26477764 / LOAD_PEAK_SCALE)


def test_field_168_absent_gives_none() -> None:
    figures = device_figures(require_shared("fit-corpus/gc__GarminSwimExample.fit"))
    assert figures.load_peak is None


#: The corpus files that carry field 168 on a comparable activity (``python -m bench epoc``
#: finds them by reading every file; the two muktihari files are one activity).
WITH_FIELD_168 = [
    "fitparsers__hrv-activity.fit", "gc__Fr955v19.28andStryd.fit",
    "gc__Garmin945swimRRdata.fit", "muktihari__triathlon_summary_first.fit",
    "muktihari__triathlon_summary_last.fit", "sportslib__6782987395.fit",
    "sportslib__6783622686.fit", "sportslib__6788312639-1.fit", "sportslib__6860622783.fit",
    "sportslib__6860712481.fit", "sportslib__7386755164.fit", "tormoder__garmin.fit"]


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_corpus_ranking() -> None:
    corpus = require_shared("fit-corpus")
    rows = corpus_rows(corpus, WITH_FIELD_168)
    assert len(rows) == len(WITH_FIELD_168) - 1
    assert len({(r.device_ml_kg, r.minutes) for r in rows}) == len(rows)
    assert all(r.device_ml_kg > 0 and r.minutes >= 10 for r in rows)
    rho = rank_correlations(rows)
    assert all(-1.0 <= value <= 1.0 for value in rho.values())
    # our peak EPOC ranks activities the same way round as Firstbeat's, if not in the same order
    assert rho["epoc_peak_ml_kg"] > 0.0
