"""``myokinetics remove ID...``: delete activities from the library (catalog row and data file)."""

from __future__ import annotations

import argparse

from myokinetics.cli._common import activity_ids, existing_library
from myokinetics.progress import format_duration

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "remove", help="delete activities from the library",
        description="Delete activities from the library: each one's catalog row, session "
        "choices and data file. Every ID is checked first, so an unknown one removes nothing. "
        "The source files you imported from are not touched; importing one again adds it back.")
    activity_ids(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with existing_library(args.library) as library:
        removed = library.remove(args.ids)
    for row in removed:
        start = "no start" if row["start"] is None else str(row["start"])[:16].replace("T", " ")
        print(f"removed {row['id']}: {row['sport']} {start}Z, "
              f"{format_duration(float(row['duration_s']))}, from {row['source']} "
              f"(catalog row and {row['file']})")
    return 0
