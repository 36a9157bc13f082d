"""One session recorded by several devices: linked by time overlap, counted once, overridable.

The second devices are real files: the bundled sample FIT exported to FIT and to TCX by
``myokinetics export``, and a live capture that replayed it; a corpus file is a workout of its
own on another day.
"""

from __future__ import annotations

import asyncio
import shutil

import pandas as pd
import pytest

from myokinetics.cli import main
from myokinetics.devices.capture import CaptureOptions, capture
from myokinetics.library import Library
from myokinetics.library.sessions import heart_rate_ranks, link_sessions
from tests.conftest import SAMPLE_FIT, require_shared

OTHER_WORKOUT = "fit-corpus/fitparse__activity-small-fenix2-run.fit"


@pytest.fixture(scope="module")
def devices(tmp_path_factory) -> dict[str, str]:
    """The source files of one run on four devices and of another workout, by role."""
    folder = tmp_path_factory.mktemp("devices")
    shutil.copy(SAMPLE_FIT, folder / "watch.fit")
    for fmt in ("fit", "tcx"):
        assert main(["export", str(SAMPLE_FIT), "--format", fmt, "--out",
                     str(folder / f"computer.{fmt}")]) == 0
    options = CaptureOptions(replay=SAMPLE_FIT, out=folder / "capture", speed=0, finish=False,
                             analysis=False)
    result, = asyncio.run(capture(options, asyncio.Event()))
    shutil.copy(require_shared(OTHER_WORKOUT), folder / "other.fit")
    return {"watch": str(folder / "watch.fit"), "fit": str(folder / "computer.fit"),
            "tcx": str(folder / "computer.tcx"), "strap": str(result.recording),
            "other": str(folder / "other.fit")}


@pytest.fixture
def library(devices, tmp_path) -> Library:
    library = Library(tmp_path / "library")
    report = library.import_paths(list(devices.values()), workers=1, progress=False)
    assert report.imported == len(devices)
    return library


def ids_by_role(library: Library, devices: dict[str, str]) -> dict[str, int]:
    frame = library.activities()
    return {role: int(frame.loc[frame["source"] == path, "id"].iloc[0])
            for role, path in devices.items()}


def test_overlapping_recordings_are_one_session_counted_from_the_best_heart_rate(library,
                                                                                  devices):
    frame = library.activities().set_index("id")
    ids = ids_by_role(library, devices)
    run = [ids[r] for r in ("watch", "fit", "tcx", "strap")]
    assert frame.loc[run, "session"].nunique() == 1 and (frame.loc[run, "session_size"] == 4).all()
    assert frame.loc[ids["other"], "session_size"] == 1 and frame.loc[ids["other"], "primary"]
    counted = frame.loc[run][frame.loc[run, "primary"]]
    assert len(counted) == 1
    ranks = heart_rate_ranks(frame)
    assert ranks[ids["tcx"]] == 1 and ranks[ids["watch"]] == 3 and ranks[ids["strap"]] >= 2
    assert ranks[counted.index[0]] == 3  # RR intervals win over heart rate alone


def test_touching_or_slightly_overlapping_workouts_stay_apart():
    frame = pd.DataFrame({
        "id": [1, 2, 3], "start": pd.to_datetime(["2024-05-01T06:00Z", "2024-05-01T07:00Z",
                                                  "2024-05-01T07:55Z"], utc=True),
        "duration_s": [3600.0, 3600.0, 3600.0], "rr_intervals": [0, 0, 0],
        "has_heart_rate": [True] * 3, "format": ["fit"] * 3, "device": [None] * 3})
    choices = pd.DataFrame(columns=["activity_id", "link", "alone", "is_primary"])
    linked = link_sessions(frame, choices)
    # 1 ends as 2 starts (a touch); 3 overlaps 2 by 5 of 60 minutes: three workouts.
    assert list(linked["session"]) == [1, 2, 3] and linked["primary"].all()


def test_list_shows_the_choice_and_merge_unmerge_change_it(library, devices, capsys):
    ids = ids_by_role(library, devices)
    where = ["--library", str(library.path)]
    assert main(["list", *where]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["id", "start", "sport", "duration", "device", "status",
                                "counted", "name"]
    assert sum("yes, 1 of 4" in line for line in table) == 1
    assert sum("no, as" in line for line in table) == 3
    assert "2 sessions" in table[-1]
    assert main(["merge", str(ids["tcx"]), "--primary", str(ids["tcx"]), *where]) == 0
    assert f"counted from {ids['tcx']}" in capsys.readouterr().out
    assert library.activities().set_index("id").loc[ids["tcx"], "primary"]
    assert main(["unmerge", str(ids["strap"]), *where]) == 0
    frame = library.activities().set_index("id")
    assert frame.loc[ids["strap"], "session_size"] == 1 and frame.loc[ids["strap"], "primary"]
    assert frame.loc[ids["watch"], "session_size"] == 3
    # Another workout merged by hand although the times do not overlap; then split again.
    assert main(["merge", str(ids["other"]), str(ids["strap"]), *where]) == 0
    frame = library.activities().set_index("id")
    assert frame.loc[ids["other"], "session"] == frame.loc[ids["strap"], "session"]
    assert main(["unmerge", str(ids["other"]), *where]) == 0
    assert library.activities().set_index("id").loc[ids["other"], "session_size"] == 1


def test_merge_mistakes_are_one_line_errors(library, devices, capsys):
    ids = ids_by_role(library, devices)
    where = ["--library", str(library.path)]
    assert main(["merge", str(ids["watch"]), *where]) == 2
    assert main(["merge", str(ids["watch"]), str(ids["fit"]), "--primary", str(ids["tcx"]),
                 *where]) == 2
    assert main(["merge", "999", str(ids["fit"]), *where]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 3 and all(line.startswith("myokinetics: ") for line in errors)
    assert "999" in errors[2]


def test_remove_deletes_row_and_file_and_an_unknown_id_removes_nothing(library, devices,
                                                                      capsys):
    ids = ids_by_role(library, devices)
    where = ["--library", str(library.path)]
    frame = library.activities().set_index("id")
    file = library.path / frame.loc[ids["tcx"], "file"]
    assert file.exists()
    assert main(["remove", str(ids["tcx"]), "424242", *where]) == 2
    assert "no activity with id '424242'" in capsys.readouterr().err
    assert file.exists() and len(library.activities()) == len(devices)
    assert main(["merge", str(ids["tcx"]), "--primary", str(ids["tcx"]), *where]) == 0
    capsys.readouterr()
    assert main(["remove", str(ids["tcx"]), *where]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"removed {ids['tcx']}: running") and str(frame.loc[ids["tcx"],
                                                                               "file"]) in said
    assert not file.exists()
    after = library.activities()
    assert ids["tcx"] not in set(after["id"]) and len(after) == len(devices) - 1
    assert after["primary"].sum() == 2  # the session's choice went with it
    assert ids["tcx"] not in set(library.catalog.choices()["activity_id"])


def test_commands_refuse_a_folder_without_a_library(tmp_path, capsys):
    typo = tmp_path / "typo"
    for command in (["remove", "1"], ["merge", "1", "2"], ["unmerge", "1"],
                    ["daily", "--out", str(tmp_path / "out")]):
        assert main([*command, "--library", str(typo)]) == 2
        assert "no library here (no catalog)" in capsys.readouterr().err
    assert not typo.exists()
