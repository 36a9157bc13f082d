"""Safe walking of folders and zip archives: traversal, bombs, damage, depth, counts, names."""

from __future__ import annotations

import gzip
import io
import os
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from myokinetics.ingest.archive import ArchiveLimits, WalkStats, walk
from tests.conftest import require_shared

TCX = "fit-corpus/runalyze__Polar-one-lap-indoor-with-distance.tcx"
GPX = "fit-corpus/runalyze__garmin-ns3-extension.gpx"


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def collect(paths: list[Path], limits: ArchiveLimits | None = None):
    totals: list[int] = []
    stats = WalkStats()
    entries = list(walk(paths, limits, on_found=totals.append, stats=stats))
    return entries, sum(totals), stats


@pytest.fixture
def activity_bytes() -> dict[str, bytes]:
    return {"tcx": require_shared(TCX).read_bytes(), "gpx": require_shared(GPX).read_bytes()}


def test_traversal_entry_is_refused_unread_and_the_rest_goes_on(tmp_path, activity_bytes):
    archive = tmp_path / "inbox" / "export.zip"
    archive.parent.mkdir()
    archive.write_bytes(zip_bytes({"../../evil.tcx": activity_bytes["tcx"],
                                   "/abs/evil2.tcx": activity_bytes["tcx"],
                                   "good.gpx": activity_bytes["gpx"]}))
    entries, total, _ = collect([archive])
    by_name = {e.source.split("!")[-1]: e for e in entries}
    assert "path traversal" in by_name["../../evil.tcx"].error.one_line()
    assert "absolute path" in by_name["/abs/evil2.tcx"].error.one_line()
    assert by_name["good.gpx"].data == activity_bytes["gpx"]
    assert total == len(entries) == 3
    assert not any(p.name.startswith("evil") for p in tmp_path.rglob("*"))


def test_zip_bomb_member_is_refused_by_name(tmp_path, activity_bytes):
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(zip_bytes({"activities/bomb.fit": bytes(64 * 1024 * 1024),
                                   "activities/ok.tcx": activity_bytes["tcx"]}))
    entries, _, _ = collect([archive])
    bomb, ok = entries  # the largest member comes first
    assert bomb.source.endswith("bomb.zip!activities/bomb.fit")
    assert "zip bomb" in bomb.error.one_line() and str(archive) in bomb.error.one_line()
    assert ok.data == activity_bytes["tcx"]


def test_gzip_bomb_inside_zip_is_refused(tmp_path, activity_bytes):
    archive = tmp_path / "strava.zip"
    archive.write_bytes(zip_bytes({
        "activities/1.fit.gz": gzip.compress(bytes(32 * 1024 * 1024), compresslevel=1),
        "activities/2.tcx.gz": gzip.compress(activity_bytes["tcx"])}, zipfile.ZIP_STORED))
    bomb, ok = collect([archive])[0]  # the largest member comes first
    assert "gzip bomb" in bomb.error.one_line()
    assert ok.data == activity_bytes["tcx"]  # decompressed for hashing and decoding


def test_size_limits_count_nested_content(tmp_path, activity_bytes):
    inner = zip_bytes({f"{i}.tcx": activity_bytes["tcx"] for i in range(4)})
    archive = tmp_path / "outer.zip"
    archive.write_bytes(zip_bytes({"inner.zip": inner}))
    budget = len(inner) + 2 * len(activity_bytes["tcx"])
    entries, _, _ = collect([archive], ArchiveLimits(max_total_bytes=budget))
    assert sum(e.data is not None for e in entries) == 2
    assert all("past" in e.error.one_line() for e in entries if e.error)


def test_too_many_entries_refuses_the_archive(tmp_path, activity_bytes):
    archive = tmp_path / "many.zip"
    archive.write_bytes(zip_bytes({f"{i}.tcx": activity_bytes["tcx"] for i in range(11)}))
    entries, total, _ = collect([archive], ArchiveLimits(max_entries=10))
    assert len(entries) == 1 and "11 entries" in entries[0].error.one_line()
    assert total == 1


def test_nesting_depth_is_bounded(tmp_path, activity_bytes):
    data = zip_bytes({"a.tcx": activity_bytes["tcx"]})
    for level in range(5):
        data = zip_bytes({f"level{level}.zip": data})
    archive = tmp_path / "deep.zip"
    archive.write_bytes(data)
    entries, total, _ = collect([archive])
    assert len(entries) == 1 and "nested more than 4 deep" in entries[0].error.one_line()
    assert total == 1
    shallow, _, _ = collect([archive], ArchiveLimits(max_depth=6))
    assert shallow[0].data == activity_bytes["tcx"]


