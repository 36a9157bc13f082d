"""The day PNG (24 h of curves, activities shaded) and the trend PNG over the range.

Both are rendered on bare matplotlib Figures (no pyplot state, Agg backend) into bytes without
"Software" metadata, so the same numbers give the same PNG bytes. Curves are population-model
estimates, and each figure says so.
"""

from __future__ import annotations

import io

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from myokinetics.estimators import LABELS
from myokinetics.palette import OKABE_ITO

__all__ = ["DayPlotter", "day_png", "render_day", "trend_png"]

NOTE = "model estimates for a population like the athlete, not measurements"

#: Day panels: (curve columns, y label). The first curve of each panel gets its band.
DAY_PANELS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("il6", "il10"), "IL-6, IL-10 (pg/mL)"),
    (("il1ra",), "IL-1ra (pg/mL)"),
    (("lactate",), "lactate (mmol/L)"),
    (("glycogen", "insulin_sensitivity"), "ratio to rested"),
    (("fat_oxidation", "cho_oxidation"), "oxidation (g/min)"),
)

#: Trend panels: (daily table columns, y label, bars?).
TREND_PANELS: tuple[tuple[tuple[str, ...], str, bool], ...] = (
    (("load.total.trimp",), "TRIMP (a.u.)", True),
    (("pmc.ctl", "pmc.atl", "pmc.tsb"), "training load\n(a.u./day)", False),
    (("estimates.il6.area",), "IL-6 area\n(pg/mL·h)", True),
    (("estimates.insulin_sensitivity.mean",), "insulin sensitivity\n(24 h mean, ratio)", False),
)

#: Legend names of the trend's daily table columns.
TREND_NAMES = {"pmc.ctl": "CTL (fitness)", "pmc.atl": "ATL (fatigue)", "pmc.tsb": "TSB (form)"}

