"""``myokinetics unmerge ID...``: count activities on their own again."""

from __future__ import annotations

import argparse

from myokinetics.cli._common import activity_ids, existing_library

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "unmerge", help="count activities on their own, not as part of a session",
        description="Count each of these activities on its own: no longer linked to the "
        "activities its time overlaps (two workouts that really happened together, e.g. a "
        "run with a dog's tracker) nor to those `myokinetics merge` joined it with.")
    activity_ids(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with existing_library(args.library) as library:
        ids = library.unmerge(args.ids)
    print(f"counted on their own: {', '.join(map(str, ids))}")
    return 0
