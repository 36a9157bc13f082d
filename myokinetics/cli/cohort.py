"""``myokinetics cohort MANIFEST.csv --out DIR``: a cohort's imports and days on Dask."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from myokinetics.cli._common import output_folder
from myokinetics.cli.daily import MAX_DRAWS, _date
from myokinetics.errors import InputError, MyokineticsError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "cohort", help="import and compute the days of every participant of a cohort (Dask)",
        description="For each participant of the manifest (docs/cohort.md): import their "
        "export into OUT/library/<participant>/ and compute their days as `myokinetics daily` "
        "does; write OUT/activities/ and OUT/days/ (Parquet, partitioned by participant), "
        "OUT/cohort.json and OUT/overview.png. Runs on a local Dask cluster or on "
        "--scheduler. Re-runs skip participants whose inputs, profile, settings and code are "
        "unchanged. Needs the cohort extra: pip install 'myokinetics[cohort]'.")
    parser.add_argument("manifest", type=Path, metavar="MANIFEST.csv",
                        help="one row per participant: participant, export, profile fields "
                        "or athlete")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="output folder")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="address of a running Dask scheduler, e.g. tcp://host:8786 "
                       "(its workers must see the manifest's files and DIR at the same paths)")
    where.add_argument("--workers", type=int, metavar="N",
                       help="worker processes of the local cluster (default: number of CPUs)")
    parser.add_argument("--from", dest="first", type=_date, default=None, metavar="DATE",
                        help="first day, YYYY-MM-DD (default: each participant's first "
                        "activity)")
    parser.add_argument("--to", dest="last", type=_date, default=None, metavar="DATE",
                        help="last day, YYYY-MM-DD (default: each participant's last activity)")
    parser.add_argument("--draws", type=int, default=None, metavar="N",
                        help="estimator parameter draws (default: the estimator's)")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.set_defaults(func=run)


def _client(scheduler: str | None, workers: int | None) -> Any:
    """A Dask client of ``scheduler``, else of a new local cluster of ``workers`` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise MyokineticsError("myokinetics cohort", "dask.distributed is not installed",
                               "pip install 'myokinetics[cohort]'") from None
    if scheduler is not None:
        try:
            return Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as error:
            raise MyokineticsError(scheduler, f"no Dask scheduler reachable ({error})",
                                   "check --scheduler, or leave it out for a local cluster"
                                   ) from None
    cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                           processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0",
                           silence_logs=logging.ERROR)
    return Client(cluster)


def run(args: argparse.Namespace) -> int:
    """Run the command; 0 when every participant completed, 1 when some failed."""
    from myokinetics.cohort import CohortSettings, read_manifest
    from myokinetics.cohort.lock import run_lock
    from myokinetics.cohort.run import run_cohort

    if args.workers is not None and args.workers < 1:
        raise InputError("--workers", f"{args.workers} is not a positive count",
                         "give 1 or more, or leave it out for one per CPU")
    if args.draws is not None and not 1 <= args.draws <= MAX_DRAWS:
        raise InputError("--draws", f"{args.draws} is not a count from 1 to {MAX_DRAWS}",
                         "use e.g. 200")
    if args.first and args.last and args.last < args.first:
        raise InputError("--from/--to", f"{args.last} is before {args.first}",
                         "give --to on or after --from")
    participants = read_manifest(args.manifest)
    out = output_folder(args.out, "--out").resolve()
    settings = CohortSettings(args.first, args.last, args.draws)
    with run_lock(out):  # before starting a cluster: a busy --out fails at once
        client = _client(args.scheduler, args.workers)
        try:
            workers = len(client.scheduler_info()["workers"])
            print(f"cohort: {len(participants)} participants on {workers} Dask workers; "
                  f"dashboard {client.dashboard_link}", flush=True)
            document = run_cohort(client, participants, out, settings,
                                  progress=not args.quiet)
        finally:
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
    counts = document["counts"]
    for failure in document["failures"]:
        print(f"myokinetics cohort: {failure['participant']}: {failure['error']}",
              file=sys.stderr)
    print(f"cohort: {counts['computed']} computed, {counts['unchanged']} unchanged, "
          f"{counts['failed']} failed; {counts['activities']} activities, {counts['days']} "
          f"days in {document['elapsed_s']:.1f} s")
    if document["removed"]:
        print(f"cohort: outputs of {len(document['removed'])} participants no longer in the "
              f"manifest removed: {', '.join(document['removed'])}")
    print(f"cohort: {out / 'cohort.json'}, {out / 'days'}, {out / 'activities'}, "
          f"{out / 'overview.png'}")
    return 1 if counts["failed"] else 0
