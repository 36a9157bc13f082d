"""``myokinetics daily``: daily summaries of the library written to local files."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from myokinetics.cli._common import LIBRARY_HELP, existing_library, output_folder, resolved_athlete
from myokinetics.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["register"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "daily", help="write daily summaries (JSON, table, PNG) of the library",
        description="For each local calendar day: activities, load (TRIMP, HRSS, energy, "
        "EPOC), zone times, HRV, CTL/ATL/TSB and the day's model estimates (IL-6 and "
        "friends, glycogen, insulin sensitivity, fat and CHO oxidised). A session recorded "
        "by several devices counts once (see `myokinetics list`). The state carried into "
        "--from is computed from 5 CTL time constants (210 days, up to 237 to reuse earlier runs) "
        "before it. Re-runs recompute "
        "only changed days. OUT/report.html shows the range in a browser and links each "
        "activity's page in OUT/activities/ (made once per activity, athlete and version).")
    parser.add_argument("--library", type=Path, default=None, metavar="DIR",
                        help=LIBRARY_HELP)
    parser.add_argument("--out", type=Path, default=Path("myokinetics-daily"), metavar="DIR",
                        help="output folder (default: ./myokinetics-daily)")
    parser.add_argument("--from", dest="first", type=_date, default=None, metavar="DATE",
                        help="first day written, YYYY-MM-DD (default: first activity)")
    parser.add_argument("--to", dest="last", type=_date, default=None, metavar="DATE",
                        help="last day written, YYYY-MM-DD (default: last activity)")
    parser.add_argument("--last-days", type=int, default=None, metavar="N",
                        help="write only the last N days up to --to (or the last activity); "
                        "the 210-237 days before are still computed for the carried state")
    parser.add_argument("--include-suspect", action="store_true",
                        help="also count activities dated before 1985 or after tomorrow "
                        "(status suspect in `myokinetics list`; left out by default)")
    parser.add_argument("--athlete", type=Path, default=None, metavar="FILE",
                        help="athlete profile TOML (default: the user config file)")
    parser.add_argument("--format", dest="fmt", choices=("csv", "parquet"), default="csv",
                        help="daily table format (default: csv)")
    parser.add_argument("--draws", type=int, default=None, metavar="N",
                        help="estimator parameter draws for the bands (default: the "
                        "estimator's)")
    parser.add_argument("--no-plots", dest="plots", action="store_false",
                        help="skip the PNGs (faster)")
    parser.add_argument("--no-html", dest="html", action="store_false",
                        help="write no report.html and no activity pages")
    parser.add_argument("--rr-correction", metavar="METHOD", default="fatmaxxer",
                        help="RR artifact handling: fatmaxxer (streaming rule, default) or "
                        "lipponen_tarvainen (offline correction)")
    parser.set_defaults(func=run)


#: Upper bound of --draws: every draw is integrated for every day.
MAX_DRAWS = 10_000
#: An explicit --from/--to range longer than this is a typo (e.g. 0001-01-01), not a history;
#: without --from/--to the range is that of the activities, however long.
MAX_EXPLICIT_SPAN_DAYS = 20 * 365


def _last_days_start(catalog: pd.DataFrame, last: dt.date | None,
                     days: int) -> dt.date | None:
    """First day of the last ``days`` days ending at ``last`` or at the last activity's day,
    not before the first activity's day."""
    from myokinetics.daily.calendar import entries_from_catalog

    entries = entries_from_catalog(catalog)
    if not entries:
        return None
    end = last or max(e.local_date for e in entries)
    if days > (end - entries[0].local_date).days:  # also spares an OverflowError for huge N
        return entries[0].local_date
    return max(end - dt.timedelta(days=days - 1), entries[0].local_date)


