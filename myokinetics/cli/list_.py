"""``myokinetics list [--library DIR] [--since DATE] [--sport S]``: the catalog as a table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from myokinetics.cli._common import JSON_HELP, LIBRARY_HELP, existing_library, print_json
from myokinetics.progress import format_duration

#: Columns of the printed table, in order.
TABLE_COLUMNS = ("id", "start", "sport", "duration", "device", "status", "counted", "name")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "list",
        help="list the activities in the library",
        description="Print the library catalog: one line per activity, oldest first. "
        "Start times are local when the file gave its offset, else UTC (marked Z). "
        "Activities whose times overlap are one session recorded by several devices; "
        "'counted' says which recording daily counts (the best heart-rate data: RR, then "
        "chest strap, then wrist; `myokinetics merge --primary ID` changes it).",
    )
    parser.add_argument("--library", type=Path, metavar="DIR", help=LIBRARY_HELP)
    parser.add_argument("--since", metavar="DATE", type=_since,
                        help="only activities starting on or after DATE (e.g. 2024-01-31)")
    parser.add_argument("--sport", metavar="SPORT", help="only this sport (e.g. running)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--csv", action="store_true",
                        help="every catalog column as CSV on stdout instead of the table")
    output.add_argument("--json", action="store_true", help=JSON_HELP)
    parser.set_defaults(func=run)


def _since(text: str) -> str:
    """``--since`` checked here, so a typo is a usage error and not a pandas traceback."""
    try:
        stamp: pd.Timestamp | None = pd.Timestamp(text)
    except (ValueError, OverflowError):
        stamp = None
    if stamp is None or pd.isna(stamp):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD) or time "
                                         "(YYYY-MM-DDTHH:MM)")
    return text


def run(args: argparse.Namespace) -> int:
    with existing_library(args.library) as library:
        frame = library.activities(since=args.since, sport=args.sport)
    if args.csv:
        frame.to_csv(sys.stdout, index=False)
        return 0
    if args.json:
        print_json("list", {"library": str(library.path),
                            "activities": frame.to_dict(orient="records")})
        return 0
    if frame.empty:
        print(f"no activities in {library.path}"
              + (" matching the filters" if args.since or args.sport else ""))
        return 0
    print(table(frame).to_string(index=False))
    sessions = int(frame["primary"].sum())
    counted_s = frame.loc[frame["primary"], "duration_s"].sum()
    print(f"{len(frame)} activities, {format_duration(frame['duration_s'].sum())} in total"
          + ("" if sessions == len(frame) else
             f"; {sessions} session{'' if sessions == 1 else 's'}, "
             f"{format_duration(counted_s)} counted"))
    return 0


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """The catalog rows formatted for reading (columns :data:`TABLE_COLUMNS`)."""
    return pd.DataFrame({
        "id": frame["id"],
        "start": [_local(start, offset) for start, offset in
                  zip(frame["start"], frame["utc_offset_s"], strict=True)],
        "sport": frame["sport"],
        "duration": frame["duration_s"].map(format_duration),
        "device": frame["device"].fillna(""),
        "status": frame["status"],
        "counted": counted(frame),
        "name": [name if isinstance(name, str) and name else Path(str(source)).name
                 for name, source in zip(frame["name"], frame["source"], strict=True)],
    })


def counted(frame: pd.DataFrame) -> list[str]:
    """Whether each activity's load is counted: ``yes``; ``yes, 1 of 3`` for the recording
    counted of a session recorded by several devices; ``no, as 12`` for the others."""
    primary = frame[frame["primary"]].set_index("session")["id"]
    return ["yes" if size == 1 else f"yes, 1 of {size}" if is_primary
            else f"no, as {primary.get(session, session)}"
            for size, is_primary, session in
            zip(frame["session_size"], frame["primary"], frame["session"], strict=True)]


def _local(start: pd.Timestamp, offset_s: float) -> str:
    if pd.isna(start):
        return "?"
    if pd.isna(offset_s):
        return start.strftime("%Y-%m-%d %H:%M") + "Z"
    local = start + pd.Timedelta(seconds=offset_s)
    sign = "+" if offset_s >= 0 else "-"
    hours, minutes = divmod(int(abs(offset_s)) // 60, 60)
    return local.strftime("%Y-%m-%d %H:%M") + f"{sign}{hours:02d}:{minutes:02d}"
