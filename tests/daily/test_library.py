"""``myokinetics daily`` end to end on a real library: generated FIT files imported through
the import path, and corpus recordings moved onto the same week."""

from __future__ import annotations

import json
import shutil
import warnings

import pandas as pd
import pytest

import myokinetics
from myokinetics.cli import main
from myokinetics.daily.schema import validate
from myokinetics.library import Library
from myokinetics.processing import LoadPipeline
from tests.conftest import require_shared
from tests.daily.helpers import moved, write_generated
from tests.daily.test_engine import snapshot

ATHLETE_TOML = """sex = "male"
age = 41
body_mass_kg = 74
hr_rest = 50
hr_max = 184
hr_threshold = 165
vo2max = 52
"""

#: Corpus recordings with heart rate (two with RR), each moved to (UTC start, offset h).
CORPUS_DAYS = {
    "gc__2012_01_11_11_51_01.fit": ("2024-05-06T16:00Z", 2),     # Mon 18:00 local cycling
    "gc__HRV-Data.fit": ("2024-05-08T05:30Z", 2),                # Wed 07:30 local run, RR
    "runalyze__FR630-with-lth.fit": ("2024-05-10T21:40Z", 2),    # Fri 23:40 local run, RR
}
#: Generated FIT files (UTC start, offset h, seed), imported as files.
GENERATED = [("2024-05-06T04:45Z", 2, 11),   # Mon 06:45 local
             ("2024-05-09T16:30Z", 2, 12)]   # Thu 18:30 local
DAYS = [f"2024-05-{d:02d}" for d in range(6, 11)]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(scope="module")
def week(tmp_path_factory) -> tuple[Library, object]:
    paths = {name: require_shared(f"fit-corpus/{name}") for name in CORPUS_DAYS}
    root = tmp_path_factory.mktemp("daily-library")
    files = root / "files"
    files.mkdir()
    for start, offset, seed in GENERATED:
        write_generated(files / f"gen-{seed}.fit", start, offset, seed=seed, seconds=1800)
    library = Library(root / "library")
    report = library.import_paths([files], workers=1, progress=False)
    assert report.imported == len(GENERATED)
    for name, (start, offset) in CORPUS_DAYS.items():
        library.add(moved(myokinetics.read(paths[name]), start, offset))
    athlete = root / "athlete.toml"
    athlete.write_text(ATHLETE_TOML)
    return library, athlete


def run(library: Library, athlete, out, *extra: str) -> int:
    """The daily command on the numbers alone (its HTML pages are tested in tests/report)."""
    return main(["daily", "--library", str(library.path), "--out", str(out), "--athlete",
                 str(athlete), "--draws", "20", "--no-html", *extra])


def documents(out) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(out.glob("2024-*.json"))}


def test_daily_over_an_imported_library(week, tmp_path, capsys):
    library, athlete = week
    assert run(library, athlete, tmp_path) == 0
    assert "5 days 2024-05-06 to 2024-05-10 (5 computed, 0 unchanged)" in capsys.readouterr().out
    days = documents(tmp_path)
    assert list(days) == DAYS
    assert all(validate(d) == [] for d in days.values())
    for day in DAYS:
        assert (tmp_path / f"{day}.png").stat().st_size > 1000
    assert {"daily.csv", "trend.png", "manifest.json"} <= {p.name for p in tmp_path.iterdir()}
    # Friday 23:40 local is 21:40 UTC: Friday; Monday holds the generated and the corpus ride.
    assert [a["start_local"][:10] for a in days["2024-05-10"]["activities"]] == ["2024-05-10"]
    assert sorted(a["sport"] for a in days["2024-05-06"]["activities"]) == ["cycling",
                                                                            "running"]
    # Per-day sums equal the sums of the per-activity totals, computed here independently.
    from myokinetics.athlete import Athlete

    profile = Athlete.from_toml(athlete)
    catalog = library.activities()
    for day, document in days.items():
        ids = [int(a["id"]) for a in document["activities"]]
        expected = dict.fromkeys(("trimp", "hrss", "energy_kcal", "epoc_l"), 0.0)
        for identifier in ids:
            activity = library.load(identifier)
            pipeline = LoadPipeline(profile)
            pipeline.push(activity.samples, activity.rr if len(activity.rr) else None)
            pipeline.finish()
            for key in expected:
                expected[key] += pipeline.totals()[key]
        for key, value in expected.items():
            assert document["load"]["total"][key] == pytest.approx(value, rel=1e-9), (day, key)
    assert sum(len(d["activities"]) for d in days.values()) == len(catalog)
    assert days["2024-05-08"]["hrv"]["rmssd_ms"] > 0  # the RR recording
    assert days["2024-05-07"]["hrv"] is None and days["2024-05-07"]["activities"] == []
    table = pd.read_csv(tmp_path / "daily.csv")
    assert table["date"].tolist() == DAYS
    # A week of training from rest: fitness rises, fatigue rises faster.
    assert 0 < table["pmc.ctl"].iloc[-1] < table["pmc.atl"].iloc[-1]


