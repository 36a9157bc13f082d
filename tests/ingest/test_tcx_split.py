"""A TCX holding three runs over four days: one activity each in import, a pointer in read.

tests/data/formats/three-runs.tcx is written by hand from the TCX v2 schema
(TrainingCenterDatabasev2.xsd: Activities/Activity/Lap/Track/Trackpoint).
"""

from __future__ import annotations

import re

import pytest

from myokinetics import Library, read
from myokinetics.errors import InputError
from myokinetics.ingest.dispatch import read_many_bytes
from tests.ingest.formats_data import FORMATS_DATA

PATH = FORMATS_DATA / "three-runs.tcx"


def independent_points_per_activity() -> list[int]:
    text = PATH.read_text()
    return [len(re.findall(r"<Trackpoint>", part)) for part in text.split("<Activity ")[1:]]


def test_read_points_to_import() -> None:
    with pytest.raises(InputError, match=r"several activities.*myokinetics import"):
        read(PATH)


def test_each_run_is_its_own_activity() -> None:
    activities = list(read_many_bytes(PATH.read_bytes(), str(PATH)))
    assert [len(a.samples) for a in activities] == independent_points_per_activity() == [3, 4, 2]
    assert [a.meta.start.day for a in activities] == [1, 2, 4]
    assert [a.meta.source for a in activities] == [f"{PATH}#{n}" for n in (1, 2, 3)]
    assert len({a.meta.sha256 for a in activities}) == 3
    assert all(len(a.laps) == 1 and a.meta.sport == "running" for a in activities)


def test_import_gives_three_activities_once(tmp_path) -> None:
    with Library(tmp_path / "lib") as library:
        first = library.import_paths([PATH], workers=1, progress=False)
        again = library.import_paths([PATH], workers=1, progress=False)
        assert (first.imported, again.imported, again.present) == (3, 0, 3)
        assert len(library.activities()) == 3
