"""A ride recorded with power but without heart rate: energy from mechanical work, TSS with an
FTP, the heart-rate figures not computed (never 0) and a note saying what would give them."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest

import myokinetics
from myokinetics.athlete import Athlete
from myokinetics.cli import main
from myokinetics.daily import DailySettings, write_daily
from myokinetics.library import Library
from myokinetics.processing.energy import resting_kcal_min
from myokinetics.processing.params import presets
from tests.conftest import require_shared

RIDE = "fit-corpus/gc__2018-10-03-07-45-28.fit"  # 15 min of cycling power, no heart rate
RIDER = Athlete(age=40, hr_max=185, hr_rest=50, body_mass_kg=70, ftp_w=220)


@pytest.fixture(scope="module")
def ride():
    path = require_shared(RIDE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return path, myokinetics.analyze(path, RIDER, curves=False)


def test_energy_is_mechanical_work_over_efficiency_and_tss_uses_the_ftp(ride):
    path, analysis = ride
    activity = myokinetics.read(path)
    assert activity.heart_rate_coverage == 0 and activity.has_power
    totals = analysis.totals
    power = activity.samples["power"].to_numpy(dtype="float64")  # 1 Hz: one sample a second
    efficiency = presets()["energy_model"]["delta_efficiency"]
    kj_per_kcal = presets()["energy"]["kj_per_kcal"]
    seconds = np.isfinite(power)
    expected = (resting_kcal_min(analysis.athlete) / 60 * seconds.sum()
                + np.maximum(power[seconds], 0).sum() / 1000 / kj_per_kcal / efficiency)
    assert totals["energy_kcal"] == pytest.approx(expected, rel=0.02)
    assert 80 < totals["energy_kcal"] < 300  # 15 min at ~130 W
    np_w, ftp = totals["np_w"], RIDER.ftp_w
    assert totals["tss_coggan"] == pytest.approx(
        seconds.sum() * np_w * (np_w / ftp) / (ftp * 3600) * 100, rel=0.02)


def test_heart_rate_figures_are_not_computed_and_the_note_says_why(ride):
    _, analysis = ride
    for key in ("trimp", "hrss", "epoc_l", "time_z1_s", "energy_kcal_vo2r_rer"):
        assert math.isnan(analysis.totals[key]), key
    assert analysis.curves is None
    assert analysis.not_computed == [
        "TRIMP, HRSS, zones, EPOC and the model curves need heart rate (record with a chest "
        "strap or the watch's heart-rate sensor on)"]


def test_analyze_and_show_print_one_line_and_summary_json_keeps_it(ride, tmp_path, capsys):
    path, _ = ride
    assert main(["analyze", str(path), "--out", str(tmp_path), "--no-curves", "--no-html"]) == 0
    printed = capsys.readouterr()
    notes = [line for line in printed.err.splitlines() if "not computed" in line]
    assert len(notes) == 1 and notes[0].startswith(f"myokinetics: {path}: not computed: TRIMP")
    assert "TSS and IF need your FTP" in notes[0]  # the default profile has no FTP
    summary = json.loads(next(tmp_path.glob("*/summary.json")).read_text())
    assert summary["totals"]["trimp"] is None and summary["totals"]["energy_kcal"] > 0
    assert any("need heart rate" in line for line in summary["not_computed"])
    assert main(["show", str(path)]) == 0
    assert "  note         not computed: TRIMP" in capsys.readouterr().out


def test_a_day_with_the_ride_counts_its_energy_and_tss_and_no_heart_rate_load(ride, tmp_path):
    path, analysis = ride
    library = Library(tmp_path / "library")
    library.add(myokinetics.read(path))
    day = analysis.intensity.index[0].date()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_daily(library, tmp_path / "out", day, day, RIDER,
                    settings=DailySettings(ctl_days=1.0, n_draws=20, plots=False))
    document = json.loads((tmp_path / "out" / f"{day}.json").read_text())
    ride_totals = document["activities"][0]["totals"]
    assert ride_totals["trimp"] is None and ride_totals["energy_kcal"] > 0
    total = document["load"]["total"]
    assert total["energy_kcal"] == pytest.approx(analysis.totals["energy_kcal"], rel=1e-6)
    assert total["tss_coggan"] == pytest.approx(analysis.totals["tss_coggan"], rel=1e-6)
    assert total["trimp"] == 0.0 and document["zones"]["no_hr_s"] > 0