#: Resolution (dots per inch) of both PNGs: a 7.5 x 8.5 in day figure is 675 x 765 px, text
#: of 9-10 pt is 11-12 px. Each step up costs render time on every day of a daily run.
DPI = 90
#: A trend shorter than this many days is drawn this wide, so one day is one bar, not the width.
MIN_TREND_DAYS = 7


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # Fast zlib level: the plots are rendered for every day, and size matters less than time.
    fig.savefig(buffer, format="png", metadata={"Software": None},
                pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


class DayPlotter:
    """Renders day PNGs on one reused figure (building a figure costs more than drawing it).

    Every call sets everything that varies (data, limits, spans, bands, title) explicitly, so
    a day's PNG depends only on that day's numbers, never on the days drawn before it.
    """

    def __init__(self) -> None:
        self.fig = Figure(figsize=(7.5, 8.5), dpi=DPI)
        self.axes = self.fig.subplots(len(DAY_PANELS), 1, sharex=True)
        self.lines: dict[str, Line2D] = {}
        for ax, (columns, label) in zip(self.axes, DAY_PANELS, strict=True):
            ax.set_prop_cycle(color=OKABE_ITO)
            for column in columns:
                self.lines[column], = ax.plot([], [], lw=1.4, label=LABELS[column])
            ax.set_ylabel(label, fontsize=10)
            ax.tick_params(labelsize=9)
            ax.legend(loc="upper right", fontsize=9, frameon=False)
        self.axes[-1].set_xticks(np.arange(0, 25, 3))
        self.title = self.fig.suptitle("", fontsize=10)
        self.fig.subplots_adjust(left=0.12, right=0.98, top=0.89, bottom=0.07, hspace=0.14)
        self._drawn: list[Artist] = []

    def render(self, curves: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
               utc_offset_s: int, spans: list[tuple[pd.Timestamp, pd.Timestamp, str]],
               title: str) -> bytes:
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
        for artist in self._drawn:
            artist.remove()
        self._drawn = []
        midnight = (start + pd.Timedelta(seconds=utc_offset_s)).normalize() \
            - pd.Timedelta(seconds=utc_offset_s)

        def hours(time: pd.Timestamp) -> float:
            return float((time - midnight) / pd.Timedelta(hours=1))

        x = ((pd.DatetimeIndex(curves.index) - midnight) / pd.Timedelta(hours=1)).to_numpy(
            dtype="float64")
        for ax, (columns, _label) in zip(self.axes, DAY_PANELS, strict=True):
            for s0, s1, _sport in spans:
                self._drawn.append(ax.axvspan(hours(s0), hours(s1), color="0.88", lw=0))
            low, high = np.inf, -np.inf
            for i, column in enumerate(columns):
                line = self.lines[column]
                y = curves[column].to_numpy(dtype="float64") if column in curves \
                    else np.empty(0)
                line.set_data(x if len(y) else np.empty(0), y)
                shown = [y]
                if i == 0 and len(y) and f"{column}_lo" in curves:
                    lo = curves[f"{column}_lo"].to_numpy(dtype="float64")
                    hi = curves[f"{column}_hi"].to_numpy(dtype="float64")
                    self._drawn.append(ax.fill_between(x, lo, hi, color=line.get_color(),
                                                       alpha=0.2, lw=0))
                    shown += [lo, hi]
                for values in shown:
                    finite = values[np.isfinite(values)]
                    if len(finite):
                        low, high = min(low, finite.min()), max(high, finite.max())
            if not np.isfinite(low):
                low, high = 0.0, 1.0
            pad = 0.05 * (high - low) if high > low else max(abs(high), 1.0) * 0.05
            ax.set_ylim(low - pad, high + pad)
        self.axes[-1].set_xlim(hours(start), hours(end))
        self.axes[-1].set_xlabel(f"local time (h, UTC{utc_offset_s / 3600:+g})", fontsize=10)
        self.title.set_text(f"{title}\n{NOTE}\nshaded: activities, "
                            "bands: 5th-95th percentile")
        return _png(self.fig)


_PLOTTER: list[DayPlotter] = []  # one per process, made at the first day drawn


def render_day(curves: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
               utc_offset_s: int, spans: list[tuple[pd.Timestamp, pd.Timestamp, str]],
               title: str) -> bytes:
    """One day PNG on this process's reused :class:`DayPlotter` (same bytes as a fresh one)."""
    if not _PLOTTER:
        _PLOTTER.append(DayPlotter())
    return _PLOTTER[0].render(curves, start, end, utc_offset_s, spans, title)


def day_png(curves: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, utc_offset_s: int,
            spans: list[tuple[pd.Timestamp, pd.Timestamp, str]], title: str) -> bytes:
    """One day PNG on a fresh figure (see :meth:`DayPlotter.render` for the parameters)."""
    return DayPlotter().render(curves, start, end, utc_offset_s, spans, title)


def trend_png(table: pd.DataFrame) -> bytes:
    """PNG of the range: daily load, CTL/ATL/TSB, daily IL-6 area and insulin sensitivity.

    A range shorter than :data:`MIN_TREND_DAYS` is drawn that wide, with a marker on each day's
    value, so a single day shows one bar and one point per line.

    Parameters
    ----------
    table : DataFrame
        The daily table (see :func:`myokinetics.daily.table.daily_table`).
    """
    dates = pd.to_datetime(table["date"])
    fig = Figure(figsize=(9, 8), dpi=DPI)
    axes = fig.subplots(len(TREND_PANELS), 1, sharex=True)
    for ax, (columns, label, bars) in zip(axes, TREND_PANELS, strict=True):
        ax.set_prop_cycle(color=OKABE_ITO)
        for column in columns:
            if column not in table:
                continue
            values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype="float64")
            name = TREND_NAMES.get(column) if len(columns) > 1 else None
            if bars:
                ax.bar(dates, np.nan_to_num(values), width=0.8, label=name)
            else:
                ax.plot(dates, values, lw=1.4, label=name,
                        marker="o" if len(dates) < 60 else None, ms=4)
        ax.set_ylabel(label, fontsize=10)
        ax.tick_params(labelsize=9)
        if len(columns) > 1:
            ax.legend(loc="upper left", fontsize=9, frameon=False)
    pad = max(pd.Timedelta(days=MIN_TREND_DAYS) - (dates.max() - dates.min()),
              pd.Timedelta(0)) / 2
    axes[-1].set_xlim(dates.min() - pad - pd.Timedelta(hours=12),
                      dates.max() + pad + pd.Timedelta(hours=12))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    locator.intervald[mdates.HOURLY] = []  # whole days only, never hours
    axes[-1].xaxis.set_major_locator(locator)
    axes[-1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes[-1].set_xlabel("date (local calendar day)", fontsize=10)
    first, last = table["date"].iloc[0], table["date"].iloc[-1]
    fig.suptitle(f"daily trend {first} to {last}\n(curves: {NOTE})", fontsize=10)
    fig.subplots_adjust(left=0.11, right=0.98, top=0.92, bottom=0.08, hspace=0.14)
    return _png(fig)
