"""Calibrate the free gains on the calibration subset of published data; check the rest.

``python -m tools.calibrate [--fit] [--docs]``:

* ``--fit`` fits, group by group, the parameters each calibration target lists under ``fits``
  (least squares on log ratios, the model at point values) and writes ``data/calibrated.toml``;
* always evaluates every target with the 200-draw ensemble (median and 5-95 % band of the
  per-individual metric) and prints the table;
* ``--docs`` also rewrites the tables between markers in ``docs/science.md`` and the figures
  ``docs/figures/calibration.png``, ``validation.png`` and ``example_marathon.png``.

Validation targets are never used by the fit.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from myokinetics.estimators.columns import CURVES
from myokinetics.estimators.params import CALIBRATED_FILE, parameter_table
from myokinetics.stream import AthleteStream, StreamOptions, concat_steps
from tools.protocols import heart_rate_stream, protocol_athlete, published

__all__ = ["Result", "evaluate", "fit", "main", "run_protocol", "target_metric"]

_Q = {name: i for i, name in enumerate(CURVES)}
#: Order in which parameter groups are fitted (later groups depend on earlier ones).
FIT_ORDER = (
    ("glucose.a1",),
    ("glucose.a3",),
    ("glycogen.store_g_per_kg",),
    ("glycogen.refill_tau",),
    ("il6.release_gain", "il6.activation_tau", "il6.intensity_exponent"),
    ("il10.gain", "il1ra.gain", "il1ra.tau", "cytokine.exponent"),
    ("insulin.dose50",),
    ("insulin.acute_gain",),
    ("ffa.late_gain",),
    ("osteocalcin.amplitude",),
    ("bdnf.gain_above_threshold",),
)


@dataclass(frozen=True)
class Run:
    """One protocol simulated: per-draw curves and where exercise ended."""

    hours: np.ndarray        # hours since the end of exercise, one per row
    cube: np.ndarray         # (rows, quantities, draws)
    stage_x: np.ndarray      # %VO2max/100 of the protocol segment each row belongs to (or nan)
    net_o2_l: float          # net exercise O2 (L) from the intensity frame


def _horizon_h(protocol: str) -> float:
    """Recovery to simulate: the latest time any target of this protocol looks at."""
    used = [t for t in published()["target"]
            if protocol in (t["protocol"], t.get("reference"))]
    need = max([t.get("at_h", 0.0) for t in used] + [t.get("window_h", 0.0) for t in used])
    return max(need, 1.0) + 0.25


def run_protocol(protocol: str, n_draws: int = 1, seed: int = 0,
                 overrides: Mapping[str, float] | None = None) -> Run:
    """Simulate a published protocol for its athlete (the reference athlete unless the protocol
    names another cohort), with its recovery."""
    athlete = protocol_athlete(protocol)
    segments = published()["protocol"][protocol]["segments"]
    options = StreamOptions(n_draws=n_draws, seed=seed, parameter_overrides=overrides or {},
                            keep_draws=True, horizon=pd.Timedelta(hours=_horizon_h(protocol)))
    stream = AthleteStream(athlete, options)
    run = concat_steps([stream.push(_samples(protocol)), stream.finish()])
    frame = run.intensity
    end = frame.index[-1] + pd.Timedelta(seconds=1)
    hours = (run.curves.index - end).total_seconds().to_numpy() / 3600.0
    bounds = np.cumsum([0.0] + [m / 60.0 for m, _ in segments]) - sum(m for m, _ in segments) / 60
    stage = np.searchsorted(bounds, hours, side="left") - 1
    inside = (stage >= 0) & (stage < len(segments)) & (hours <= 0)
    stage_x = np.where(inside, np.array([x for _, x in segments] + [np.nan])[stage] / 100.0,
                       np.nan)
    mass = athlete.body_mass_kg
    net = float(np.sum(np.maximum(frame["vo2"].to_numpy() - 3.5, 0.0)) * mass / 1000.0 / 60.0)
    return Run(hours, stream.model.take_draws(), stage_x, net)


@cache
def _samples(protocol: str) -> pd.DataFrame:
    """The protocol's heart-rate stream for its athlete (1 s, bpm)."""
    return heart_rate_stream(published()["protocol"][protocol]["segments"],
                             protocol_athlete(protocol))


