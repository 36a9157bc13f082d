"""``myokinetics show FILE...``: what is in each activity file, one block per file."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from myokinetics.activity import Activity
from myokinetics.cli._common import JSON_HELP, print_json
from myokinetics.errors import MyokineticsError
from myokinetics.ingest import read
from myokinetics.ingest.fit import FIT_BACKENDS
from myokinetics.processing.energy import cycling_power
from myokinetics.processing.missing import not_computed, not_computed_line


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "show", help="describe activity files (sport, device, start, samples, HR, RR, power)",
        description="Print for each file: sport, device, local start time, duration, samples, "
        "heart-rate coverage, RR count, power, status and warnings.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--json", action="store_true", help=JSON_HELP)
    parser.add_argument("--backend", choices=FIT_BACKENDS, default="fast",
                        help="FIT decoder (default: fast)")
    parser.set_defaults(func=run)


def describe(activity: Activity) -> list[str]:
    """The lines ``show`` prints for one activity."""
    meta = activity.meta
    device = " ".join(part for part in (meta.manufacturer, meta.product) if part) or "unknown"
    if meta.serial:
        device += f" (serial {meta.serial})"
    start = meta.local_start
    if start is None:
        when = "unknown"
    elif meta.time_base == "relative":
        when = "unknown date (device time since power-on)"
    else:
        zone = "local" if meta.utc_offset is not None else "UTC, local offset unknown"
        when = f"{start:%Y-%m-%d %H:%M:%S} ({zone})"
    minutes, seconds = divmod(round(activity.duration_s), 60)
    hours, minutes = divmod(minutes, 60)
    lines = [
        f"{meta.source}",
        f"  sport        {meta.sport}" + (f" / {meta.sub_sport}" if meta.sub_sport
                                          and meta.sub_sport != "generic" else ""),
        f"  device       {device}",
        f"  start        {when}",
        f"  duration     {hours:d}:{minutes:02d}:{seconds:02d}",
        f"  samples      {len(activity.samples)}",
        f"  heart rate   {activity.heart_rate_coverage:.0%} of samples",
        f"  RR intervals {len(activity.rr)}",
        f"  power        {'yes' if activity.has_power else 'no'}",
        f"  status       {activity.status}  (decoded by {meta.decoder} {meta.decoder_version})",
    ]
    lines += [f"  warning      {warning}" for warning in activity.warnings]
    missing = not_computed(activity.heart_rate_coverage > 0, activity.has_power,
                           cycling_power(meta.sport), ftp_known=None)
    if missing and len(activity.samples):
        lines.append(f"  note         {not_computed_line(missing)}")
    return lines


def as_json(activity: Activity) -> dict[str, Any]:
    """What ``show --json`` reports for one activity (docs/json.md)."""
    return {"source": activity.meta.source, "status": activity.status,
            "meta": activity.meta.as_dict(), "duration_s": activity.duration_s,
            "samples": len(activity.samples), "hr_coverage": activity.heart_rate_coverage,
            "rr_intervals": len(activity.rr), "has_power": activity.has_power,
            "warnings": activity.warnings}


def run(args: argparse.Namespace) -> int:
    failed = 0
    files: list[dict[str, Any]] = []
    for path in args.files:
        try:
            activity = read(path, backend=args.backend)
        except MyokineticsError as error:
            print(f"myokinetics: {error.one_line()}", file=sys.stderr)
            files.append({"source": str(path), "error": error.one_line()})
            failed += 1
            continue
        if args.json:
            files.append(as_json(activity))
        else:
            print("\n".join(describe(activity)))
    if args.json:
        print_json("show", {"files": files})
    return 1 if failed else 0
