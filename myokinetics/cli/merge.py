"""``myokinetics merge ID ID... [--primary ID]``: count activities as one session."""

from __future__ import annotations

import argparse

from myokinetics.cli._common import activity_ids, existing_library

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "merge", help="count activities as one session recorded by several devices",
        description="Count these activities as one session (one workout recorded by several "
        "devices), also when their clocks disagree so that their times do not overlap. Daily "
        "load counts a session once, from --primary if given, else from the recording with "
        "the best heart-rate data (RR, then chest strap, then wrist). One ID with --primary "
        "only chooses the recording counted for that activity's session. "
        "`myokinetics unmerge` undoes it.")
    activity_ids(parser)
    parser.add_argument("--primary", metavar="ID",
                        help="the recording whose load is counted for the session")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with existing_library(args.library) as library:
        session = library.merge(args.ids, args.primary)
        frame = library.activities()
    members = frame[frame["session"] == session]
    counted = int(members.loc[members["primary"], "id"].iloc[0])
    others = [str(i) for i in members["id"] if i != counted]
    print(f"session {session}: counted from {counted}"
          + (f", not from {', '.join(others)}" if others else ""))
    return 0
