"""Bad input on every sub-command: one ``myokinetics:`` line on stderr, a non-zero exit, no
traceback; a batch goes on past a bad file and keeps what it read.

Runs :func:`myokinetics.cli.main` in process (a traceback would be an uncaught exception here).
Usage errors caught by argparse (unknown choice, non-number) exit 2 through ``SystemExit``.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from myokinetics import Library
from myokinetics.cli import main
from tests.conftest import SAMPLE_FIT, require_shared

CORPUS_RUN = "fit-corpus/fitparse__activity-small-fenix2-run.fit"

FULL_ATHLETE = """[athlete]
sex = "male"
age = 35
body_mass_kg = 70.0
hr_rest = 55
hr_max = 188
hr_threshold = 170
vo2max = 52.0
ftp_w = 250
w_prime_j = 20000
zones = [112, 131, 150, 169, 188]
"""

BAD_ATHLETES = {  # file content -> words the one-line error must contain
    "syntax": ("hr_max = [\n", "not valid TOML"),
    "hr_max_20": ("[athlete]\nhr_max = 20\n", "athlete.hr_max"),
    "rest_above_max": ("[athlete]\nhr_max = 105\nhr_rest = 110\n", "hr_rest 110 >= hr_max"),
    "negative_mass": ("[athlete]\nbody_mass_kg = -70\n", "athlete.body_mass_kg"),
    "text_value": ('[athlete]\nhr_max = "abc"\n', "abc"),
    "athlete_not_table": ("athlete = 3\n", "athlete"),
    "unknown_key": ("[athlete]\nhr_maximum = 180\n", "unknown keys"),
}


def one_error(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    """The single stderr line, checked for the prefix and ``words``; returns stdout."""
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("myokinetics: ") and " — " in lines[0], lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    return captured.out


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A folder, an empty, a text and a 30-byte truncated FIT file, a full athlete, a file."""
    made = {"folder": tmp_path / "folder", "empty": tmp_path / "empty.fit",
            "text": tmp_path / "notes.txt", "athlete": tmp_path / "athlete.toml",
            "file": tmp_path / "plain-file", "missing": tmp_path / "missing.fit"}
    made["folder"].mkdir()
    made["empty"].write_bytes(b"")
    made["text"].write_text("hello, not an activity\n")
    made["athlete"].write_text(FULL_ATHLETE)
    made["file"].write_text("x")
    return made


@pytest.fixture
def truncated(tmp_path: Path) -> Path:
    """A real corpus FIT cut inside its first record (nothing decodable)."""
    path = tmp_path / "cut.fit"
    path.write_bytes(require_shared(CORPUS_RUN).read_bytes()[:30])
    return path


# ---------------------------------------------------------------- show
@pytest.mark.parametrize(("kind", "words"), [
    ("missing", ("missing.fit", "no such file")),
    ("folder", ("folder", "is a folder")),
    ("empty", ("empty.fit", "empty file")),
    ("text", ("notes.txt", "not a FIT")),
    ("file_under_file", ("plain-file", "Not a directory")),
])
def test_show_bad_file(files, capsys, kind, words):
    path = files["file"] / "x.fit" if kind == "file_under_file" else files[kind]
    assert main(["show", str(path)]) == 1
    one_error(capsys, *words)


def test_show_truncated_fit_is_one_line(truncated, capsys):
    assert main(["show", str(truncated)]) == 1
    one_error(capsys, "cut.fit", "FIT data unreadable")


def test_show_fit_cut_midway_keeps_what_was_read(tmp_path, capsys):
    path = tmp_path / "half.fit"
    path.write_bytes(require_shared(CORPUS_RUN).read_bytes()[:60000])
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "status       partial" in out and "decoding stopped early" in out


def test_show_batch_goes_on(files, capsys):
    assert main(["show", str(files["empty"]), str(SAMPLE_FIT)]) == 1
    out = one_error(capsys, "empty.fit")
    assert SAMPLE_FIT.name in out and "samples      2700" in out


def test_unforeseen_os_error_is_one_line(monkeypatch, capsys):
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "scratch.tmp")

    monkeypatch.setattr("myokinetics.cli.show.read", full_disk)
    assert main(["show", str(SAMPLE_FIT)]) == 2
    one_error(capsys, "scratch.tmp", "No space left")


# ---------------------------------------------------------------- analyze
def analyze(files: dict[str, Path], tmp_path: Path, *extra: str) -> list[str]:
    return ["analyze", str(SAMPLE_FIT), "--no-curves", "--athlete", str(files["athlete"]),
            "--out", str(tmp_path / "out"), *extra]


