"""The day PNG (24 h of curves, activities shaded) and the trend PNG over the range.

Both are rendered on bare matplotlib Figures (no pyplot state, Agg backend) into bytes without
"Software" metadata, so the same numbers give the same PNG bytes. Curves are population-model
estimates, and each figure says so.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = ["day_png", "trend_png"]

NOTE = "model estimates for a population like the athlete, not measurements"

#: Day panels: (curve columns, y label). The first curve of each panel gets its band.
DAY_PANELS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("il6", "il10", "il1ra"), "cytokines (pg/mL)"),
    (("lactate",), "lactate (mmol/L)"),
    (("glycogen", "insulin_sensitivity"), "ratio to rested"),
    (("fat_oxidation", "cho_oxidation"), "oxidation (g/min)"),
)

#: Trend panels: (daily table columns, y label, bars?).
TREND_PANELS: tuple[tuple[tuple[str, ...], str, bool], ...] = (
    (("load.total.trimp",), "TRIMP (a.u.)", True),
    (("pmc.ctl", "pmc.atl", "pmc.tsb"), "CTL / ATL / TSB", False),
    (("estimates.il6.area",), "IL-6 area (pg/mL·h)", True),
    (("estimates.insulin_sensitivity.mean",), "insulin sensitivity\n(24 h mean, ratio)", False),
)


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def day_png(curves: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, utc_offset_s: int,
            spans: list[tuple[pd.Timestamp, pd.Timestamp, str]], title: str) -> bytes:
    """PNG of one day's curves against local clock hours, with the activities shaded.

    Parameters
    ----------
    curves : DataFrame
        The day's slice of the curves (UTC index; DESIGN.md names and units).
    start, end : Timestamp
        UTC bounds of the day's window.
    utc_offset_s : int
        The day's offset (s), to label the axis in local hours.
    spans : list of (start, end, sport)
        The activities (UTC).
    title : str
    """
    midnight = start + pd.Timedelta(seconds=utc_offset_s)
    midnight = midnight.normalize() - pd.Timedelta(seconds=utc_offset_s)

    def hours(times: pd.DatetimeIndex | pd.Timestamp) -> np.ndarray | float:
        return (times - midnight) / pd.Timedelta(hours=1)

    fig = Figure(figsize=(7.5, 7.5), dpi=72)
    axes = fig.subplots(len(DAY_PANELS), 1, sharex=True)
    x = np.asarray(hours(curves.index), dtype="float64")
    for ax, (columns, label) in zip(axes, DAY_PANELS, strict=True):
        for s0, s1, _sport in spans:
            ax.axvspan(hours(s0), hours(s1), color="0.88", lw=0)
        for i, column in enumerate(columns):
            if column not in curves:
                continue
            line, = ax.plot(x, curves[column].to_numpy(), lw=1.2, label=column)
            if i == 0 and f"{column}_lo" in curves:
                ax.fill_between(x, curves[f"{column}_lo"].to_numpy(),
                                curves[f"{column}_hi"].to_numpy(), color=line.get_color(),
                                alpha=0.2, lw=0)
        ax.set_ylabel(label, fontsize=8)
        ax.tick_params(labelsize=7)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper right", fontsize=7, frameon=False)
    axes[-1].set_xlim(hours(start), hours(end))
    axes[-1].set_xticks(np.arange(0, 25, 3))
    axes[-1].set_xlabel(f"local time (h, UTC{utc_offset_s / 3600:+g})", fontsize=8)
    fig.suptitle(f"{title}\n{NOTE}; shaded: activities, bands: 5th-95th percentile",
                 fontsize=8)
    fig.tight_layout()
    return _png(fig)


def trend_png(table: pd.DataFrame) -> bytes:
    """PNG of the range: daily load, CTL/ATL/TSB, daily IL-6 area and insulin sensitivity.

    Parameters
    ----------
    table : DataFrame
        The daily table (see :func:`myokinetics.daily.table.daily_table`).
    """
    dates = pd.to_datetime(table["date"])
    fig = Figure(figsize=(9, 8), dpi=72)
    axes = fig.subplots(len(TREND_PANELS), 1, sharex=True)
    for ax, (columns, label, bars) in zip(axes, TREND_PANELS, strict=True):
        for column in columns:
            if column not in table:
                continue
            values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype="float64")
            name = column.split(".")[-1] if len(columns) > 1 else None
            if bars:
                ax.bar(dates, np.nan_to_num(values), width=0.8, label=name)
            else:
                ax.plot(dates, values, lw=1.2, label=name)
        ax.set_ylabel(label, fontsize=8)
        ax.tick_params(labelsize=7)
        if len(columns) > 1:
            ax.legend(loc="upper left", fontsize=7, frameon=False)
    first, last = table["date"].iloc[0], table["date"].iloc[-1]
    fig.suptitle(f"daily trend {first} to {last} (curves: {NOTE})", fontsize=9)
    fig.autofmt_xdate()
    fig.tight_layout()
    return _png(fig)
