"""The command line's first hour: version, sub-command usage on a bad flag, the athlete
profile (init, show) and the one-line notice of population defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from myokinetics import __version__
from myokinetics.athlete import Athlete
from myokinetics.cli import main
from tests.conftest import SAMPLE_FIT


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"myokinetics {__version__}"


def test_a_mistyped_flag_shows_the_sub_commands_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["analyze", "ride.fit", "--horizn", "12"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: myokinetics analyze ")
    assert "myokinetics analyze: error: unrecognized arguments: --horizn 12" in err


def test_athlete_init_writes_a_profile_that_show_and_load_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "profile" / "athlete.toml"
    assert main(["athlete", "init", "--sex", "female", "--age", "34", "--hr-max", "190",
                 "--vo2max", "48.5", "--out", str(path)]) == 0
    assert Athlete.load(path) == Athlete(sex="female", age=34, hr_max=190, vo2max=48.5)
    assert str(path) in capsys.readouterr().out
    assert main(["athlete", "init", "--age", "40", "--out", str(path)]) == 2  # no overwrite
    assert "--force" in capsys.readouterr().err
    assert main(["athlete", "show", "--athlete", str(path)]) == 0
    out = capsys.readouterr().out
    assert "vo2max        48.5" in out and "default:" in out and "Tanaka" not in out
    assert "body_mass_kg  60" in out  # the female reference mass, with its source below it
    assert main(["athlete", "init", "--hr-max", "fast", "--out", str(tmp_path / "x.toml")]) == 2
    assert "myokinetics: --hr-max: 'fast' is not a number" in capsys.readouterr().err


def test_defaults_are_one_line_and_all_of_them_with_verbose(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    args = ["analyze", str(SAMPLE_FIT), "--athlete", str(empty), "--no-curves", "--out",
            str(tmp_path / "out")]
    assert main(args) == 0
    notices = capsys.readouterr().err.strip().splitlines()
    assert len(notices) == 1 and "population defaults used for age, hr_max" in notices[0]
    assert "myokinetics athlete init" in notices[0]
    assert main([*args, "--verbose"]) == 0
    notices = capsys.readouterr().err.strip().splitlines()
    assert len(notices) == 8 and all("unknown: using" in line for line in notices)


def test_verbose_logs_what_was_read(capsys: pytest.CaptureFixture[str],
                                    caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="myokinetics"):
        assert main(["-v", "show", str(SAMPLE_FIT)]) == 0
    assert any("Garmin FIT" in record.getMessage() and record.name.startswith("myokinetics.")
               for record in caplog.records)
