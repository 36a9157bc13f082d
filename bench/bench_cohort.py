"""Cohort on dask.distributed: the same synthetic cohort with 1 and with 2 worker processes.

Target (issue 15): 40 participants x 30 days; 2 workers take at most 0.6x the time of 1.
Printed: wall time of each run (cluster start and warm-up excluded: every worker first
imports the modules a participant's task uses, so the ratio measures the work; each run into
an empty folder), the ratio, and the cost per participant-day (worker-seconds of the 1-worker
run / participant-days), the figure docs/cohort.md scales to larger cohorts. The size and
the estimator draws are set by ``MYOKINETICS_BENCH_PARTICIPANTS``,
``MYOKINETICS_BENCH_DAYS`` and ``MYOKINETICS_BENCH_DRAWS`` (default 40, 30 and the
estimator's default ensemble).
"""

from __future__ import annotations

import importlib
import os
import tempfile
import time
from pathlib import Path

from myokinetics.cohort import CohortSettings, read_manifest, run_cohort
from tools.cohortgen import cohort

#: What a participant's task imports (reading, the library, the daily engine and estimators,
#: Parquet): imported on every worker before timing.
TASK_MODULES = ("myokinetics.cohort.participant", "myokinetics.ingest.dispatch",
                "myokinetics.ingest.fit", "myokinetics.daily", "myokinetics.estimators",
                "pyarrow.parquet")


def _import_task_modules() -> int:
    for name in TASK_MODULES:
        importlib.import_module(name)
    return os.getpid()


def _timed_run(manifest: Path, out: Path, workers: int, settings: CohortSettings) -> float:
    """Seconds for one cohort run on a fresh LocalCluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    people = read_manifest(manifest)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=":0", silence_logs=40) as cluster, \
            Client(cluster) as client:
        client.wait_for_workers(workers)
        warmed = client.run(_import_task_modules)
        assert len(set(warmed.values())) == workers, warmed  # one process each
        started = time.perf_counter()
        document = run_cohort(client, people, out, settings, progress=False)
        elapsed = time.perf_counter() - started
    counts = document["counts"]
    assert counts["computed"] == len(people), counts  # every participant computed afresh
    return elapsed


def main() -> None:
    participants = int(os.environ.get("MYOKINETICS_BENCH_PARTICIPANTS", "40"))
    days = int(os.environ.get("MYOKINETICS_BENCH_DAYS", "30"))
    draws = os.environ.get("MYOKINETICS_BENCH_DRAWS")
    settings = CohortSettings(n_draws=int(draws) if draws else None)
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        started = time.perf_counter()
        manifest = cohort(participants, days, root / "cohort")
        print(f"cohort: {participants} participants x {days} days written in "
              f"{time.perf_counter() - started:.1f} s "
              f"(draws: {settings.n_draws or 'estimator default'})")
        seconds = {}
        for workers in (1, 2):
            seconds[workers] = _timed_run(manifest, root / f"out-{workers}", workers, settings)
            print(f"{workers} worker{'s' if workers > 1 else ''}: {seconds[workers]:.1f} s")
    person_days = participants * days
    ratio = seconds[2] / seconds[1]
    print(f"2 workers / 1 worker: {ratio:.2f} (target <= 0.60: "
          f"{'met' if ratio <= 0.6 else 'NOT met'})")
    print(f"cost: {seconds[1] / person_days:.3f} worker-s per participant-day "
          f"({person_days} participant-days, 1 worker)")
