"""Files a person can open from an :class:`~myokinetics.analysis.Analysis`: tables, JSON, PNG,
HTML."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from myokinetics.palette import OKABE_ITO
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
        from myokinetics.report.figures import describe, offset_s

        written.append(_write_table(analysis.curves, folder / "curves", fmt))
        spans = [(a.samples.index[0], a.samples.index[-1]) for a in analysis.activities
                 if len(a.samples)]
        written.append(plot_curves(analysis.curves, folder / "curves.png", activity_spans=spans,
                                   title=describe(analysis), utc_offset_s=offset_s(analysis)))
    if html:
        written += write_activity_page(analysis, folder / "report.html",
                                       Path(js_folder) if js_folder is not None else folder)
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


def _segment_starts(analysis: Analysis) -> list[tuple[pd.Timestamp, str]]:
    """(UTC start, sport) of each multisport segment or recording; empty for a single one."""
    out = []
    for activity in analysis.activities:
        sessions = activity.sessions
        if len(sessions) > 1 and "start" in sessions:
            out += [(pd.Timestamp(t), str(sport)) for t, sport in
                    zip(sessions["start"], sessions.get("sport", [""] * len(sessions)),
                        strict=True)]
        elif len(activity.samples):
            out.append((activity.samples.index[0], activity.meta.sport))
    return out if len(out) > 1 else []


def plot_load(analysis: Analysis, path: str | Path) -> Path:
    """PNG: heart rate over the zone bands, intensity, cumulative load (and power when
    recorded), in the recording's local time; multisport segments marked; load names human,
    their variants in footnotes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from myokinetics.report.figures import describe, local_times, offset_s
    from myokinetics.report.names import TOTALS, Footnotes, variant_of
    from myokinetics.report.page import local_axis_title

    path = Path(path)
    intensity, load, athlete = analysis.intensity, analysis.load, analysis.athlete
    offset = offset_s(analysis)
    frames = [a.samples["power"].dropna() for a in analysis.activities if "power" in a.samples]
    power = pd.concat(frames) if frames else pd.Series(dtype="float64")
    rows = 4 if len(power) else 3
    fig, axes = plt.subplots(rows, 1, figsize=(10, 2.6 * rows + 0.6), sharex=True,
                             constrained_layout=True)
    for ax in axes:
        ax.set_prop_cycle(color=OKABE_ITO)
    bounds = [float(athlete.hr_rest or 0.0), *athlete.zones] if athlete.zones else []
    colours = ["#cfe8ff", "#c8f0c8", "#fff3b0", "#ffd6a5", "#ffadad"]
    for z, (low, high) in enumerate(itertools.pairwise(bounds)):
        axes[0].axhspan(low, high, color=colours[z], zorder=0)
        axes[0].text(0.005, (low + high) / 2, f"Z{z + 1}", transform=axes[0].get_yaxis_transform(),
                     va="center", fontsize=8)
    x = local_times(intensity.index, offset)
    axes[0].plot(x, intensity["heart_rate"], color=OKABE_ITO[3], lw=0.8)
    axes[0].set_ylabel("heart rate (bpm)")
    axes[1].plot(x, intensity["pct_hrr"], lw=0.8, label="%HRR")
    axes[1].plot(x, intensity["pct_vo2r"], lw=0.8, label="%VO2R (estimated)")
    axes[1].set_ylabel("intensity (%)")
    axes[1].legend(loc="upper right", fontsize=8)
    totals, variants, notes = analysis.totals, analysis.totals.get("variants", {}), Footnotes()
    ends = local_times(load.index, offset) + pd.to_timedelta(load["window_s"], unit="s")
    for key in ("trimp", "trimp_edwards"):
        text = variant_of(key, variants)
        column = text.split(" ")[0] if text else None
        if column in load:
            axes[2].plot(ends, load[column].cumsum(),
                         label=f"{TOTALS[key][0]} [{notes.ref(text)}] (cumulative)")
    axes[2].set_ylabel("load (a.u.)")
    twin = axes[2].twinx()
    twin.plot(ends, load["epoc_myokinetics_l"], color="grey", ls="--",
              label=f"EPOC [{notes.ref(variant_of('epoc_end_l', variants))}]")
    twin.set_ylabel("EPOC (L O2)")
    axes[2].legend(loc="upper left", fontsize=8)
    twin.legend(loc="lower right", fontsize=8)
    if len(power):
        axes[3].plot(local_times(power.index, offset), power, lw=0.6, color=OKABE_ITO[4])
        axes[3].set_ylabel("power (W)")
    for when, sport in _segment_starts(analysis):
        at = local_times(pd.DatetimeIndex([when]), offset)[0]
        for ax in axes:
            ax.axvline(at, color="black", lw=1.2)
        axes[0].text(at, 1.0, f" {sport}", transform=axes[0].get_xaxis_transform(),
                     va="top", fontsize=8)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    axes[-1].xaxis.set_major_locator(locator)
    axes[-1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes[-1].set_xlabel(local_axis_title(offset))
    axes[0].set_title(f"{describe(analysis)}\nTRIMP {totals.get('trimp', float('nan')):.0f} · "
                      f"HRSS {totals.get('hrss', float('nan')):.0f} · "
                      f"HR coverage {100 * totals.get('hr_coverage', 0):.0f} %", fontsize=10)
    if notes.texts:
        fig.text(0.01, -0.01, "\n".join(f"[{i}] {t}" for i, t in enumerate(notes.texts, 1)),
                 va="top", fontsize=7, color="0.3")
    fig.savefig(path, dpi=110, bbox_inches="tight")  # "tight" takes in the footnotes below
    plt.close(fig)
    return path
