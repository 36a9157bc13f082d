"""The cohort manifest: rows read, bad rows refused in one line naming the row."""

from __future__ import annotations

from pathlib import Path

import pytest

from myokinetics.cohort import read_manifest
from myokinetics.errors import AthleteError, InputError

HEADER = "participant,export,sex,age,body_mass_kg,hr_rest,hr_max,hr_threshold,vo2max,ftp\n"


def _manifest(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "manifest.csv"
    path.write_text(text)
    return path


def test_rows_with_profile_fields_and_athlete_toml(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('[athlete]\nsex = "female"\nage = 41\nhr_max = 181\n')
    path = _manifest(tmp_path, "participant,export,athlete,sex,age,hr_max,ftp\n"
                               "s1,exports/s1.zip,,male,30,190,250\n"
                               "s2,/data/s2,a.toml,,,,\n")
    first, second = read_manifest(path)
    assert (first.id, first.export, first.row) == ("s1", tmp_path / "exports/s1.zip", 2)
    assert (first.athlete.sex, first.athlete.age, first.athlete.ftp_w) == ("male", 30, 250)
    assert (second.export, second.athlete.age, second.athlete.hr_max) == (Path("/data/s2"), 41,
                                                                         181)


@pytest.mark.parametrize(("row", "error", "words"), [
    ("p1,p1,male,thirty,70,55,190,170,50,250", InputError, "row 3: age 'thirty' is not a number"),
    (",p1,male,30,70,55,190,170,50,250", InputError, "row 3: participant id '' is not usable"),
    ("p/1,p1,male,30,70,55,190,170,50,250", InputError, "row 3: participant id 'p/1'"),
    ("p2,,male,30,70,55,190,170,50,250", InputError, "row 3: participant 'p2' has no export"),
    ("p0,p0,male,30,70,55,190,170,50,250", InputError, "row 3: participant 'p0' repeated"),
    ("p1,p1,male,30,70,55,90,170,50,250", AthleteError, "row 3"),
])
def test_bad_row_is_one_line_naming_the_row(tmp_path: Path, row: str, error: type,
                                            words: str) -> None:
    path = _manifest(tmp_path, HEADER + "p0,p0,female,40,60,50,180,160,45,200\n" + row + "\n")
    with pytest.raises(error) as raised:
        read_manifest(path)
    line = raised.value.one_line()
    assert words in line and "\n" not in line and str(path) in line


@pytest.mark.parametrize(("text", "words"), [
    ("participant,sex\np1,male\n", "no column export"),
    ("participant,export,weight\np1,p1,70\n", "unknown columns ['weight']"),
    (HEADER, "no participant rows"),
])
def test_bad_header_or_empty(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(InputError, match=words.replace("[", r"\[").replace("]", r"\]")):
        read_manifest(_manifest(tmp_path, text))


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="manifest not found"):
        read_manifest(tmp_path / "nowhere.csv")
