"""The cohort's Parquet datasets get one schema; outputs of participants no longer in the
manifest are removed; one run at a time holds an output folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from myokinetics.cohort.dataset import remove_participants, unify_dataset
from myokinetics.cohort.lock import LOCK_FILE, run_lock
from myokinetics.cohort.participant import _uniform
from myokinetics.errors import OutputBusyError

REPO = Path(__file__).resolve().parents[2]

#: Per-sport columns differ: a rider's totals have power, a runner's do not; one participant
#: has no activity at all (an empty partition); a count is whole for one and not the other.
PARTITIONS = {
    "rider": pd.DataFrame({"date": ["2024-03-01"], "sport": ["cycling"],
                           "start": pd.to_datetime(["2024-03-01T07:00Z"], utc=True),
                           "totals.trimp": [88.5], "totals.power_avg_w": [201.0]}),
    "runner": pd.DataFrame({"date": ["2024-03-02", "2024-03-03"], "sport": ["running", None],
                            "start": pd.to_datetime(["2024-03-02T18:00Z", "2024-03-03T06:30Z"],
                                                    utc=True),
                            "totals.trimp": [61, 40], "totals.pace_s_per_km": [301.0, 322.5]}),
    "resting": pd.DataFrame(),
}


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    root = tmp_path / "activities"
    for participant, frame in PARTITIONS.items():
        folder = root / f"participant={participant}"
        folder.mkdir(parents=True)
        _uniform(frame).to_parquet(folder / "part-0.parquet", index=False)
    return root


def test_every_partition_gets_the_union_schema(dataset: Path) -> None:
    before = {file: pq.read_schema(file).remove_metadata()
              for file in dataset.glob("*/part-0.parquet")}
    assert len({str(schema) for schema in before.values()}) == 3  # three different schemas
    union = unify_dataset(dataset)
    assert union is not None
    assert union.names == ["date", "sport", "start", "totals.trimp", "totals.power_avg_w",
                           "totals.pace_s_per_km"]
    assert str(union.field("totals.trimp").type) == "double"
    assert str(union.field("start").type).startswith("timestamp")
    for file in dataset.glob("*/part-0.parquet"):
        assert pq.read_schema(file).equals(union, check_metadata=True), file
    assert pq.read_schema(dataset / "_common_metadata").equals(union)


def test_readers_see_one_table_with_nulls_where_a_column_was_missing(dataset: Path) -> None:
    unify_dataset(dataset)
    table = pads.dataset(dataset, format="parquet", partitioning="hive").to_table()
    frame = table.to_pandas().sort_values("date").reset_index(drop=True)
    assert list(frame["participant"].astype(str)) == ["rider", "runner", "runner"]
    assert frame["totals.trimp"].tolist() == [88.5, 61.0, 40.0]
    assert frame["totals.power_avg_w"].isna().tolist() == [False, True, True]
    assert frame["totals.pace_s_per_km"].isna().tolist() == [True, False, False]

    dd = pytest.importorskip("dask.dataframe")
    lazy = dd.read_parquet(str(dataset))
    assert list(lazy.columns[:6]) == list(frame.columns[:6])
    computed = lazy.compute().sort_values("date").reset_index(drop=True)
    assert computed["totals.power_avg_w"].sum() == 201.0 and len(computed) == 3

    duckdb = pytest.importorskip("duckdb")
    rows = duckdb.sql(f"SELECT participant, sum(\"totals.trimp\") AS trimp, "
                      f"count(\"totals.power_avg_w\") AS powered FROM read_parquet("
                      f"'{dataset}/*/*.parquet', hive_partitioning = true) "
                      "GROUP BY participant ORDER BY participant").fetchall()
    assert rows == [("rider", 88.5, 1), ("runner", 101.0, 0)]


def test_a_conforming_partition_is_not_rewritten(dataset: Path) -> None:
    unify_dataset(dataset)
    files = sorted(dataset.glob("*/part-0.parquet"))
    stamps = [file.stat().st_mtime_ns for file in files]
    unify_dataset(dataset)
    assert [file.stat().st_mtime_ns for file in files] == stamps


def test_text_and_numbers_in_one_column_become_text(tmp_path: Path) -> None:
    for participant, device in (("a", [1.0]), ("b", ["Edge 530"])):
        folder = tmp_path / f"participant={participant}"
        folder.mkdir()
        pd.DataFrame({"device": device}).to_parquet(folder / "part-0.parquet", index=False)
    union = unify_dataset(tmp_path)
    assert union is not None and str(union.field("device").type) == "large_string"
    values = pads.dataset(tmp_path, partitioning="hive").to_table().to_pandas()
    assert sorted(values["device"]) == ["1", "Edge 530"]  # as Arrow writes 1.0


def test_removed_participants_lose_every_output(tmp_path: Path) -> None:
    for participant in ("stays", "left", "gone"):
        for folder in (f"days/participant={participant}", f"activities/participant="
                       f"{participant}", f"library/{participant}"):
            (tmp_path / folder).mkdir(parents=True)
            (tmp_path / folder / "part-0.parquet").write_bytes(b"x")
        (tmp_path / "state").mkdir(exist_ok=True)
        (tmp_path / "state" / f"{participant}.json").write_text("{}")
    assert remove_participants(tmp_path, {"stays"}) == ["gone", "left"]
    remaining = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert remaining == ["activities/participant=stays/part-0.parquet",
                         "days/participant=stays/part-0.parquet",
                         "library/stays/part-0.parquet", "state/stays.json"]
    assert remove_participants(tmp_path, {"stays"}) == []


def _hold_lock(out: Path) -> subprocess.Popen[str]:
    """Another process holding ``out``'s lock until killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from myokinetics.cohort.lock import run_lock\n"
         "with run_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(300)",
         str(out)], cwd=REPO, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_run_is_refused_in_one_line_naming_the_first(tmp_path: Path) -> None:
    holder = _hold_lock(tmp_path)
    try:
        with pytest.raises(OutputBusyError) as refused, run_lock(tmp_path):
            pytest.fail("the lock was taken twice")
        message = refused.value.one_line()
        assert message == (f"{tmp_path}: another cohort run (pid {holder.pid}) is writing "
                           "here — wait for it to finish, or give another --out")
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_of_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    holder = _hold_lock(tmp_path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert (tmp_path / LOCK_FILE).read_text().strip() == str(holder.pid)  # left behind
    started = time.monotonic()
    with run_lock(tmp_path), run_lock(tmp_path):  # taken over; again in-process: a no-op
        assert (tmp_path / LOCK_FILE).read_text().strip() == str(os.getpid())
    assert time.monotonic() - started < 5
