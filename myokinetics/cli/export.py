"""``myokinetics export ID|FILE --format fit|tcx|csv --out PATH``: write an activity out."""

from __future__ import annotations

import argparse
from pathlib import Path

from myokinetics.activity import Activity
from myokinetics.export import FORMATS, export
from myokinetics.ingest import read
from myokinetics.library.core import ENV_VAR


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help="write an activity (library id or file) as FIT, TCX or CSV",
        description="Write one activity as FIT (records, RR in hrv messages, laps, session), "
        "TCX (no RR) or the myokinetics CSV format (RR in a second file, NAME-rr.csv). "
        "ACTIVITY is an existing file (any format `show` reads) or else an id (or sha256 "
        "prefix) from `myokinetics list`.")
    parser.add_argument("activity", metavar="ID|FILE")
    parser.add_argument("--format", choices=FORMATS, default="fit", help="default: fit")
    parser.add_argument("--out", type=Path, required=True, metavar="PATH",
                        help="file to write (replaced if it exists)")
    parser.add_argument("--library", type=Path, metavar="DIR",
                        help=f"library folder for an ID (default: ${ENV_VAR} or the user data "
                        "folder)")
    parser.set_defaults(func=run)


def _activity(text: str, library_path: Path | None) -> Activity:
    if Path(text).exists():
        return read(text)
    from myokinetics.library import Library

    with Library(library_path) as library:
        return library.load(text)


def run(args: argparse.Namespace) -> int:
    activity = _activity(args.activity, args.library)
    for path in export(activity, args.out, args.format):
        print(f"wrote {path}")
    return 0