def target_metric(target: Mapping[str, Any], run: Run,
                  reference: Run | None = None) -> np.ndarray:
    """The target's metric for every draw (array of shape (draws,))."""
    kind = target["metric"]
    if kind == "ratio":
        assert reference is not None
        inner = {**target, "metric": target["of"]}
        return target_metric(inner, run) / target_metric(inner, reference)
    curve = run.cube[:, _Q[target["quantity"]], :]
    first = curve[0]
    if kind in ("fold_at", "value_at", "refill", "epoc_ratio"):
        at = target.get("at_h", 0.0)
        i = int(np.argmin(np.abs(run.hours - at)))
        value = curve[i]
        if kind == "fold_at":
            return value / first
        if kind == "value_at":
            return value
        if kind == "epoc_ratio":
            return value / run.net_o2_l
        end = curve[int(np.argmin(np.abs(run.hours)))]
        return (value - end) / (1.0 - end)
    window = run.hours <= target.get("window_h", 0.0)
    if kind == "fold_peak":
        return curve[window].max(axis=0) / first
    if kind == "peak_time":
        hours = run.hours[window]
        return hours[np.argmax(curve[window], axis=0)]
    exercise = np.isfinite(run.stage_x)
    if kind == "max":
        return curve[exercise].max(axis=0)
    if kind == "mean_during":
        return curve[exercise].mean(axis=0)
    # Incremental protocols: stage means of the curve.
    xs = np.unique(run.stage_x[exercise])
    means = np.stack([curve[run.stage_x == x].mean(axis=0) for x in xs])
    if kind == "x_at_max":
        return xs[np.argmax(means, axis=0)]
    if kind == "x_below":
        peak = means.argmax(axis=0)
        below = (means < target["fraction"] * means.max(axis=0)) & (
            np.arange(len(xs))[:, None] > peak)
        return np.where(below.any(axis=0), xs[np.argmax(below, axis=0)], np.nan)
    raise ValueError(f"unknown metric {kind!r}")


@dataclass(frozen=True)
class Result:
    """A target evaluated: the published numbers next to the model's."""

    target: dict[str, Any]
    median: float
    lo: float
    hi: float

    @property
    def published_band(self) -> tuple[float | None, float | None]:
        return self.target.get("low"), self.target.get("high")

    @property
    def in_spread(self) -> bool | None:
        """Model median within the published spread or reported direction (None: no spread)."""
        low, high = self.published_band
        if low is None and high is None:
            return None
        return (low is None or self.median >= low) and (high is None or self.median <= high)

    @property
    def in_band(self) -> bool | None:
        """Published mean within the model's 5-95 % band (None: direction only)."""
        mean = self.target.get("mean")
        return None if mean is None else bool(self.lo <= mean <= self.hi)

    @property
    def agrees(self) -> bool:
        """The stricter test available: median in the spread if reported, else mean in band."""
        return bool(self.in_spread if self.in_spread is not None else self.in_band)

    @property
    def log_error(self) -> float | None:
        """ln(model median / published mean); None for direction-only targets or times."""
        mean = self.target.get("mean")
        if mean is None or self.target["metric"] in ("peak_time", "x_at_max", "x_below"):
            return None
        return math.log(self.median / mean) if self.median > 0 and mean > 0 else None


def evaluate(which: str, n_draws: int = 200, seed: int = 0,
             overrides: Mapping[str, float] | None = None) -> list[Result]:
    """Evaluate every target of one set ("calibration" or "validation")."""
    runs: dict[str, Run] = {}

    def get(protocol: str) -> Run:
        if protocol not in runs:
            runs[protocol] = run_protocol(protocol, n_draws, seed, overrides)
        return runs[protocol]

    results = []
    for target in published()["target"]:
        if target["set"] != which:
            continue
        ref = get(target["reference"]) if "reference" in target else None
        values = target_metric(target, get(target["protocol"]), ref)
        lo, mid, hi = np.nanpercentile(values, [5.0, 50.0, 95.0])
        results.append(Result(dict(target), float(mid), float(lo), float(hi)))
    return results


def _residuals(log_values: np.ndarray, keys: Sequence[str],
               fixed: dict[str, float]) -> np.ndarray:
    overrides = {**fixed, **dict(zip(keys, np.exp(log_values), strict=True))}
    out = []
    for target in published()["target"]:
        if target["set"] != "calibration" or not set(target.get("fits", ())) & set(keys):
            continue
        ref = (run_protocol(target["reference"], overrides=overrides)
               if "reference" in target else None)
        value = float(target_metric(target, run_protocol(target["protocol"],
                                                         overrides=overrides), ref)[0])
        if target["metric"] == "peak_time":
            out.append((value - target["mean"]) / 0.5)
        else:
            out.append(math.log(max(value, 1e-9) / target["mean"]))
    return np.array(out)


