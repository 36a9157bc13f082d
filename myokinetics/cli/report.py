"""``myokinetics report``: an activity page or a range page from the library, on demand."""

from __future__ import annotations

import argparse
from pathlib import Path

from myokinetics.cli._common import existing_library, resolved_athlete
from myokinetics.cli.daily import _check_explicit_span, _date
from myokinetics.errors import InputError, MyokineticsError
from myokinetics.library.core import ENV_VAR

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report", help="one self-contained HTML page: an activity or a range of days",
        description="Write one HTML file that opens offline in any browser (plotly.js "
        "embedded): with --activity ID the activity's page, else the range page of the "
        "library's days --from..--to (calendar, fitness, load, weekly totals, daily "
        "estimates).")
    parser.add_argument("--library", type=Path, default=None, metavar="DIR",
                        help=f"library folder (default: ${ENV_VAR} or the user data folder)")
    parser.add_argument("--from", dest="first", type=_date, default=None, metavar="DATE",
                        help="first day, YYYY-MM-DD (default: first activity)")
    parser.add_argument("--to", dest="last", type=_date, default=None, metavar="DATE",
                        help="last day, YYYY-MM-DD (default: last activity)")
    parser.add_argument("--activity", metavar="ID",
                        help="an activity id (or sha256 prefix) from `myokinetics list`")
    parser.add_argument("--athlete", type=Path, default=None, metavar="FILE",
                        help="athlete profile TOML (default: the user config file)")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.html",
                        help="the page to write (replaced if it exists)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from myokinetics.daily.selection import counted_activities
    from myokinetics.report.library_pages import activity_html, range_html

    if args.activity and (args.first or args.last):
        raise InputError("--activity", "given together with --from/--to",
                         "give an activity or a range of days")
    if args.first and args.last and args.last < args.first:
        raise InputError("--from/--to", f"{args.last} is before {args.first}",
                         "give --to on or after --from")
    if args.out.is_dir() or not args.out.parent.is_dir():
        raise MyokineticsError(args.out, "is a folder" if args.out.is_dir() else
                               "is in a folder that does not exist",
                               "give --out a file name in an existing folder, e.g. week.html")
    athlete = resolved_athlete(args.athlete)
    with existing_library(args.library) as library:
        if args.activity:
            page = activity_html(library, args.activity, athlete)
        else:
            _check_explicit_span(counted_activities(library.activities()).counted,
                                 args.first, args.last)
            page = range_html(library, args.first, args.last, athlete)
    args.out.write_text(page, encoding="utf-8")
    print(f"page {args.out.resolve()}")
    return 0
