"""The whole shared corpus through the importer: Strava and Garmin export layouts, re-import, kill.

Expected outcomes come from ../shared/fit-corpus/MANIFEST.tsv (decoded by an independent
survey), not from the importer: files with real samples must be imported, files without
records must come out as "no samples", the 0-byte file must fail. A few files with a
handful of untimed records may go either way.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from myokinetics import Library
from tests.conftest import CORPUS, REPO, corpus_manifest

pytestmark = pytest.mark.slow

ROWS = corpus_manifest()
STRAVA_TYPES = {"FIT": "Run", "TCX": "Ride", "GPX": "Run"}


def sha256_of(name: str) -> str:
    return hashlib.sha256((CORPUS / name).read_bytes()).hexdigest()


def must_import(row: dict[str, str]) -> bool:
    """Real samples per the manifest (or XML damage the reader is meant to repair)."""
    if row["format"] != "FIT" and row["broken"] == "corrupt":
        return True
    data = int(row["rec_hr"] or 0) + int(row["rec_power"] or 0) + int(row["rec_gps"] or 0)
    return int(row["records"] or 0) > 3 and data > 0


def must_be_empty(row: dict[str, str]) -> bool:
    return row["broken"] == "" and int(row["records"] or 0) == 0


def must_fail(row: dict[str, str]) -> bool:
    return int(row["size"]) == 0


def strava_zip(path: Path) -> Path:
    """A Strava bulk export: activities/<id>.<fmt>.gz (+ plain GPX), activities.csv, media."""
    lines = ["Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Filename"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for number, row in enumerate(ROWS, start=1000):
            data = (CORPUS / row["name"]).read_bytes()
            suffix = row["format"].lower()
            member = (f"activities/{number}.{suffix}" if suffix == "gpx" and number % 2
                      else f"activities/{number}.{suffix}.gz")
            archive.writestr(member, data if not member.endswith(".gz") else gzip.compress(data))
            lines.append(f'{number},"Jan 1, 2020",Corpus {row["name"]},'
                         f'{STRAVA_TYPES[row["format"]]},60,{member}')
        archive.writestr("activities.csv", "\n".join(lines) + "\n")
        archive.writestr("profile.csv", "Athlete ID,Email Address\n1,a@example.org\n")
        archive.writestr("media/1.jpg", b"\xff\xd8\xff")
    return path


def garmin_zip(path: Path) -> Path:
    """A Garmin Connect export: JSON summaries and the files in nested UploadedFiles zips."""
    parts = {"FIT": io.BytesIO(), "other": io.BytesIO()}
    archives = {key: zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
                for key, buffer in parts.items()}
    for number, row in enumerate(ROWS):
        key = "FIT" if row["format"] == "FIT" else "other"
        suffix = row["format"].lower()
        archives[key].writestr(f"someone@example.org_{number}.{suffix}",
                               (CORPUS / row["name"]).read_bytes())
    for archive in archives.values():
        archive.close()
    uploads = "DI_CONNECT/DI-Connect-Uploaded-Files"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as outer:
        outer.writestr("DI_CONNECT/DI-Connect-Fitness/someone_0_summarizedActivities.json",
                       '[{"summarizedActivitiesExport": []}]')
        outer.writestr(f"{uploads}/UploadedFiles_0-_Part1.zip", parts["FIT"].getvalue())
        outer.writestr(f"{uploads}/UploadedFiles_0-_Part2.zip", parts["other"].getvalue())
    return path


@pytest.fixture(scope="module")
def strava_import(tmp_path_factory):
    if not ROWS:
        pytest.skip("../shared/fit-corpus is absent")
    root = tmp_path_factory.mktemp("strava")
    archive = strava_zip(root / "export_12345.zip")
    library = Library(root / "library")
    report = library.import_paths([archive], workers=2, progress=False)
    yield archive, library, report
    library.close()


def test_strava_export_imports_with_the_right_counts(strava_import):
    _, library, report = strava_import
    outcome = {o.source.rsplit("/", 1)[-1].split(".")[0]: o for o in report.outcomes}
    by_number = {str(number): row for number, row in enumerate(ROWS, start=1000)}
    assert len(report.outcomes) == len(ROWS) and report.present == 0
    assert report.skipped_other == 3  # activities.csv, profile.csv, the photo
    for number, row in by_number.items():
        status = outcome[number].status
        if must_import(row):
            assert status in ("imported", "partial"), (row["name"], outcome[number].message)
        elif must_be_empty(row):
            assert status == "empty", row["name"]
        elif must_fail(row):
            assert status == "failed", row["name"]
        else:
            assert status in ("imported", "partial", "empty"), row["name"]
    frame = library.activities()
    assert len(frame) == report.imported and frame["sha256"].is_unique
    imported_names = {row["name"] for number, row in by_number.items()
                      if outcome[number].status in ("imported", "partial")}
    assert set(frame["sha256"]) == {sha256_of(name) for name in imported_names}
    assert set(frame["name"]) == {f"Corpus {name}" for name in imported_names}
    generic_gpx = frame[(frame["format"] == "gpx") & frame["source"].str.contains("activities/")]
    assert "generic" not in set(generic_gpx["sport"])  # filled in from activities.csv
    assert library.verify() == []


def test_second_import_adds_nothing(strava_import):
    archive, library, first = strava_import
    again = library.import_paths([archive], workers=2, progress=False)
    assert (again.imported, again.present) == (0, first.imported)
    assert again.failed == first.failed and again.empty == first.empty
    assert len(library.activities()) == first.imported


def test_garmin_export_with_nested_zips_gives_the_same_library(strava_import, tmp_path):
    _, strava_library, strava_report = strava_import
    archive = garmin_zip(tmp_path / "garmin-export.zip")
    with Library(tmp_path / "library") as library:
        report = library.import_paths([archive], workers=2, progress=False)
        assert (report.imported, report.partial, report.empty, report.failed) == (
            strava_report.imported, strava_report.partial, strava_report.empty,
            strava_report.failed)
        assert report.skipped_other == 1  # the JSON summary
        nested = ("garmin-export.zip!DI_CONNECT/DI-Connect-Uploaded-Files/"
                  "UploadedFiles_0-_Part1.zip!someone@example.org_")
        assert library.activities()["source"].str.contains(nested, regex=False).any()
        assert set(library.activities()["sha256"]) == set(strava_library.activities()["sha256"])


def _catalog_rows(path: Path) -> int:
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute("SELECT count(*) FROM activities").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_killed_import_completes_on_the_next_run(tmp_path):
    chosen = sorted(r["name"] for r in ROWS if r["format"] == "FIT" and r["broken"] == ""
                    and int(r["records"] or 0) > 500 and 100_000 < int(r["size"]) < 400_000)
    if len(chosen) < 12:
        pytest.skip("../shared/fit-corpus is absent or smaller than expected")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in chosen:
        (inbox / name).write_bytes((CORPUS / name).read_bytes())
    library_path = tmp_path / "library"
    command = [sys.executable, "-m", "myokinetics", "import", str(inbox), "--library",
               str(library_path), "--workers", "2", "--quiet"]
    process = subprocess.Popen(command, cwd=REPO, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 300
    while _catalog_rows(library_path / "catalog.sqlite") < 3 and time.monotonic() < deadline:
        assert process.poll() is None, "the import ended before it could be killed"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the command and its worker processes
    process.wait()
    assert process.returncode == -signal.SIGKILL
    with Library(library_path) as library:
        before = library.activities()
        assert 3 <= len(before) < len(chosen)
        for identifier in before["id"]:  # whatever the catalog names is complete
            assert len(library.load(identifier).samples) > 0
        assert all("not in the catalog" in p for p in library.verify())
        report = library.import_paths([inbox], workers=2, progress=False)
        assert (report.imported + report.present, report.failed) == (len(chosen), 0)
        assert report.present == len(before)
        after = library.activities()
        assert len(after) == len(chosen) and after["sha256"].is_unique
        assert set(after["sha256"]) == {sha256_of(name) for name in chosen}
        assert library.verify() == []
        assert list(library_path.rglob("*.tmp")) == []
