"""A cohort on a real dask.distributed LocalCluster (2 worker processes, TCP on loopback).

One cohort of 6 synthetic participants (2 days each) plus one whose only file is damaged:
the days equal what ``myokinetics import`` + ``myokinetics daily`` give for each participant
alone; a second run recomputes nothing; a run during which a worker process is killed gives
the same Parquet outputs; the damaged export is reported and the others complete; every
partition has one schema; participants dropped from the manifest lose their outputs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from myokinetics.cli import main
from myokinetics.cohort import CohortSettings, read_manifest, run_cohort
from tools.cohortgen import cohort

distributed = pytest.importorskip("distributed")

DRAWS = 8
SETTINGS = CohortSettings(n_draws=DRAWS)


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """6 participants x 2 days (seed 2: every one has an activity) and ``broken`` whose
    export is a damaged zip archive."""
    root = tmp_path_factory.mktemp("cohort")
    path = cohort(6, 2, root, seed=2)
    (root / "broken.zip").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    with path.open("a") as handle:
        handle.write("broken,broken.zip,male,40,80,60,180,165,45,220\n")
    return path


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=":0",
                                  silence_logs=40) as cluster, \
            distributed.Client(cluster) as dask_client:
        yield dask_client


@pytest.fixture(scope="module")
def first_run(manifest: Path, client: Any, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("out")
    return out, run_cohort(client, read_manifest(manifest), out, SETTINGS, progress=False)


def _frames(out: Path) -> dict[str, pd.DataFrame]:
    """Both datasets read whole (hive partitions), in a stable order."""
    frames = {}
    for name, keys in (("days", ["participant", "date"]), ("activities", ["participant", "id"])):
        frame = pd.read_parquet(out / name)
        frame["participant"] = frame["participant"].astype(str)
        frames[name] = frame.sort_values(keys).reset_index(drop=True)
    return frames


def test_days_equal_daily_of_each_participant_alone(manifest: Path, first_run: tuple,
                                                   tmp_path: Path) -> None:
    out, document = first_run
    assert document["counts"]["computed"] == 6
    days = _frames(out)["days"]
    for person in read_manifest(manifest):
        if person.id == "broken":
            continue
        toml = tmp_path / f"{person.id}.toml"
        profile = {k: v for k, v in person.athlete.as_dict().items()
                   if v is not None and k != "defaulted"}
        toml.write_text("[athlete]\n" + "".join(
            f"{k} = {v!r}\n".replace("'", '"') for k, v in profile.items()))
        library, alone = tmp_path / f"lib-{person.id}", tmp_path / f"daily-{person.id}"
        assert main(["import", str(person.export), "--library", str(library), "--quiet"]) == 0
        assert main(["daily", "--library", str(library), "--athlete", str(toml), "--out",
                     str(alone), "--draws", str(DRAWS), "--no-plots", "--no-html"]) == 0
        expected = pd.read_csv(alone / "daily.csv")
        got = days[days["participant"] == person.id].drop(columns="participant")
        assert len(expected) >= 1
        pd.testing.assert_frame_equal(got.reset_index(drop=True)[list(expected.columns)],
                                      expected, check_exact=True, check_dtype=False)


def test_damaged_export_reported_others_complete(first_run: tuple) -> None:
    out, document = first_run
    assert document["counts"]["failed"] == 1
    (failure,) = document["failures"]
    assert failure["participant"] == "broken"
    assert "broken.zip: damaged zip archive" in failure["error"]
    assert sorted(p.name for p in (out / "days").glob("participant=*")) == \
        [f"participant=p00{n}" for n in range(1, 7)]


def test_second_run_recomputes_nothing(manifest: Path, client: Any,
                                       first_run: tuple) -> None:
    out, _ = first_run
    files = sorted(p for p in out.rglob("*.parquet"))
    before = {p: p.stat().st_mtime_ns for p in files}
    document = run_cohort(client, read_manifest(manifest), out, SETTINGS, progress=False)
    assert document["counts"]["computed"] == 0 and document["counts"]["unchanged"] >= 6
    assert {p: p.stat().st_mtime_ns for p in sorted(out.rglob("*.parquet"))} == before


def test_killed_worker_costs_only_a_retry(manifest: Path, client: Any, first_run: tuple,
                                          tmp_path: Path) -> None:
    killed: list[int] = []

    def kill_a_busy_worker(summary: dict[str, Any]) -> None:
        if killed:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            busy = [w for w, keys in client.processing().items() if keys]
            if busy:
                pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.05)

    document = run_cohort(client, read_manifest(manifest), tmp_path, SETTINGS, progress=False,
                          on_done=kill_a_busy_worker)
    assert killed, "no worker was busy to be killed"
    counts = document["counts"]
    # a worker killed just after installing its participant's outputs leaves them complete:
    # the retry then finds them unchanged
    assert counts["computed"] + counts["unchanged"] == 6 and counts["failed"] == 1, counts
    got, expected = _frames(tmp_path), _frames(first_run[0])
    for name in ("days", "activities"):
        pd.testing.assert_frame_equal(got[name], expected[name], check_exact=True)
    for name in ("days", "activities"):  # nothing duplicated: one file per participant
        assert [len(list(p.iterdir())) for p in (tmp_path / name).glob("participant=*")] == \
            [1] * 6


def test_every_partition_has_the_common_schema(first_run: tuple) -> None:
    out, document = first_run
    assert document["removed"] == [] and document["counts"]["removed"] == 0
    for name in ("days", "activities"):
        common = pq.read_schema(out / name / "_common_metadata")
        files = sorted((out / name).glob("participant=*/part-0.parquet"))
        assert len(files) == 6
        for file in files:
            assert pq.read_schema(file).equals(common, check_metadata=True), file


def test_participants_left_out_of_the_manifest_are_removed(manifest: Path, client: Any,
                                                          first_run: tuple,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(first_run[0], out)
    kept = [p for p in read_manifest(manifest) if p.id not in ("p006", "broken")]
    document = run_cohort(client, kept, out, SETTINGS, progress=False)
    assert document["removed"] == ["broken", "p006"] and document["counts"]["removed"] == 2
    assert json.loads((out / "cohort.json").read_text())["removed"] == ["broken", "p006"]
    assert document["counts"]["unchanged"] == 5 and document["counts"]["computed"] == 0
    for folder in ("days/participant=p006", "activities/participant=p006", "library/p006",
                   "state/p006.json", "state/broken.json"):
        assert not (out / folder).exists(), folder
    assert sorted(pd.read_parquet(out / "days")["participant"].astype(str).unique()) == \
        [f"p00{n}" for n in range(1, 6)]