def _check_explicit_span(catalog: pd.DataFrame, first: dt.date | None,
                         last: dt.date | None) -> None:
    """Refuse a --from/--to range (completed by the activities' days) of many decades."""
    from myokinetics.daily.calendar import entries_from_catalog

    if first is None and last is None:
        return
    days = [e.local_date for e in entries_from_catalog(catalog)]
    start, end = first or min(days, default=last), last or max(days, default=first)
    if start and end and (end - start).days > MAX_EXPLICIT_SPAN_DAYS:
        raise InputError("--from/--to", f"{start} to {end} spans more than "
                         f"{MAX_EXPLICIT_SPAN_DAYS // 365} years",
                         "give dates around your activities, or leave --from/--to out "
                         "to cover all of them")


def _ids(ids: list[str]) -> str:
    return ", ".join(ids[:10]) + (", ..." if len(ids) > 10 else "")


def _tell_left_out(report: Any) -> None:
    """One line each on stderr: entries skipped, activities on no day or of suspect date,
    and sessions counted once."""
    for line in report.problems:
        print(f"myokinetics daily: {line}", file=sys.stderr)
    if report.unplaced:
        print(f"myokinetics daily: {len(report.unplaced)} activities have no wall-clock time and "
              f"are on no day (ids {_ids(report.unplaced)})", file=sys.stderr)
    if report.suspect:
        print(f"myokinetics daily: {len(report.suspect)} activities dated before 1985 or after "
              f"tomorrow left out (ids {_ids(report.suspect)}) — --include-suspect counts them",
              file=sys.stderr)
    if report.merged:
        sessions = "1 session" if report.merged == 1 else f"{report.merged} sessions"
        print(f"myokinetics daily: {sessions} recorded by several devices, each "
              "counted once from its best heart-rate recording — `myokinetics list` shows "
              "which, `myokinetics merge/unmerge` changes it", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Run the command; 0 when every entry was used, 1 when damaged entries were skipped."""
    from myokinetics.daily import DailySettings, write_daily
    from myokinetics.daily.selection import counted_activities

    if args.first and args.last and args.last < args.first:
        raise InputError("--from/--to", f"{args.last} is before {args.first}",
                         "give --to on or after --from")
    if args.last_days is not None and args.first is not None:
        raise InputError("--last-days", f"given together with --from {args.first}",
                         "give one of --last-days and --from")
    if args.last_days is not None and args.last_days < 1:
        raise InputError("--last-days", f"{args.last_days} is not a positive number of days",
                         "give e.g. --last-days 7")
    if args.draws is not None and not 1 <= args.draws <= MAX_DRAWS:
        raise InputError("--draws", f"{args.draws} is not a count from 1 to {MAX_DRAWS}",
                         "use e.g. 200 (the 5-95 % band is stable from a few hundred draws)")
    settings = DailySettings(n_draws=args.draws, plots=args.plots,
                             rr_correction=args.rr_correction)
    athlete = resolved_athlete(args.athlete, args.verbose)
    output_folder(args.out, "--out")
    library = existing_library(args.library)
    counted = counted_activities(library.activities(), args.include_suspect).counted
    _check_explicit_span(counted, args.first, args.last)
    first = args.first
    if args.last_days is not None:
        first = _last_days_start(counted, args.last, args.last_days)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the defaults were announced above
        report = write_daily(library, args.out, first, args.last, athlete, args.fmt, settings,
                             include_suspect=args.include_suspect, progress=True)
    _tell_left_out(report)
    if not report.days:
        print(f"daily: no days to write (the library at {library.path} has no activities in "
              "range)")
        return 0
    page_problems: list[str] = []
    if args.html:
        from myokinetics.report.library_pages import write_daily_pages

        page, page_problems = write_daily_pages(args.out, report.days, library, athlete)
        for line in page_problems:
            print(f"myokinetics daily: {line}", file=sys.stderr)
    n = len(report.days)
    print(f"daily: {n} day{'' if n == 1 else 's'} {report.days[0]} to {report.days[-1]} "
          f"({len(report.computed)} computed, {len(report.reused)} unchanged) "
          f"in {args.out.resolve()}")
    print(f"daily: table {args.out.resolve() / f'daily.{args.fmt}'}, "
          f"trend {args.out.resolve() / 'trend.png'}")
    if args.html:
        print(f"page {page.resolve()}")
    return 1 if report.problems or page_problems else 0
