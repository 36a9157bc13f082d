"""``python -m bench epoc``: how our load totals rank activities against Firstbeat's peak EPOC.

Garmin's "Training Load" of an activity is Firstbeat's peak EPOC (mL/kg), which devices write
to FIT session field 168 (raw / 65536; "training_load_peak" in FIT profile 21.x). For every
FIT file of ../shared/fit-corpus that carries it (> 0), with >= 10 min of samples and heart
rate on >= half of them, the athlete is read from the file itself as in ``bench energy`` and
each load total below is ranked against the device's value: Spearman's rho over the files.
This is a check of ranking only; nothing is fitted to the device values.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scipy.stats import spearmanr

from bench.bench_energy import CORPUS, activity_totals, device_figures

#: Load totals compared (label -> totals key; ``{sex}`` is the athlete's sex key).
LOADS = {"epoc_peak_ml_kg": "epoc_ml_kg", "epoc_end_ml_kg": "epoc_end_ml_kg",
         "trimp_banister": "trimp", "hrss": "hrss", "trimp_edwards": "trimp_edwards",
         "energy_kcal": "energy_kcal"}


@dataclass(frozen=True)
class Row:
    """One comparable activity: its sport, duration and the loads (ours and the device's)."""

    name: str
    sport: str
    minutes: float
    device_ml_kg: float
    ours: dict[str, float]


def row_of(path: Path) -> Row | None:
    """The comparison row of one file, or None when it has no field 168 or is not comparable."""
    figures = device_figures(path)
    if not figures.load_peak:
        return None
    found = activity_totals(path, min_kcal=0.0, figures=figures)
    if found is None:
        return None
    sport, totals, _ = found
    per_kg = 1000.0 / totals["body_mass_kg"]
    values = {**totals, "epoc_ml_kg": totals["epoc_l"] * per_kg,
              "epoc_end_ml_kg": totals["epoc_end_l"] * per_kg}
    return Row(path.name, sport, totals["duration_s"] / 60.0, figures.load_peak,
               {label: float(values[key]) for label, key in LOADS.items()})


def rank_correlations(rows: list[Row]) -> dict[str, float]:
    """Spearman's rho of each load against the device's peak EPOC (NaN for < 3 rows)."""
    device = [r.device_ml_kg for r in rows]
    out: dict[str, float] = {}
    for label in LOADS:
        ours = [r.ours[label] for r in rows]
        out[label] = float(spearmanr(ours, device).statistic) if len(rows) >= 3 \
            else float("nan")
    return out


def corpus_rows(corpus: Path = CORPUS, names: Iterable[str] | None = None) -> list[Row]:
    """Rows of every comparable corpus file (or of the ``names`` given) carrying field 168,
    each activity once (a file with the same device value and duration as one already read is
    the same activity written twice, e.g. muktihari's triathlon_summary_first and _last)."""
    rows: dict[tuple[float, float], Row] = {}
    paths = [corpus / name for name in names] if names is not None else \
        [p for p in corpus.iterdir() if p.suffix.lower() == ".fit"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path in sorted(paths):
            row = row_of(path)
            if row is not None:
                rows.setdefault((row.device_ml_kg, row.minutes), row)
    return list(rows.values())


def _table(rows: list[Row]) -> list[str]:
    lines = [f"  {'file':34s} {'sport':9s} {'min':>5s} {'device':>7s} "
             + " ".join(f"{label:>15s}" for label in LOADS)]
    for r in sorted(rows, key=lambda r: r.device_ml_kg):
        cells: list[Any] = [f"{r.ours[label]:15.1f}" for label in LOADS]
        lines.append(f"  {r.name[:34]:34s} {r.sport[:9]:9s} {r.minutes:5.0f} "
                     f"{r.device_ml_kg:7.1f} " + " ".join(cells))
    return lines


def main() -> None:
    if not CORPUS.is_dir():
        print(f"bench epoc: skipped, {CORPUS} is absent")
        return
    rows = corpus_rows()
    print(f"activities with session field 168 (Firstbeat peak EPOC, mL/kg): {len(rows)}")
    print("\n".join(_table(rows)))
    print("Spearman rho against field 168 (ranking only, nothing fitted):")
    for label, rho in rank_correlations(rows).items():
        print(f"  {label:16s} {rho:6.3f}")
