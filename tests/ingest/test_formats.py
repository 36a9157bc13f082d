"""The format table: sniffing by content and root element, suffixes, single-file zips.

Samples are written by hand under tests/data/formats/ from each format's documentation.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from myokinetics import read
from myokinetics.errors import UnsupportedFormatError
from myokinetics.ingest.dispatch import sniff_format
from myokinetics.ingest.formats import FORMATS, is_candidate_content, is_candidate_name, xml_root
from tests.conftest import SAMPLE_FIT
from tests.ingest.formats_data import FORMATS_DATA


def test_every_row_of_the_table_is_complete() -> None:
    for fmt in FORMATS:
        assert callable(fmt.reader) and callable(fmt.sniff), fmt.name
        assert fmt.suffixes and all(s.startswith(".") for s in fmt.suffixes)
    assert len({f.name for f in FORMATS}) == len(FORMATS)


@pytest.mark.parametrize(("head", "root"), [
    (b'<?xml version="1.0"?>\n<!-- c -->\n<gpx version="1.1">', "gpx"),
    (b"\xef\xbb\xbf  <ns:TrainingCenterDatabase xmlns:ns='x'>", "TrainingCenterDatabase"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE HealthData [\n<!ELEMENT HealthData (Record*)>',
     "HealthData"),
    (b"time,heart_rate\n", None),
])
def test_xml_root(head: bytes, root: str | None) -> None:
    assert xml_root(head) == root


def test_gpx_declaring_the_tcx_namespace_is_read_as_gpx() -> None:
    path = FORMATS_DATA / "gpx-with-tcx-namespace.gpx"
    assert sniff_format(path.read_bytes()) == "gpx"
    activity = read(path)
    assert activity.meta.format == "gpx"
    assert activity.samples["heart_rate"].tolist() == [120.0, 121.0, 122.0]


def test_a_zip_holding_one_activity_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ride.fit.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(SAMPLE_FIT, "ride.fit")
    zipped, plain = read(path), read(SAMPLE_FIT)
    assert zipped.samples.equals(plain.samples) and zipped.rr.equals(plain.rr)
    assert zipped.meta.sha256 == plain.meta.sha256


def test_a_zip_of_several_files_points_to_import(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.fit", SAMPLE_FIT.read_bytes())
        archive.writestr("b.fit", SAMPLE_FIT.read_bytes())
    path = tmp_path / "two.zip"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(UnsupportedFormatError, match=r"zip archive of 2 files.*myokinetics import"):
        read(path)


def test_candidates_in_archives_are_judged_by_the_table() -> None:
    assert is_candidate_name("export/activities/1.fit.gz")
    assert is_candidate_name("x/session.hrm") and is_candidate_name("y/ride.tcx")
    assert not is_candidate_name("apple_health_export/workout-routes/route_1.gpx")
    assert not is_candidate_name("photo.jpg")
    garmin_summary = b'[{"summarizedActivitiesExport": []}]'
    assert not is_candidate_content("DI_CONNECT/summary.json", garmin_summary)
    strava_index = b"Activity ID,Activity Date,Activity Name,Elapsed Time\n1,2,3,4\n"
    assert not is_candidate_content("activities.csv", strava_index)
    assert is_candidate_content("notes/2024-05-01 07-30-12.txt",
                                (FORMATS_DATA / "2024-05-01 07-30-12.txt").read_bytes())
    assert is_candidate_content("broken.fit", b"garbage")  # reported as failed, not skipped
    assert is_candidate_content("x.tcx.gz", gzip.compress(b"<TrainingCenterDatabase/>"))
