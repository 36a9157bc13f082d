"""`myokinetics import` and `myokinetics list` end to end (in process, real worker processes)."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import signal
import zipfile

import pandas as pd

from myokinetics import Library
from myokinetics.cli import main
from myokinetics.ingest.archive import Entry
from myokinetics.library.importer import _Runner
from tests.conftest import require_shared

FILES = ("fit-corpus/runalyze__Multisport.tcx", "fit-corpus/runalyze__strava-export.gpx",
         "fit-corpus/fitparse__activity-small-fenix2-run.fit")


def make_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for relative in FILES:
        shutil.copy(require_shared(relative), inbox)
    return inbox


def test_import_twice_then_list(tmp_path, capsys):
    inbox = make_inbox(tmp_path)
    library = tmp_path / "lib"
    assert main(["import", str(inbox), "--library", str(library), "--workers", "2",
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("imported 3 (partial 0), already present 0, no samples 0, failed 0")
    assert main(["import", str(inbox), "--library", str(library), "--quiet"]) == 0
    assert "imported 0 (partial 0), already present 3" in capsys.readouterr().out
    assert main(["list", "--library", str(library)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["id", "start", "sport", "duration", "device", "status",
                                "counted", "name"]
    assert len(table) == 1 + 3 + 1 and table[-1].startswith("3 activities")
    assert "2013-04-18 16:14Z" in table[1]  # oldest first; UTC marked Z
    assert main(["list", "--library", str(library), "--sport", "running"]) == 0
    running = capsys.readouterr().out
    assert "fenix2" in running and "Multisport" not in running
    assert main(["list", "--library", str(library), "--since", "2030-01-01"]) == 0
    assert "no activities" in capsys.readouterr().out
    assert main(["list", "--library", str(library), "--csv"]) == 0
    catalog = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert len(catalog) == 3 and catalog["sha256"].str.len().eq(64).all()


def test_bad_entries_are_reported_and_do_not_stop_the_batch(tmp_path, capsys):
    inbox = make_inbox(tmp_path)
    tcx = require_shared(FILES[0]).read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../escape.tcx", tcx)
        archive.writestr("bomb.fit", bytes(48 * 1024 * 1024))
        archive.writestr("garbage.fit", b"this is not a FIT file at all, just text" * 10)
        archive.writestr("ride.gpx.gz", gzip.compress(
            require_shared("fit-corpus/sportslib__amazfit.gpx").read_bytes()))
    (inbox / "export.zip").write_bytes(buffer.getvalue())
    (inbox / "empty.fit").write_bytes(b"")
    status = main(["import", str(inbox), "--library", str(tmp_path / "lib"), "--workers", "2",
                   "--quiet"])
    out = capsys.readouterr().out
    assert status == 1
    assert out.startswith("imported 4 (partial 0), already present 0, no samples 0, failed 4")
    failed = out.split("failed:\n", 1)[1].splitlines()
    assert len([line for line in failed if line.startswith("  ")]) == 4
    assert any("export.zip!../escape.tcx" in line and "path traversal" in line
               for line in failed)
    assert any("export.zip!bomb.fit" in line and "zip bomb" in line for line in failed)
    assert any("export.zip!garbage.fit" in line for line in failed)
    assert any("empty.fit" in line and "empty file" in line for line in failed)
    assert not (tmp_path / "escape.tcx").exists()
    with Library(tmp_path / "lib") as library:
        assert len(library.activities()) == 4


def test_missing_path_fails_with_status_1(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope"), "--library", str(tmp_path / "lib"),
                 "--quiet"]) == 1
    assert "no such file or folder" in capsys.readouterr().out


def test_a_killed_worker_costs_no_file(tmp_path):
    names = ("fit-corpus/gc__Garmin1000_withFirstbeat.fit", *FILES)
    entries = [Entry(name, data=require_shared(name).read_bytes()) for name in names]
    with Library(tmp_path) as library, _Runner(library, workers=2) as runner:
        for number, entry in enumerate(entries):
            runner.submit(str(number), entry)
        first_pool = runner._pool
        victim = next(iter(first_pool._processes))  # a worker busy with the first files
        os.kill(victim, signal.SIGKILL)
        results = dict(runner.finished(block=True, everything=True))
        assert runner._pool is not first_pool  # the broken pool was replaced
    assert sorted(results) == ["0", "1", "2", "3"]
    assert all("row" in result for result in results.values()), results
