"""Files a person can open from an :class:`~myokinetics.analysis.Analysis`: tables, JSON, PNG,
HTML."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from myokinetics.report.summary import summary

if TYPE_CHECKING:
    from myokinetics.analysis import Analysis

__all__ = ["plot_load", "write_activity_page", "write_analysis"]

FORMATS = ("csv", "parquet")


def _write_table(frame: pd.DataFrame, path: Path, fmt: str) -> Path:
    out = path.with_suffix(f".{fmt}")
    if fmt == "parquet":
        frame.to_parquet(out)
    else:
        frame.to_csv(out, float_format="%.6g")
    return out


def write_analysis(analysis: Analysis, folder: str | Path, fmt: str = "csv", html: bool = True,
                   js_folder: str | Path | None = None) -> list[Path]:
    """Write load, intensity, HRV and curve tables, summary.json, the PNGs and ``report.html``
    into ``folder``.

    ``report.html`` loads ``plotly.min.js`` from ``js_folder`` (default ``folder``), where it
    is written once; ``html=False`` writes no page.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = [_write_table(analysis.load, folder / "load", fmt),
               _write_table(analysis.intensity, folder / "intensity", fmt)]
    if len(analysis.hrv):
        written.append(_write_table(analysis.hrv, folder / "hrv", fmt))
    doc = folder / "summary.json"
    doc.write_text(json.dumps(summary(analysis), indent=2, allow_nan=False) + "\n")
    written.append(doc)
    written.append(plot_load(analysis, folder / "load.png"))
    if analysis.curves is not None:
        from myokinetics.estimators import plot_curves

        written.append(_write_table(analysis.curves, folder / "curves", fmt))
        spans = [(a.samples.index[0], a.samples.index[-1]) for a in analysis.activities
                 if len(a.samples)]
        written.append(plot_curves(analysis.curves, folder / "curves.png", activity_spans=spans))
    if html:
        written += write_activity_page(analysis, folder / "report.html", js_folder or folder)
    return written


def write_activity_page(analysis: Analysis, path: Path, js_folder: Path | None) -> list[Path]:
    """Write the activity page at ``path``; plotly.js beside it in ``js_folder`` (written once
    there), or embedded when ``js_folder`` is None. Returns the files written."""
    from myokinetics.report.activity_page import activity_page
    from myokinetics.report.page import write_plotly_js

    if js_folder is None:
        path.write_text(activity_page(analysis), encoding="utf-8")
        return [path]
    script = write_plotly_js(Path(js_folder))
    src = Path(os.path.relpath(script, path.parent)).as_posix()
    path.write_text(activity_page(analysis, src), encoding="utf-8")
    return [path, script]


def plot_load(analysis: Analysis, path: str | Path) -> Path:
    """PNG: heart rate over the zone bands, intensity, cumulative load."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    intensity, load, athlete = analysis.intensity, analysis.load, analysis.athlete
    fig, axes = plt.subplots(3, 1, figsize=(10, 8), sharex=True, constrained_layout=True)
    bounds = [athlete.hr_rest, *athlete.zones]
    colours = ["#cfe8ff", "#c8f0c8", "#fff3b0", "#ffd6a5", "#ffadad"]
    for z, (low, high) in enumerate(itertools.pairwise(bounds)):
        axes[0].axhspan(low, high, color=colours[z], zorder=0)
        axes[0].text(0.005, (low + high) / 2, f"Z{z + 1}", transform=axes[0].get_yaxis_transform(),
                     va="center", fontsize=8)
    axes[0].plot(intensity.index, intensity["heart_rate"], color="#b00020", lw=0.8)
    axes[0].set_ylabel("heart rate (bpm)")
    axes[1].plot(intensity.index, intensity["pct_hrr"], lw=0.8, label="%HRR")
    axes[1].plot(intensity.index, intensity["pct_vo2max"], lw=0.8, label="%VO2max")
    axes[1].set_ylabel("intensity (%)")
    axes[1].legend(loc="upper right", fontsize=8)
    totals = analysis.totals
    variants = totals.get("variants", {})
    trimp_name = variants.get("trimp", "trimp")
    if trimp_name in load:
        axes[2].plot(load.index, load[trimp_name].cumsum(), label=f"{trimp_name} (cumulative)")
    axes[2].plot(load.index, load["trimp_edwards"].cumsum(), label="trimp_edwards (cumulative)")
    axes[2].set_ylabel("load (a.u.)")
    twin = axes[2].twinx()
    twin.plot(load.index, load["epoc_myokinetics_l"], color="grey", ls="--",
              label="EPOC (L O2, model)")
    twin.set_ylabel("EPOC (L O2)")
    axes[2].legend(loc="upper left", fontsize=8)
    twin.legend(loc="lower right", fontsize=8)
    axes[2].set_xlabel("time (UTC)")
    axes[0].set_title(f"TRIMP {totals.get('trimp', float('nan')):.0f} · HRSS "
                      f"{totals.get('hrss', float('nan')):.0f} · "
                      f"coverage {100 * totals.get('hr_coverage', 0):.0f} %")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
