"""``myokinetics analyze FILE...``: load windows, totals, curves and plots per recording."""

from __future__ import annotations

import argparse
import hashlib
import sys
import warnings
from pathlib import Path
from typing import Any

from myokinetics.cli._common import output_folder, positive, print_json, resolved_athlete
from myokinetics.errors import InputError, MyokineticsError

__all__ = ["register"]

#: Longest --horizon (h): a year, far past any recovery the estimators model; much longer
#: ones overflow pandas' nanosecond time stamps (about 292 years) instead of failing cleanly.
MAX_HORIZON_H = 8760.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "analyze", help="exercise load, HRV and crosstalk curves per recording",
        description="Analyse each FILE: writes load.csv, intensity.csv, hrv.csv, curves.csv, "
                    "summary.json, PNGs and report.html (open it in a browser) into "
                    "OUT/<name>/ and prints a summary table.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="FIT/TCX/GPX/CSV/recording")
    parser.add_argument("--athlete", metavar="FILE", help="athlete profile (TOML)")
    parser.add_argument("--out", metavar="DIR", default="myokinetics-analysis",
                        help="output folder (default: ./myokinetics-analysis)")
    parser.add_argument("--horizon", metavar="HOURS", type=float, default=24.0,
                        help="recovery simulated after the recording (h, default 24)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv",
                        help="table format (default csv)")
    parser.add_argument("--window", metavar="SECONDS", type=int, default=60,
                        help="load window length (s, default 60)")
    parser.add_argument("--rr-correction", metavar="METHOD", default="fatmaxxer",
                        help="RR artifact handling: fatmaxxer (streaming rule, default) or "
                        "lipponen_tarvainen (offline correction)")
    parser.add_argument("--no-curves", action="store_true", help="skip the estimators")
    parser.add_argument("--no-html", dest="html", action="store_false",
                        help="write no report.html (nor OUT/plotly.min.js)")
    parser.add_argument("--json", action="store_true",
                        help="print each recording's summary.json as one JSON document on "
                        "stdout instead of the table (schema: docs/json.md)")
    parser.set_defaults(func=run)


def _folder(out: Path, source: Path, used: set[str]) -> Path:
    name = source.name.split(".")[0] or "activity"
    if name in used:
        name = f"{name}-{hashlib.sha256(str(source).encode()).hexdigest()[:8]}"
    used.add(name)
    return out / name


def _row(name: str, totals: dict) -> str:
    def num(key: str, digits: int = 0) -> str:
        value = totals.get(key)
        return "-" if value is None or value != value else f"{value:.{digits}f}"
    minutes = totals.get("duration_s", 0) / 60
    return (f"{name[:28]:<28} {minutes:>6.1f} {100 * totals.get('hr_coverage', 0):>5.0f} "
            f"{num('trimp'):>6} {num('hrss'):>5} {num('energy_kcal'):>6} {num('epoc_l', 1):>6} "
            f"{num('rmssd_ms', 1):>6} {num('dfa_alpha1_median', 2):>6} {num('tss_coggan'):>5}")


def run(args: argparse.Namespace) -> int:
    from myokinetics.analysis import analyze
    from myokinetics.processing.missing import not_computed_line
    from myokinetics.report import summary, write_analysis
    from myokinetics.stream import StreamOptions

    if not 0 <= args.horizon <= MAX_HORIZON_H:
        raise InputError("--horizon", f"{args.horizon:g} is not 0 to {MAX_HORIZON_H:g} hours",
                         "give hours >= 0, e.g. 24")
    positive("--window", args.window, "seconds")
    StreamOptions(rr_correction=args.rr_correction)  # a bad method is one error, not one a file
    athlete = resolved_athlete(args.athlete, args.verbose)
    out = output_folder(Path(args.out), "--out")
    used: set[str] = set()
    failed = 0
    results: list[dict[str, Any]] = []
    pages: list[Path] = []
    errors: list[str] = []
    say = print if not args.json else (lambda *_: None)
    say(f"{'recording':<28} {'min':>6} {'cov%':>5} {'TRIMP':>6} {'HRSS':>5} {'kcal':>6} "
          f"{'EPOC_L':>6} {'RMSSD':>6} {'alpha1':>6} {'TSS':>5}")
    for name in args.files:
        source = Path(name)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                analysis = analyze(source, athlete, horizon=args.horizon, window_s=args.window,
                                   rr_correction=args.rr_correction, curves=not args.no_curves)
            if not len(analysis.intensity):
                raise InputError(source, "no timed samples",
                                 "not an activity (a settings, workout or monitoring file?)")
            folder = _folder(out, source, used)
            write_analysis(analysis, folder, args.format, html=args.html, js_folder=out)
        except MyokineticsError as error:
            errors.append(error.one_line())
        except OSError as error:  # reading the source or writing its result folder
            errors.append(f"{error.filename or source}: {error.strerror or error} — check the "
                          "path, permissions and free space")
        else:
            say(_row(source.name, analysis.totals))
            if analysis.not_computed and not args.json:
                print(f"myokinetics: {source}: {not_computed_line(analysis.not_computed)}",
                      file=sys.stderr)
            pages.append(folder.resolve() / "report.html")
            results.append({"source": str(source), "folder": str(folder.resolve()),
                            "summary": summary(analysis)})
            continue
        failed += 1
        print(f"myokinetics: {errors[-1]}", file=sys.stderr)
    if args.json:
        print_json("analyze", {"out": str(out.resolve()), "results": results, "errors": errors})
    else:
        for page in pages if args.html else ():
            print(f"page {page}")
        print(f"results in {out.resolve()}" + (f"; {failed} file(s) failed" if failed else ""))
    return 1 if failed else 0