def test_two_runs_are_byte_identical_and_a_rerun_computes_nothing(week, tmp_path, capsys):
    library, athlete = week
    run(library, athlete, tmp_path / "a", "--format", "parquet")
    run(library, athlete, tmp_path / "b", "--format", "parquet")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    capsys.readouterr()
    run(library, athlete, tmp_path / "a", "--format", "parquet")
    assert "(0 computed, 5 unchanged)" in capsys.readouterr().out
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_adding_an_activity_mid_range_changes_that_day_and_later(week, tmp_path, capsys):
    library, athlete = week
    copy = Library(shutil.copytree(library.path, tmp_path / "library"))
    run(copy, athlete, tmp_path / "out")
    before = snapshot(tmp_path / "out")
    files = tmp_path / "new"
    files.mkdir()
    write_generated(files / "wed.fit", "2024-05-08T15:00Z", 2, seed=13, seconds=1200)
    copy.import_paths([files], workers=1, progress=False)
    capsys.readouterr()
    run(copy, athlete, tmp_path / "out")
    assert "(3 computed, 2 unchanged)" in capsys.readouterr().out
    after = snapshot(tmp_path / "out")
    for day in DAYS[:2]:
        for ext in ("json", "png"):
            assert after[f"{day}.{ext}"] == before[f"{day}.{ext}"]
    for day in DAYS[2:]:
        assert after[f"{day}.json"] != before[f"{day}.json"]
    assert after["daily.csv"] != before["daily.csv"]


def test_a_damaged_entry_is_reported_and_skipped(week, tmp_path, capsys):
    library, athlete = week
    copy = Library(shutil.copytree(library.path, tmp_path / "library"))
    catalog = copy.activities()
    victim = catalog.loc[catalog["start"].dt.day == 8].iloc[0]
    (copy.path / victim["file"]).write_bytes(b"PAR1 this is not a parquet file")
    assert run(copy, athlete, tmp_path / "out") == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if "daily" in line]
    assert len(errors) == 1 and f"library entry {victim['id']}" in errors[0]
    days = documents(tmp_path / "out")
    assert days["2024-05-08"]["activities"] == [] and len(days["2024-05-08"]["skipped"]) == 1
    assert len(days["2024-05-09"]["activities"]) == 1


def test_last_days_and_bad_arguments(week, tmp_path, capsys):
    library, athlete = week
    assert run(library, athlete, tmp_path, "--last-days", "2") == 0
    assert "2 days 2024-05-09 to 2024-05-10 (5 computed, 0 unchanged)" in \
        capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.glob("*.json")) == [
        "2024-05-09.json", "2024-05-10.json", "manifest.json"]
    assert run(library, athlete, tmp_path, "--from", "2024-05-09", "--to", "2024-05-01") == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("myokinetics: --from/--to:") and "\n" not in error
    (tmp_path / "bad.toml").write_text("hr_max = 20\n")
    assert run(library, tmp_path / "bad.toml", tmp_path) == 2
    assert "hr_max" in capsys.readouterr().err


def test_an_empty_library_writes_nothing_and_says_so(tmp_path, capsys):
    library = Library(tmp_path / "empty")
    assert main(["daily", "--library", str(library.path), "--out", str(tmp_path / "out"),
                 "--last-days", "7"]) == 0
    assert "no days to write" in capsys.readouterr().out
    assert not list((tmp_path / "out").glob("2*.json"))