def fit(verbose: bool = True) -> dict[str, float]:
    """Fit the calibration groups in order; return ``{parameter: value}``."""
    table = parameter_table()
    fitted: dict[str, float] = {}
    for keys in FIT_ORDER:
        start = np.log([table[k]["value"] for k in keys])
        upper = [np.log(table[k]["max"]) if "max" in table[k] else np.inf for k in keys]
        solution = least_squares(_residuals, np.minimum(start, np.array(upper) - 1e-6),
                                 bounds=(-np.inf, upper), args=(keys, dict(fitted)),
                                 diff_step=0.05, x_scale=1.0, max_nfev=60)
        fitted.update(dict(zip(keys, np.exp(solution.x).tolist(), strict=True)))
        if verbose:
            shown = ", ".join(f"{k} = {fitted[k]:.4g}" for k in keys)
            print(f"fit {shown}  (cost {solution.cost:.4g})", flush=True)
    return fitted


def write_calibrated(values: Mapping[str, float], path: Path = CALIBRATED_FILE) -> None:
    """Write ``calibrated.toml`` (read by :func:`parameter_table`)."""
    targets = published()["target"]
    lines = ["# Generated by `python -m tools.calibrate --fit`; do not edit.",
             "# Fitted point values; units, distributions and sources are in parameters.toml.",
             ""]
    for key, value in values.items():
        used = [t["id"] for t in targets if key in t.get("fits", ())]
        section, name = key.split(".")
        lines += [f"[{section}.{name}]", f"value = {value:.6g}",
                  f"fitted_to = {used!r}".replace("'", '"'), ""]
    path.write_text("\n".join(lines))
    parameter_table.cache_clear()


def format_table(results: Sequence[Result]) -> str:
    """Markdown table: published vs model (median and 5-95 % band)."""
    rows = ["| target | quantity | metric | published mean (spread) | model median [5-95 %] | "
            "ln(model/published) | median in spread | mean in band |",
            "|---|---|---|---|---|---|---|---|"]
    mark = {True: "yes", False: "**no**", None: "–"}
    for r in results:
        t = r.target
        low, high = r.published_band
        pub = "" if t.get("mean") is None else f"{t['mean']:.3g}"
        if low is not None or high is not None:
            a = "" if low is None else f"{low:.3g}"
            b = "" if high is None else f"{high:.3g}"
            pub += f" ({a}–{b})"
        err = "" if r.log_error is None else f"{r.log_error:+.2f}"
        where = t["metric"] + (f" @ {t['at_h']} h" if "at_h" in t else "")
        rows.append(f"| {t['id']} | {t['quantity']} | {where} | {pub.strip()} | "
                    f"{r.median:.3g} [{r.lo:.3g}–{r.hi:.3g}] | {err} | "
                    f"{mark[r.in_spread]} | {mark[r.in_band]} |")
    return "\n".join(rows)


def error_summary(results: Sequence[Result]) -> str:
    """One line: agreement counts, median and max absolute log error (also as a factor)."""
    errors = [abs(r.log_error) for r in results if r.log_error is not None]
    spread = [r.in_spread for r in results if r.in_spread is not None]
    band = [r.in_band for r in results if r.in_band is not None]
    within = sum(e <= math.log(2.0) for e in errors)
    text = (f"model median inside the published spread for {sum(spread)}/{len(spread)} targets "
            f"that report one; published mean inside the model's 5-95 % band for "
            f"{sum(band)}/{len(band)} targets with a mean; model median within a factor 2 of "
            f"the published mean for {within}/{len(errors)}")
    if errors:
        text += (f"; |ln(model/published)| median {np.median(errors):.2f} "
                 f"(x{math.exp(np.median(errors)):.2f}), max {max(errors):.2f} "
                 f"(x{math.exp(max(errors)):.2f}) over {len(errors)} targets with a mean")
    return text


STRUCTURAL_MARK = "# " + "-" * 77 + " structural error"


@contextmanager
def structural_off() -> Iterator[None]:
    """Evaluate with every structural error term at zero spread, so that sizing the terms from
    the validation misses does not feed back on itself."""
    table = parameter_table()
    saved = {k: v["cv"] for k, v in table.items() if k.startswith("structural.")}
    for key in saved:
        table[key]["cv"] = 0.0
    try:
        yield
    finally:
        for key, cv in saved.items():
            table[key]["cv"] = cv


