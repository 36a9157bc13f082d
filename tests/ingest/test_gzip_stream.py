"""One gunzip for ``read`` and ``import``: every member, what came before a cut kept (status
partial, with a warning), content over the limit refused."""

from __future__ import annotations

import gzip
import zlib

import pytest

from myokinetics import Library, read
from myokinetics.ingest.gzip_stream import gunzip
from tests.conftest import SAMPLE_FIT

CONTENT = bytes(range(256)) * 4096  # 1 MiB


def test_every_member_is_inflated() -> None:
    stream = gzip.compress(CONTENT[:1000]) + gzip.compress(CONTENT[1000:])
    assert gunzip(stream, len(CONTENT)) == (CONTENT, False)


def test_a_cut_stream_keeps_what_came_before() -> None:
    stream = gzip.compress(CONTENT)
    out, cut = gunzip(stream[: len(stream) // 2], len(CONTENT))
    assert cut and 0 < len(out) < len(CONTENT) and CONTENT.startswith(out)


def test_over_the_limit_stops_one_byte_past_it() -> None:
    out, cut = gunzip(gzip.compress(CONTENT), 1000)
    assert len(out) == 1001 and not cut


def test_damage_before_any_content_raises() -> None:
    with pytest.raises(zlib.error):
        gunzip(b"\x1f\x8b\x08\x00" + b"\xff" * 40, 1000)


def _cut_fit_gz(tmp_path):
    whole = gzip.compress(SAMPLE_FIT.read_bytes())
    cut = tmp_path / "ride.fit.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    return cut


def test_read_and_import_keep_a_cut_member_alike(tmp_path) -> None:
    cut = _cut_fit_gz(tmp_path)
    read_whole = read(cut)
    assert read_whole.status == "partial" and 0 < len(read_whole.samples) < 2700
    with Library(tmp_path / "library") as library:
        report = library.import_paths([tmp_path], workers=1, progress=False)
        assert (report.imported, report.partial, report.failed) == (1, 1, 0)
        stored = library.load(int(library.activities()["id"].iloc[0]))
    assert len(stored.samples) == len(read_whole.samples)
    assert stored.status == "partial"


def test_a_two_member_fit_gz_is_read_whole(tmp_path) -> None:
    data = SAMPLE_FIT.read_bytes()
    two = tmp_path / "ride.fit.gz"
    two.write_bytes(gzip.compress(data[:5000]) + gzip.compress(data[5000:]))
    assert len(read(two).samples) == len(read(SAMPLE_FIT).samples)
    assert read(two).status == "ok"
