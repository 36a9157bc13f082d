"""analyze(): every source kind, curves from the estimators, the CLI batch behaviour."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

import myokinetics
from myokinetics import Activity, analyze
from myokinetics.cli import main
from tests.conftest import SAMPLE_FIT, corpus_manifest, require_shared
from tests.processing.helpers import ATHLETE, constant_hr, intervals, rr_from_hr

REQUIRED = ("duration_s", "hr_coverage", "trimp", "trimp_avg_hr", "trimp_edwards", "hrss",
            "energy_kcal", "epoc_l")


def need_sample() -> Path:
    if not SAMPLE_FIT.exists():
        pytest.skip("samples/run-intervals-45min.fit not generated (make sample)")
    return SAMPLE_FIT


def test_dataframe_with_rr_and_required_totals() -> None:
    samples = intervals(seconds=900)
    result = analyze(samples, ATHLETE, rr=rr_from_hr(samples), curves=False)
    for key in REQUIRED:
        assert isinstance(result.totals[key], float), key
    assert result.totals["rmssd_ms"] > 0 and result.totals["np_w"] > 0
    assert result.load.index.tz is not None and len(result.hrv) > 0
    assert result.curves is None
    assert result.totals["variants"]["trimp"] == "trimp_banister_lit_male"


def test_activity_list_is_one_timeline_in_time_order() -> None:
    first = constant_hr(150, 600)
    second = constant_hr(150, 600, start=first.index[-1] + pd.Timedelta("3h"))
    both = analyze([Activity(samples=second), Activity(samples=first)], ATHLETE, curves=False)
    one = analyze(first, ATHLETE, curves=False)
    assert both.totals["activities"] == 2
    assert len(both.intensity) == 1200                  # no rows for the 3 h between
    assert both.totals["trimp"] == pytest.approx(2 * one.totals["trimp"])
    assert both.intensity.index.is_monotonic_increasing


def test_curves_come_from_the_estimators() -> None:
    result = analyze(constant_hr(160, 1200), ATHLETE, horizon=2)
    assert result.curves is not None
    assert result.curves.index[-1] >= result.intensity.index[-1] + pd.Timedelta("2h")
    assert {"il6", "il6_lo", "il6_hi", "epoc"} <= set(result.curves.columns)


def test_sample_file_by_path() -> None:
    path = need_sample()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = myokinetics.analyze(str(path), ATHLETE, curves=False)
    assert result.totals["duration_s"] == pytest.approx(45 * 60, abs=60)
    assert result.totals["hr_coverage"] > 0.95 and result.totals["rr_beats"] > 1000
    lt = analyze(path, ATHLETE, curves=False, rr_correction="lipponen_tarvainen")
    assert lt.totals["variants"]["rr_filter"] == "lipponen_tarvainen_2019"
    assert lt.totals["trimp"] == result.totals["trimp"]


def test_cli_writes_outputs_and_continues_after_a_bad_file(tmp_path: Path, capsys) -> None:
    path = need_sample()
    bad = tmp_path / "broken.fit"
    bad.write_bytes(b"\x0e\x10\x00\x00garbage")
    profile = tmp_path / "me.toml"
    profile.write_text('sex = "male"\nage = 40\nbody_mass_kg = 75\nhr_rest = 50\nhr_max = 185\n'
                       "hr_threshold = 165\nvo2max = 50\nw_prime_j = 20000\n"
                       "zones = [111, 130, 148, 166, 185]\n")
    out = tmp_path / "out"
    code = main(["analyze", str(bad), str(path), "--athlete", str(profile), "--out", str(out),
                 "--horizon", "1", "--format", "parquet"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.count("broken.fit") == 1 and "Traceback" not in captured.err
    folder = out / path.name.split(".")[0]
    for name in ("load.parquet", "intensity.parquet", "hrv.parquet", "curves.parquet",
                 "summary.json", "load.png", "curves.png"):
        assert (folder / name).stat().st_size > 0, name
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["variants"]["trimp"] == "trimp_banister_lit_male"
    assert summary["curves"]["summary"]["il6"]["peak"] > summary["curves"]["summary"]["il6"][
        "baseline"]
    assert "run-intervals-45min.fit" in captured.out


@pytest.mark.slow
def test_cli_on_corpus_files_never_tracebacks(tmp_path: Path, capsys) -> None:
    """A slice of the real corpus, broken files included: one line per failure, no traceback."""
    manifest = corpus_manifest()
    if not manifest:
        pytest.skip("../shared/fit-corpus is absent")
    rows = [r for r in manifest if r["has_hr"] == "1" and not r["broken"]][:6]
    rows += [r for r in manifest if r["broken"]][:4]
    paths = [str(require_shared(f"fit-corpus/{r['name']}")) for r in rows]
    code = main(["analyze", *paths, "--out", str(tmp_path), "--no-curves"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert code in (0, 1)
    assert len(list(tmp_path.glob("*/summary.json"))) >= 5


def test_overlapping_recordings_are_reported_not_double_counted() -> None:
    first = constant_hr(150, 600)
    overlap = constant_hr(150, 600, start=first.index[300])
    result = analyze([Activity(samples=first), Activity(samples=overlap)], ATHLETE,
                     curves=False)
    assert result.totals["duration_s"] == 900
    # seconds 300-598 were already emitted; 599, still open, takes the second reading
    assert result.totals["samples_out_of_order"] == 299
    assert any("overlapping" in note for note in result.warnings)


def test_input_without_heart_rate_is_a_documented_empty_result() -> None:
    empty = analyze(pd.DataFrame(index=pd.DatetimeIndex([], tz="UTC", name="time")), ATHLETE)
    assert empty.load.empty and empty.intensity.empty and empty.curves is None
    assert empty.totals["duration_s"] == 0.0 and empty.totals["trimp"] == 0.0
    no_hr = constant_hr(150, 600).rename(columns={"heart_rate": "power"})
    result = analyze(no_hr, ATHLETE)
    assert result.curves is None and result.totals["hr_coverage"] == 0.0
    # Not computed (NaN), never a load of 0; and said so, with what would give it.
    assert result.totals["duration_s"] == 600 and math.isnan(result.totals["trimp"])
    assert math.isnan(result.totals["energy_kcal"])  # power, but not a cycling activity
    assert "need heart rate" in result.not_computed[0]
    assert "energy needs heart rate, or power in a cycling activity" in result.not_computed


@pytest.mark.parametrize(("kwargs", "where"), [
    ({"horizon": "soon"}, "horizon"),
    ({"horizon": -1}, "horizon"),
    ({"window_s": 0}, "window_s"),
    ({"window_s": 60, "step_s": 25}, "window_s"),
    ({"rr_correction": "kubios"}, "rr_correction"),
])
def test_bad_settings_are_one_line_errors(kwargs: dict, where: str) -> None:
    with pytest.raises(myokinetics.MyokineticsError) as caught:
        analyze(constant_hr(150, 120), ATHLETE, curves=False, **kwargs)
    assert caught.value.where == where and "\n" not in str(caught.value)


def test_samples_without_a_time_index_are_a_one_line_error() -> None:
    samples = constant_hr(150, 120).reset_index(drop=True)
    with pytest.raises(myokinetics.MyokineticsError, match="RangeIndex"):
        analyze(samples, ATHLETE, curves=False)


def test_relative_time_recording_is_analysed_with_its_warning() -> None:
    from myokinetics.activity import ActivityMeta

    samples = constant_hr(150, 600, start=pd.Timestamp("1989-12-31 01:00", tz="UTC"))
    note = "times are relative, the date is unknown"
    activity = Activity(samples=samples, meta=ActivityMeta(time_base="relative"),
                        warnings=[note])
    result = analyze(activity, ATHLETE, horizon=1)
    assert result.totals["duration_s"] == 600 and result.totals["trimp"] > 0
    assert result.curves is not None and note in result.warnings


@pytest.mark.parametrize("correction", ["fatmaxxer", "lipponen_tarvainen"])
def test_rr_out_of_order_or_with_gaps_is_sorted_and_cleaned(correction: str) -> None:
    samples = intervals(seconds=900)
    rr = rr_from_hr(samples)
    reference = analyze(samples, ATHLETE, rr=rr, curves=False, rr_correction=correction)
    holes = pd.concat([rr, pd.Series(float("nan"), index=rr.index[:5] + pd.Timedelta("1ms"))])
    shuffled = holes.sample(frac=1.0, random_state=3)
    result = analyze(samples, ATHLETE, rr=shuffled, curves=False, rr_correction=correction)
    pd.testing.assert_frame_equal(result.hrv, reference.hrv)
    assert result.totals["rr_beats"] == reference.totals["rr_beats"]
    if correction == "fatmaxxer":  # Lipponen & Tarvainen splits missed beats: more intervals
        assert result.totals["rr_beats"] == len(rr)
    assert result.totals["rmssd_ms"] == reference.totals["rmssd_ms"]


@pytest.mark.parametrize("rr", [pd.Series([800.0] * 10), [800.0] * 10])
def test_rr_without_beat_times_is_a_one_line_error(rr) -> None:
    with pytest.raises(myokinetics.MyokineticsError, match=r"^rr: "):
        analyze(constant_hr(150, 120), ATHLETE, rr=rr, curves=False)