def structural_sizes(results: Sequence[Result]) -> dict[str, tuple[float, float, list[str]]]:
    """Per curve with a structural term: (cv, rms ln miss, validation ids it comes from).

    ``results`` is the validation evaluated under :func:`structural_off` (the misses of the
    ensemble median, as the tables report them). Carbohydrate oxidation is the complement of
    fat oxidation in the same substrate split and takes its misses; any other curve without
    validation targets with a mean takes the RMS over all of them."""
    from myokinetics.estimators.dynamics import STRUCTURAL

    misses: dict[str, list[tuple[str, float]]] = {}
    for r in results:
        if r.log_error is not None:
            misses.setdefault(r.target["quantity"], []).append((r.target["id"], r.log_error))
    pooled = [m for pairs in misses.values() for m in pairs]
    misses.setdefault("cho_oxidation", misses.get("fat_oxidation", []))
    sizes = {}
    for name in STRUCTURAL:
        pairs = misses.get(name) or pooled
        rms = math.sqrt(sum(e * e for _, e in pairs) / len(pairs))
        ids = [i for i, _ in pairs] if misses.get(name) else ["all validation targets"]
        sizes[name] = (math.sqrt(math.expm1(rms * rms)), rms, ids)
    return sizes


def write_structural(sizes: Mapping[str, tuple[float, float, list[str]]]) -> None:
    """Rewrite the structural-error section at the end of parameters.toml."""
    from myokinetics.estimators.params import PARAMETER_FILE

    text = PARAMETER_FILE.read_text()
    head = text[:text.index(STRUCTURAL_MARK)]
    intro = text[text.index(STRUCTURAL_MARK):].split("\n\n[")[0]
    blocks = [head + intro]
    for name, (cv, rms, ids) in sizes.items():
        source = (f"[D] validation misses of the ensemble median (structural terms off), "
                  f"RMS ln(model/published) = {rms:.3f} "
                  f"over {', '.join(ids)}: cv = sqrt(exp({rms:.3f}^2) - 1)")
        blocks.append(f"[structural.{name}]\nvalue = 1.0\n"
                      f'unit = "1 (multiplier of the exercise response)"\n'
                      f'distribution = "lognormal"\ncv = {cv:.3f}\nsource = "{source}"\n'
                      f'certainty = "D"\n')
    PARAMETER_FILE.write_text("\n\n".join(blocks))
    parameter_table.cache_clear()


def output_table(results: Sequence[Result]) -> str:
    """Markdown table per curve: how its targets fare (counts of agreeing targets)."""
    rows = ["| curve | targets | median within ×2 of the mean | median in published spread | "
            "mean in 5-95 % band | median abs ln(model/published) |",
            "|---|---|---|---|---|---|"]
    by_curve: dict[str, list[Result]] = {}
    for r in results:
        by_curve.setdefault(r.target["quantity"], []).append(r)
    for name, group in sorted(by_curve.items()):
        errors = [abs(r.log_error) for r in group if r.log_error is not None]
        spread = [r.in_spread for r in group if r.in_spread is not None]
        band = [r.in_band for r in group if r.in_band is not None]

        def count(flags: Sequence[bool]) -> str:
            return f"{sum(flags)}/{len(flags)}" if flags else "–"

        median = f"{np.median(errors):.2f}" if errors else "–"
        rows.append(f"| {name} | {len(group)} | {count([e <= math.log(2.0) for e in errors])} | "
                    f"{count(spread)} | {count(band)} | {median} |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.calibrate")
    parser.add_argument("--fit", action="store_true", help="refit and write calibrated.toml")
    parser.add_argument("--docs", metavar="DIR", type=Path,
                        help="rewrite tables in DIR/science.md and figures in DIR/figures")
    parser.add_argument("--structural", action="store_true",
                        help="size the structural error terms from the validation misses")
    parser.add_argument("--draws", type=int, default=200)
    args = parser.parse_args(argv)
    if args.fit:
        write_calibrated(fit())
    if args.structural:
        with structural_off():
            write_structural(structural_sizes(evaluate("validation", args.draws)))
    results = {which: evaluate(which, args.draws) for which in ("calibration", "validation")}
    for which, res in results.items():
        print(f"\n## {which}\n\n{format_table(res)}\n\n{error_summary(res)}")
    if args.docs:
        from tools.calibrate_docs import write_docs

        write_docs(args.docs, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