@pytest.mark.parametrize("case", sorted(BAD_ATHLETES))
def test_analyze_bad_athlete(files, tmp_path, capsys, case):
    content, words = BAD_ATHLETES[case]
    files["athlete"].write_text(content)
    assert main(analyze(files, tmp_path)) == 2
    one_error(capsys, "athlete.toml", words)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("kind", "words"), [
    ("missing", ("file not found",)), ("folder", ("cannot be read", "Is a directory")),
    ("binary", ("not a text file",))])
def test_analyze_athlete_not_a_profile(files, tmp_path, capsys, kind, words):
    path = SAMPLE_FIT if kind == "binary" else files[kind]
    args = analyze(files, tmp_path)
    args[args.index("--athlete") + 1] = str(path)
    assert main(args) == 2
    one_error(capsys, path.name, *words)


@pytest.mark.parametrize(("flag", "value"), [
    ("--horizon", "-3"), ("--horizon", "nan"), ("--horizon", "inf"), ("--horizon", "3e+06"),
    ("--window", "0"),
    ("--window", "-60")])
def test_analyze_bad_number(files, tmp_path, capsys, flag, value):
    assert main(analyze(files, tmp_path, flag, value)) == 2
    one_error(capsys, f"{flag}: {value}")


@pytest.mark.parametrize("argv", [["--horizon", "abc"], ["--format", "xlsx"]])
def test_analyze_usage_errors(files, tmp_path, capsys, argv):
    with pytest.raises(SystemExit) as stop:
        main(analyze(files, tmp_path, *argv))
    assert stop.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("where", ["file", "under_file"])
def test_analyze_out_cannot_be_created(files, tmp_path, capsys, where):
    out = files["file"] if where == "file" else files["file"] / "sub"
    args = analyze(files, tmp_path)
    args[args.index("--out") + 1] = str(out)
    assert main(args) == 2
    one_error(capsys, str(out), "--out")


def test_analyze_batch_goes_on(files, tmp_path, capsys, truncated):
    args = analyze(files, tmp_path)
    args[1:1] = [str(files["empty"]), str(truncated)]
    args.insert(4, str(files["missing"]))
    assert main(args) == 1
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert len(errors) == 3 and all(line.startswith("myokinetics: ") for line in errors)
    for name in ("empty.fit", "cut.fit", "missing.fit"):
        assert sum(name in line for line in errors) == 1, (name, errors)
    assert SAMPLE_FIT.name in captured.out and "3 file(s) failed" in captured.out
    assert (tmp_path / "out" / "run-intervals-45min" / "summary.json").is_file()


# ---------------------------------------------------------------- import / list
def test_import_batch_keeps_good_files(files, tmp_path, capsys, truncated):
    library = tmp_path / "lib"
    assert main(["import", str(files["empty"]), str(truncated), str(SAMPLE_FIT),
                 str(files["missing"]), "--library", str(library), "--workers", "1",
                 "--quiet"]) == 1
    out = one_error(capsys, "3 of 4 files failed", str(library))
    for name in ("empty.fit", "cut.fit", "missing.fit"):
        assert name in out
    with Library(library) as opened:
        assert len(opened.activities()) == 1


@pytest.mark.parametrize("command", ["import", "list"])
@pytest.mark.parametrize("where", ["file", "under_file"])
def test_library_not_a_folder(files, capsys, command, where):
    library = files["file"] if where == "file" else files["file"] / "lib"
    argv = [command, "--library", str(library)]
    if command == "import":
        argv[1:1] = [str(SAMPLE_FIT)]
    assert main(argv) == 2
    reason = "library folder cannot be created" if command == "import" else "no library here"
    one_error(capsys, str(library), reason)


def test_list_of_a_mistyped_library_creates_nothing(tmp_path, capsys):
    typo = tmp_path / "libary"
    assert main(["list", "--library", str(typo)]) == 2
    one_error(capsys, str(typo), "no library here")
    assert not typo.exists()


@pytest.mark.parametrize("workers", ["0", "-2"])
def test_import_bad_workers(tmp_path, capsys, workers):
    assert main(["import", str(SAMPLE_FIT), "--library", str(tmp_path / "lib"),
                 "--workers", workers]) == 2
    one_error(capsys, f"--workers: {workers}")


@pytest.mark.parametrize("since", ["notadate", "2024-13-45"])
def test_list_bad_since_is_a_usage_error(tmp_path, capsys, since):
    with pytest.raises(SystemExit) as stop:
        main(["list", "--library", str(tmp_path / "lib"), "--since", since])
    assert stop.value.code == 2
    assert f"'{since}' is not a date" in capsys.readouterr().err


# ---------------------------------------------------------------- daily
def daily(files: dict[str, Path], tmp_path: Path, *extra: str) -> list[str]:
    return ["daily", "--library", str(tmp_path / "lib"), "--out", str(tmp_path / "daily"),
            "--athlete", str(files["athlete"]), "--no-plots", *extra]


