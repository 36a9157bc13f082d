"""``myokinetics import PATH... [--library DIR] [--workers N]``: fill the local library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from myokinetics.errors import InputError
from myokinetics.library import Library
from myokinetics.library.core import ENV_VAR


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import activity files, folders and export archives into the library",
        description="Import FIT, TCX, GPX and CSV files (also .gz), folders (recursively) and "
        "zip archives, including Strava bulk exports and Garmin Connect exports, into the "
        "local library. Content already in the library is skipped. The exit status is 1 "
        "when some file failed, 0 otherwise.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", type=Path,
                        help="file, folder or zip archive")
    parser.add_argument("--library", type=Path, metavar="DIR",
                        help=f"library folder (default: ${ENV_VAR} or the user data folder)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="decoding processes (default: number of CPUs)")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.workers is not None and args.workers < 1:
        raise InputError("--workers", f"{args.workers} is not a positive count",
                         "give 1 or more, or leave it out for one per CPU")
    with Library(args.library) as library:
        report = library.import_paths(args.paths, workers=args.workers,
                                      progress=not args.quiet)
        print(report.summary())
        print(f"library: {library.path}")
    if not report.ok:  # the list is in the summary on stdout; say it where errors go too
        print(f"myokinetics: {report.failed} of {len(report.outcomes)} files failed to import "
              f"into {library.path} — see the failed list above; the others were kept",
              file=sys.stderr)
    return 0 if report.ok else 1
