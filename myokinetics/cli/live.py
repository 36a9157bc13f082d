"""``myokinetics live``: capture from a heart-rate strap (or replay a file) with a dashboard."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import warnings
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "live", help="live capture from Bluetooth heart-rate straps, or replay a file",
        description="Connect to a heart-rate strap (the named one, else the last one used, else "
        "the only one in range), record every notification crash-safely into --out, and show "
        "heart rate, load and model estimates each second. Ctrl-C or --duration ends the "
        "capture, writes a FIT copy beside the recording, analyses it into the same folder and "
        "imports it into the library (a replay only with --import).")
    parser.add_argument("--device", action="append", default=[], metavar="NAME-OR-ADDRESS",
                        help="strap to use (name or part of it, or address); repeat for several "
                        "straps, one recording each")
    parser.add_argument("--athlete", type=Path, metavar="FILE",
                        help="athlete profile (TOML); default: the one in the config folder")
    parser.add_argument("--out", type=Path, default=Path("captures"), metavar="DIR",
                        help="folder for recordings and analyses (default ./captures)")
    parser.add_argument("--duration", type=float, metavar="SECONDS",
                        help="end by itself after this many seconds, as Ctrl-C would")
    parser.add_argument("--replay", type=Path, metavar="FILE",
                        help="stream a FIT file, a recording or an RR log instead of a strap")
    parser.add_argument("--import", dest="import_replay", action="store_true",
                        help="with --replay: also import the replayed recording into the "
                        "library (not done by default: the file replayed is usually there "
                        "already, and importing it again would count the session twice)")
    parser.add_argument("--speed", type=float, default=1.0, metavar="X",
                        help="replay speed factor (default 1 = real time; 0 = as fast as "
                        "possible)")
    parser.add_argument("--sport", default="generic", help="sport of the capture (default "
                        "generic)")
    parser.add_argument("--scan-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="how long to look for the strap (default 10 s)")
    parser.add_argument("--watchdog", type=float, default=5.0, metavar="SECONDS",
                        help="report a silent strap after this long without data (default 5 s)")
    parser.add_argument("--acquire-notify", action="store_true",
                        help="Linux: receive notifications through BlueZ AcquireNotify")
    parser.add_argument("--adapter", metavar="NAME", help="Bluetooth adapter, e.g. hci1 (Linux)")
    parser.add_argument("--library", type=Path, metavar="DIR",
                        help="library folder to import into (default: MYOKINETICS_LIBRARY, "
                        "else the user data folder)")
    parser.add_argument("--no-analysis", action="store_true",
                        help="show heart rate and RR only, no live load or estimates (for slow "
                        "laptops or many straps); the end-of-capture analysis still runs")
    parser.add_argument("--no-finish", action="store_true",
                        help="only record: skip the analysis and the library import at the end")
    parser.set_defaults(func=run)


def _one_line_warning(message: Warning | str, category: type[Warning], filename: str,
                      lineno: int, file: object = None, line: str | None = None) -> None:
    """Notices during the capture as one line each."""
    print(f"myokinetics: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from myokinetics.cli._common import announce_defaults, load_profile, output_folder, positive
    from myokinetics.devices.capture import CaptureOptions, capture
    from myokinetics.devices.dashboard import Dashboard
    from myokinetics.devices.finish import REPLAY_NOT_IMPORTED, import_recording
    from myokinetics.errors import InputError

    for flag, value in (("--duration", args.duration), ("--scan-timeout", args.scan_timeout),
                        ("--watchdog", args.watchdog)):
        if value is not None:
            positive(flag, value, "seconds")
    if not args.speed >= 0:
        what = "is negative" if args.speed < 0 else "is not a number"
        raise InputError("--speed", f"{args.speed:g} {what}",
                         "give 1 for real time, 10 for ten times faster, 0 for no pauses")

    if args.import_replay and (args.replay is None or args.no_finish):
        raise InputError("--import", "given without --replay, or with --no-finish",
                         "use --import with --replay (a capture is always imported)")
    output_folder(args.out, "--out")
    if not args.no_finish:  # an unusable library fails now, not after the capture
        from myokinetics.library import Library

        with Library(args.library):
            pass
    athlete, notices = load_profile(args.athlete)
    options = CaptureOptions(
        devices=tuple(args.device), out=args.out, duration_s=args.duration,
        athlete=athlete, replay=args.replay,
        speed=args.speed, sport=args.sport,
        scan_timeout_s=args.scan_timeout, watchdog_s=args.watchdog,
        acquire_notify=args.acquire_notify, adapter=args.adapter, finish=not args.no_finish,
        library=args.library, analysis=not args.no_analysis)

    async def main() -> list:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        return await capture(options, stop, Dashboard(sys.stdout))

    shown, warnings.showwarning = warnings.showwarning, _one_line_warning
    try:
        results = asyncio.run(main())
    finally:
        warnings.showwarning = shown
    if results:  # said once a capture happened, so a failure to start stays one line
        announce_defaults(athlete, notices, args.verbose)
    for result in results:
        if args.import_replay and result.notifications:
            result.outputs.remove(REPLAY_NOT_IMPORTED)
            import_recording(result.recording, args.library, lines=result.outputs,
                             failures=result.failures)
        print(f"{result.label}: {result.notifications} notifications recorded in "
              f"{result.recording}")
        for line in result.outputs:
            print(f"  {line}")
        for failure in result.failures:
            print(f"myokinetics: {failure}", file=sys.stderr)
        if result.error is not None:
            print(f"myokinetics: {result.error.one_line()}", file=sys.stderr)
    return 0 if all(r.notifications and r.error is None and not r.failures
                    for r in results) else 1
