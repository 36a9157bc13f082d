"""The library: round trips through Parquet, dedupe by content, atomic writes, catalog queries."""

from __future__ import annotations

import dataclasses
import gzip
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from myokinetics import Activity, Library, LibraryError, read
from myokinetics.library.core import ENV_VAR, default_library_path
from tests.conftest import SAMPLE_FIT, require_shared

MULTISPORT_TCX = "fit-corpus/runalyze__Multisport.tcx"
GPX = "fit-corpus/sportslib__6909869014.gpx"
RR_LOG = "replays/polar-h10-rr-2021-06-06.csv"


def assert_same(left: Activity, right: Activity) -> None:
    """Equal content; the time unit of empty indexes and missing-text markers may differ."""
    pd.testing.assert_frame_equal(left.samples, right.samples, check_index_type=False)
    pd.testing.assert_series_equal(left.rr, right.rr, check_index_type=False)
    for mine, theirs in ((left.laps, right.laps), (left.sessions, right.sessions)):
        pd.testing.assert_frame_equal(mine.astype(object).where(mine.notna(), None),
                                      theirs.astype(object).where(theirs.notna(), None),
                                      check_dtype=False)
    assert left.meta == right.meta
    assert (left.warnings, left.status) == (right.warnings, right.status)


@pytest.mark.parametrize("relative", [MULTISPORT_TCX, GPX, RR_LOG])
def test_add_then_load_round_trips(tmp_path, relative):
    activity = read(require_shared(relative))
    with Library(tmp_path / "lib") as library:
        identifier, added = library.add(activity)
        assert added
        assert_same(activity, library.load(identifier))
        assert_same(activity, library.load(activity.meta.sha256[:10]))


def test_bundled_fit_sample_round_trips(tmp_path):
    if not SAMPLE_FIT.exists():
        pytest.skip("samples/run-intervals-45min.fit is not built yet")
    activity = read(SAMPLE_FIT)
    with Library(tmp_path) as library:
        assert_same(activity, library.load(library.add(activity)[0]))


def test_parquet_parts_are_readable_with_pandas_alone(tmp_path):
    activity = read(require_shared(RR_LOG))
    with Library(tmp_path) as library:
        library.add(activity)
        path = tmp_path / library.activities()["file"].iloc[0]
    rr = pd.read_parquet(path, filters=[("kind", "==", "rr")])
    assert len(rr) == len(activity.rr) == 11463
    assert pq.ParquetFile(path).num_row_groups == 2  # samples, rr


def test_same_content_gz_or_not_is_stored_once(tmp_path):
    source = require_shared(GPX)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(source, inbox / "ride.gpx")
    (inbox / "ride.gpx.gz").write_bytes(gzip.compress(source.read_bytes()))
    with Library(tmp_path / "lib") as library:
        report = library.import_paths([inbox], workers=1, progress=False)
        assert (report.imported, report.present, report.failed) == (1, 1, 0)
        again = library.import_paths([inbox], workers=1, progress=False)
        assert (again.imported, again.present) == (0, 2)
        assert len(library.activities()) == 1


def test_live_activity_without_hash_is_fingerprinted(tmp_path):
    activity = read(require_shared(RR_LOG))
    live = dataclasses.replace(activity, meta=dataclasses.replace(activity.meta, sha256=None))
    with Library(tmp_path) as library:
        first = library.add(live)
        assert first[1] and library.add(live) == (first[0], False)
        assert library.load(first[0]).meta.sha256 is not None


def test_activities_frame_and_filters(tmp_path):
    with Library(tmp_path) as library:
        for relative in (MULTISPORT_TCX, GPX, RR_LOG):
            library.add(read(require_shared(relative)), name=Path(relative).stem)
        frame = library.activities()
        assert list(frame["start"]) == sorted(frame["start"])
        assert str(frame["start"].dt.tz) == "UTC"
        assert {"id", "sha256", "sport", "start", "duration_s", "status", "utc_offset_s",
                "device", "source", "decoder", "warnings", "imported_at"} <= set(frame.columns)
        assert frame["has_heart_rate"].dtype == bool
        assert isinstance(frame["warnings"].iloc[0], list)
        assert len(library.activities(since="2016-01-01")) == 2
        assert len(library.activities(since="2016-04-22T16:44:14Z")) == 1
        assert list(library.activities(sport="MULTISPORT")["name"]) == ["runalyze__Multisport"]


@pytest.mark.parametrize("since", ["last tuesday", "NaT", 3 + 4j])
def test_since_that_is_not_a_date_is_a_library_error(tmp_path, since):
    with Library(tmp_path) as library, pytest.raises(LibraryError,
                                                     match=r"since: .* is not a date or time"):
        library.activities(since=since)


def test_unknown_id_is_a_library_error(tmp_path):
    with Library(tmp_path) as library, pytest.raises(LibraryError, match="no activity"):
        library.load(42)


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    activity = read(require_shared(GPX))
    with Library(tmp_path) as library:
        def broken(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(pq.ParquetWriter, "write_table", broken)
        with pytest.raises(OSError):
            library.add(activity)
        assert library.activities().empty
        assert list((tmp_path / "activities").rglob("*.*")) == []


def test_stale_temporaries_are_removed_and_orphans_reported(tmp_path):
    activity = read(require_shared(GPX))
    with Library(tmp_path) as library:
        folder = tmp_path / "activities" / "ab"
        folder.mkdir()
        dead = folder / "x.parquet.999999999.deadbeef.tmp"  # no such pid
        live = folder / f"y.parquet.{os.getpid()}.cafebabe.tmp"
        dead.write_bytes(b"half")
        live.write_bytes(b"half")
        assert library.remove_stale_temporaries() == 1
        assert not dead.exists() and live.exists()
        live.unlink()
        identifier, _ = library.add(activity)
        assert library.verify() == []
        (tmp_path / library.activities()["file"].iloc[0]).unlink()
        orphan = folder / "orphan.parquet"
        orphan.write_bytes(b"")
        problems = library.verify()
        assert any(f"activity {identifier}: data file" in p for p in problems)
        assert any("orphan.parquet: not in the catalog" in p for p in problems)


def test_default_folder_honours_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env"))
    assert default_library_path() == tmp_path / "from-env"
    with Library() as library:
        assert library.path == tmp_path / "from-env" and library.activities().empty
    monkeypatch.delenv(ENV_VAR)
    assert default_library_path().parts[-2:] == ("myokinetics", "library")