@pytest.mark.parametrize(("extra", "words"), [
    (["--from", "2024-02-01", "--to", "2024-01-01"], ("--from/--to", "before")),
    (["--last-days", "-1"], ("--last-days: -1",)),
    (["--last-days", "3", "--from", "2024-01-01"], ("--last-days", "--from")),
    (["--draws", "0"], ("--draws: 0",)),
    (["--draws", "100000000"], ("--draws: 100000000",)),
])
def test_daily_bad_setting(files, tmp_path, capsys, extra, words):
    assert main(daily(files, tmp_path, *extra)) == 2
    one_error(capsys, *words)


@pytest.mark.parametrize("date", ["2024-99-01", "yesterday"])
def test_daily_bad_date_is_a_usage_error(files, tmp_path, capsys, date):
    with pytest.raises(SystemExit) as stop:
        main(daily(files, tmp_path, "--to", date))
    assert stop.value.code == 2
    assert "is not a date" in capsys.readouterr().err


def test_daily_huge_last_days_means_all_days(files, tmp_path, capsys):
    assert main(["import", str(SAMPLE_FIT), "--library", str(tmp_path / "lib"), "--quiet",
                 "--workers", "1"]) == 0
    capsys.readouterr()
    assert main(daily(files, tmp_path, "--last-days", "1000000000")) == 0
    captured = capsys.readouterr()
    assert "daily: 1 day 2024-05-12 to 2024-05-12" in captured.out, captured.err


@pytest.mark.parametrize("extra", [["--from", "0001-01-01"], ["--to", "9999-12-31"],
                                   ["--from", "1900-01-01", "--to", "2100-01-01"]])
def test_daily_range_of_centuries_is_refused_not_computed(files, tmp_path, capsys, extra):
    assert main(["import", str(SAMPLE_FIT), "--library", str(tmp_path / "lib"), "--quiet",
                 "--workers", "1"]) == 0
    capsys.readouterr()
    assert main(daily(files, tmp_path, *extra)) == 2
    one_error(capsys, "--from/--to", "spans more than 20 years")


def test_daily_out_is_a_file(files, tmp_path, capsys):
    args = daily(files, tmp_path)
    args[args.index("--out") + 1] = str(files["file"])
    assert main(args) == 2
    one_error(capsys, "plain-file", "is a file, not a folder", "--out")


def test_daily_athlete_is_a_folder(files, tmp_path, capsys):
    args = daily(files, tmp_path)
    args[args.index("--athlete") + 1] = str(files["folder"])
    assert main(args) == 2
    one_error(capsys, "folder", "cannot be read")


def test_daily_library_under_a_file(files, tmp_path, capsys):
    args = daily(files, tmp_path)
    args[args.index("--library") + 1] = str(files["file"] / "lib")
    assert main(args) == 2
    one_error(capsys, "no library here (no catalog)", "--library")


# ---------------------------------------------------------------- devices / live
@pytest.mark.parametrize("timeout", ["-1", "0", "nan"])
def test_devices_bad_timeout(capsys, timeout):
    assert main(["devices", "--timeout", timeout]) == 2
    one_error(capsys, f"--timeout: {timeout}")


def test_devices_without_dbus(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={tmp_path / 'dead.sock'}")
    assert main(["devices", "--timeout", "1"]) == 2
    one_error(capsys, "D-Bus")


def live(files: dict[str, Path], tmp_path: Path, *extra: str) -> list[str]:
    return ["live", "--replay", str(SAMPLE_FIT), "--speed", "0", "--athlete",
            str(files["athlete"]), "--out", str(tmp_path / "captures"), "--library",
            str(tmp_path / "lib"), *extra]


@pytest.mark.parametrize(("kind", "words"), [
    ("missing", ("missing.fit", "cannot be opened")), ("folder", ("folder",)),
    ("empty", ("empty.fit", "empty file")), ("text", ("notes.txt", "not a FIT"))])
def test_live_bad_replay(files, tmp_path, capsys, kind, words):
    args = live(files, tmp_path)
    args[args.index("--replay") + 1] = str(files[kind])
    assert main(args) == 2
    one_error(capsys, *words)


@pytest.mark.parametrize(("flag", "value"), [
    ("--duration", "-1"), ("--duration", "inf"), ("--watchdog", "nan"), ("--speed", "nan")])
def test_live_bad_number(files, tmp_path, capsys, flag, value):
    assert main(live(files, tmp_path, flag, value)) == 2
    one_error(capsys, f"{flag}: {value}")


@pytest.mark.parametrize("flag", ["--out", "--library", "--athlete"])
def test_live_unusable_path_fails_before_capture(files, tmp_path, capsys, flag):
    args = live(files, tmp_path)
    bad = files["folder"] if flag == "--athlete" else files["file"] / "sub"
    args[args.index(flag) + 1] = str(bad)
    assert main(args) == 2
    one_error(capsys, str(bad))
    assert not any((tmp_path / "captures").glob("*.jsonl"))
