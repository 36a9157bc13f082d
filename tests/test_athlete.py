"""Athlete profile: TOML loading, validation, documented defaults announced once each."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest

from myokinetics import Athlete, AthleteError
from myokinetics.athlete import MyokineticsDefaultWarning, athlete_defaults


def test_from_toml_with_athlete_table(tmp_path: Path) -> None:
    path = tmp_path / "me.toml"
    path.write_text('[athlete]\nsex = "female"\nage = 34\nbody_mass_kg = 61.5\nhr_rest = 48\n'
                    "hr_max = 188\nhr_threshold = 171\nvo2max = 51\nftp_w = 230\n"
                    "zones = [120, 140, 155, 170, 188]\n")
    athlete = Athlete.from_toml(path)
    assert athlete.sex == "female" and athlete.zones == (120, 140, 155, 170, 188)
    assert Athlete.load(path) == athlete
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # only w_prime_j may be defaulted
        with pytest.warns(MyokineticsDefaultWarning, match="w_prime_j"):
            resolved = athlete.resolved()
    assert resolved.defaulted == ("w_prime_j",)


@pytest.mark.parametrize(("text", "where"), [
    ('sex = "x"\n', "athlete.sex"),
    ("hr_max = 400\n", "athlete.hr_max"),
    ("hr_rest = 90\nhr_max = 80\n", "hr_max"),
    ("hr_threshold = 190\nhr_max = 180\n", "hr_threshold"),
    ("zones = [150, 140, 160, 170, 180]\n", "athlete.zones"),
    ("weight = 70\n", "unknown keys"),
    ("age = \n", "not valid TOML"),
    ('age = "forty"\n', "athlete.age"),
    ('hr_rest = "50"\nhr_max = 190\n', "athlete.hr_rest"),
    ("body_mass_kg = true\n", "athlete.body_mass_kg"),
    ('zones = ["a", "b", "c", "d", "e"]\n', "athlete.zones"),
    ('birth_year = "1984"\n', "athlete.birth_year"),
])
def test_bad_profiles_are_one_line_errors(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(AthleteError) as info:
        Athlete.from_toml(path)
    assert where in info.value.one_line() and "\n" not in info.value.one_line()


def test_missing_file_is_an_athlete_error(tmp_path: Path) -> None:
    with pytest.raises(AthleteError, match="file not found"):
        Athlete.load(tmp_path / "missing.toml")


def test_defaults_follow_the_documented_formulas() -> None:
    table = athlete_defaults()
    with pytest.warns(MyokineticsDefaultWarning) as record:
        athlete = Athlete(sex="male", birth_year=1984).resolved(on=dt.date(2024, 6, 1))
    assert athlete.age == 40
    assert athlete.hr_max == pytest.approx(208 - 0.7 * 40)
    assert athlete.hr_rest == table["hr_rest"]["value"]
    assert athlete.vo2max == pytest.approx(15.3 * athlete.hr_max / athlete.hr_rest)
    assert athlete.hr_threshold == pytest.approx(0.9 * athlete.hr_max)
    assert athlete.body_mass_kg == table["body_mass_kg"]["male"]
    assert athlete.zones[-1] == pytest.approx(athlete.hr_max, abs=0.05)
    messages = [str(w.message) for w in record]
    # one warning per default, each naming the field and its source
    assert len(messages) == len(set(athlete.defaulted)) == 7
    assert any("hr_max" in m and "Tanaka" in m for m in messages)
    assert any("vo2max" in m and "Uth" in m for m in messages)
    assert "age" not in athlete.defaulted               # from the birth year, not a default
    assert athlete.ftp_w is None                        # no population FTP


def test_resolving_twice_adds_no_warnings() -> None:
    with pytest.warns(MyokineticsDefaultWarning):
        once = Athlete().resolved()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert once.resolved() == once
    assert once.sex is None                             # sex-neutral constants downstream


def test_default_profile_file_in_the_user_config_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("myokinetics.athlete.default_athlete_path", lambda: tmp_path / "a.toml")
    assert Athlete.load() == Athlete()                  # no file: an empty profile
    (tmp_path / "a.toml").write_text('sex = "female"\nhr_max = 181\n')
    assert Athlete.load() == Athlete(sex="female", hr_max=181)


@pytest.mark.parametrize("year", [1890, 2100])
def test_implausible_birth_year_is_named(year: int) -> None:
    with pytest.raises(AthleteError, match=r"athlete\.birth_year"):
        Athlete(birth_year=year).resolved(on=dt.date(2024, 6, 1))


def test_a_default_outside_its_range_asks_for_the_value() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(AthleteError, match=r"population default .* give vo2max"):
            Athlete(hr_rest=25, hr_max=240).resolved()


def test_unreadable_profiles_are_one_line_athlete_errors(tmp_path):
    from myokinetics import AthleteError

    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    not_table = tmp_path / "flat.toml"
    not_table.write_text("athlete = 3\n")
    for path, words in ((tmp_path, "cannot be read"), (binary, "athlete"),
                        (not_table, "'athlete' is not a table")):
        with pytest.raises(AthleteError) as caught:
            Athlete.from_toml(path)
        assert words in caught.value.one_line() and str(path) in caught.value.one_line()