def test_corrupt_entry_is_reported_and_the_rest_goes_on(tmp_path, activity_bytes):
    data = bytearray(zip_bytes({"a.tcx": activity_bytes["tcx"], "b.gpx": activity_bytes["gpx"]}))
    start = data.index(b"a.tcx") + len(b"a.tcx")  # just after the first local header's name
    data[start + 100:start + 140] = bytes(40)
    archive = tmp_path / "corrupt.zip"
    archive.write_bytes(bytes(data))
    entries = {e.source.rsplit("!", 1)[-1]: e for e in collect([archive])[0]}
    assert "damaged archive entry" in entries["a.tcx"].error.one_line()
    assert entries["b.gpx"].data == activity_bytes["gpx"]


def test_not_a_zip_and_symlink_entries(tmp_path, activity_bytes):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + bytes(100))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("link.tcx")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    linked = tmp_path / "link.zip"
    linked.write_bytes(buffer.getvalue())
    (first,), _, _ = collect([broken])
    (second,), _, _ = collect([linked])
    assert "damaged zip archive" in first.error.one_line()
    assert "symbolic link" in second.error.one_line()


def test_folder_walk_skips_other_files_and_links_leading_out(tmp_path, activity_bytes):
    outside = tmp_path / "outside.tcx"
    outside.write_bytes(activity_bytes["tcx"])
    root = tmp_path / "export"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.TCX").write_bytes(activity_bytes["tcx"])
    (root / "b.gpx.gz").write_bytes(gzip.compress(activity_bytes["gpx"]))
    (root / "summary.json").write_text("{}")
    (root / "other.csv").write_text("Activity ID,Elapsed Time\n1,2\n")
    (root / ".hidden.fit").write_bytes(b"x")
    os.symlink(outside, root / "escape.tcx")
    entries, total, stats = collect([root])
    sources = {Path(e.source).name: e for e in entries}
    assert set(sources) == {"a.TCX", "b.gpx.gz", "escape.tcx"}
    assert "outside the folder" in sources["escape.tcx"].error.one_line()
    assert sources["b.gpx.gz"].data == activity_bytes["gpx"]
    assert stats.skipped == 3 and total == 3


def test_strava_activities_csv_names_entries(tmp_path, activity_bytes):
    index = ("Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Filename\n"
             '1,"Jan 1, 2024",Morning Run,Run,1800,activities/1.gpx.gz\n')
    archive = tmp_path / "export_1.zip"
    archive.write_bytes(zip_bytes({"activities.csv": index.encode(),
                                   "activities/1.gpx.gz": gzip.compress(activity_bytes["gpx"]),
                                   "media/photo.jpg": b"\xff\xd8"}))
    entries, total, stats = collect([archive])
    (entry,) = entries
    assert (entry.name, entry.sport) == ("Morning Run", "Run")
    assert stats.skipped == 2 and total == 1  # activities.csv itself and the photo


def test_missing_path_is_one_failed_entry(tmp_path):
    (entry,), total, _ = collect([tmp_path / "nope.fit"])
    assert "no such file" in entry.error.one_line() and total == 1


def test_header_understating_the_size_reads_no_more_than_declared(tmp_path):
    data = bytearray(zip_bytes({"a.fit": bytes(8 * 1024 * 1024)}))
    central = data.rfind(b"PK\x01\x02")
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, central + 24, 1000)  # uncompressed size fields
    struct.pack_into("<I", data, local + 22, 1000)
    archive = tmp_path / "liar.zip"
    archive.write_bytes(bytes(data))
    (entry,), _, _ = collect([archive])
    assert entry.data is None and "Bad CRC-32" in entry.error.one_line()


def test_member_size_limit_holds_for_ordinary_compression(tmp_path, activity_bytes):
    # Random bytes over 4 symbols compress about 4x, far under the ratio limit: only the
    # per-member limit can refuse them.
    big = bytes(b"ACGT"[b & 3] for b in os.urandom(2 * 1024 * 1024))
    limits = ArchiveLimits(max_member_bytes=1024 * 1024)
    archive = tmp_path / "big.zip"
    archive.write_bytes(zip_bytes({"big.fit": big, "ok.tcx": activity_bytes["tcx"]}))
    (refused, ok), _, _ = collect([archive], limits)
    assert "inflates to over 1 MiB" in refused.error.one_line() and refused.data is None
    assert ok.data == activity_bytes["tcx"]
    plain = tmp_path / "big.fit"
    plain.write_bytes(big)
    (entry,), _, _ = collect([plain], limits)
    assert entry.data is None and "larger than 1 MiB" in entry.error.one_line()
    packed = tmp_path / "big.fit.gz"
    packed.write_bytes(gzip.compress(big))
    (entry,), _, _ = collect([packed], limits)
    assert entry.data is None and "inflates to over 1 MiB" in entry.error.one_line()
    (entry,), _, _ = collect([packed])
    assert entry.data == big
