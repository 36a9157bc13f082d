"""The range page: calendar, fitness (CTL/ATL/TSB), load by sport, weekly totals, daily
estimates; each day links to its activities' pages.

Every number comes from the daily table (:func:`myokinetics.daily.table.daily_table`, the
table written as ``daily.csv``); the page sums days into weeks and nothing else.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from myokinetics.palette import OKABE_ITO
from myokinetics.report.figures import band_traces, base_layout
from myokinetics.report.names import Footnotes
from myokinetics.report.page import figure_div, model_card_link, render_page, zone_name

__all__ = ["range_page"]

#: Sequential, colour-blind-safe load scale (light to dark blue) for the calendar cells.
LOAD_COLOURS = ("#deebf7", "#9ecae1", "#4292c6", "#08519c")
#: A range shorter than this is drawn as this many days, so one day is not a full-width bar.
MIN_SPAN_DAYS = 7
#: A day in milliseconds, the unit of bar widths on a date axis.
DAY_MS = 86_400_000
#: From this many days on, lines are drawn without a marker per day.
MANY_DAYS = 60

Link = Callable[[Mapping[str, Any]], str | None]


def _column(table: pd.DataFrame, name: str) -> pd.Series:
    values = table[name] if name in table else pd.Series(np.nan, index=table.index)
    return pd.to_numeric(values, errors="coerce")


def _x_range(dates: pd.DatetimeIndex) -> list[pd.Timestamp]:
    first, last = dates.min(), dates.max()
    pad = max(pd.Timedelta(days=MIN_SPAN_DAYS) - (last - first), pd.Timedelta(0)) / 2
    return [first - pad - pd.Timedelta(hours=12), last + pad + pd.Timedelta(hours=12)]


def _figure(data: list[dict[str, Any]], height: int, y_title: str, dates: pd.DatetimeIndex,
            **extra: Any) -> Any:
    import plotly.graph_objects as go

    layout = base_layout(height, "date (local calendar day)",
                         yaxis={"title": {"text": y_title}}, **extra)
    layout["xaxis"]["range"] = _x_range(dates)
    return go.Figure({"data": data, "layout": layout})


def _calendar(table: pd.DataFrame, documents: Sequence[Mapping[str, Any]], link: Link,
              metric: str) -> str:
    """One cell per day (Monday first), coloured by load; rest days hatched."""
    by_date = {doc["date"]: doc for doc in documents}
    loads = _column(table, f"load.total.{metric}")
    top = float(loads.max()) if loads.notna().any() and loads.max() > 0 else 1.0
    first = dt.date.fromisoformat(table["date"].iloc[0])
    last = dt.date.fromisoformat(table["date"].iloc[-1])
    day = first - dt.timedelta(days=first.weekday())
    rows = []
    while day <= last:
        cells = []
        for _ in range(7):
            doc = by_date.get(day.isoformat())
            if doc is None:
                cells.append('<td class="out"></td>')
            else:
                cells.append(_cell(day, doc, link, metric, top))
            day += dt.timedelta(days=1)
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f"<th>{d}</th>" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
    scale = "".join(
        f'<span style="background:{c};color:{"#fff" if i > 1 else "#000"}">'
        f"{'≥' if i else '>'}{top * i / len(LOAD_COLOURS):.0f}</span>"
        for i, c in enumerate(LOAD_COLOURS))
    return (f'<table class="calendar" id="calendar"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
            f'<p class="legend note">{metric.upper()} of the day: {scale} '
            f'<span class="rest-key">hatched: rest day</span></p>')


def _cell(day: dt.date, doc: Mapping[str, Any], link: Link, metric: str, top: float) -> str:
    activities = doc.get("activities", [])
    label = f'<div class="day">{day:%d %b}</div>'
    if not activities:
        return f'<td class="rest" title="{day}: rest">{label}</td>'
    value = float(doc["load"]["total"].get(metric) or 0.0)
    level = min(int(value / top * len(LOAD_COLOURS)), len(LOAD_COLOURS) - 1)
    colour = LOAD_COLOURS[level]
    text = "#fff" if level > 1 else "#000"
    items = []
    for activity in activities:
        name = f"{activity['sport']} {round(activity['duration_s'] / 60)}′"
        href = link(activity)
        items.append(f'<a href="{html.escape(href)}" style="color:{text}">{html.escape(name)}</a>'
                     if href else f'<span title="id {html.escape(str(activity["id"]))}">'
                     f"{html.escape(name)}</span>")
    return (f'<td style="background:{colour};color:{text}" '
            f'title="{day}: {metric.upper()} {value:.0f}">{label}{"".join(items)}</td>')


def _fitness(table: pd.DataFrame, dates: pd.DatetimeIndex, notes: Footnotes) -> tuple[Any, str]:
    ctl, atl, tsb = (_column(table, f"pmc.{k}") for k in ("ctl", "atl", "tsb"))
    variant = next((v for v in table.get("pmc.variant", pd.Series(dtype=object)).dropna()), None)
    ref = notes.ref(variant)
    mode = "lines+markers" if len(dates) < MANY_DAYS else "lines"
    data = [{"type": "scatter", "x": dates, "y": values, "mode": mode, "name": name,
             "line": {"color": colour, "width": 2, "dash": dash},
             "hovertemplate": "%{y:.1f} a.u./day<extra>" + name + "</extra>"}
            for values, name, colour, dash in (
                (ctl, "CTL (fitness)", OKABE_ITO[0], "solid"),
                (atl, "ATL (fatigue)", OKABE_ITO[3], "solid"),
                (tsb, "TSB (form)", OKABE_ITO[2], "dot"))]
    week = ctl.iloc[-1] - ctl.iloc[-8] if len(ctl) >= 8 else ctl.iloc[-1] - ctl.iloc[0]
    days = min(len(ctl) - 1, 7)
    ramp = (f"Ramp: CTL changed by {week:+.1f} over the last {days} days, "
            f"{week * 7 / days:+.1f} per week." if days else
            "Ramp: one day only, no change of CTL to show.")
    fig = _figure(data, 300, "training load (a.u./day)", dates)
    return fig, (f"{ramp} Load metric: {table.get('pmc.load_metric', pd.Series(['-'])).iloc[0]}"
                 + (f'<sup><a href="#fn{ref}">{ref}</a></sup>' if ref else ""))


def _by_sport(table: pd.DataFrame, dates: pd.DatetimeIndex, metric: str) -> Any:
    prefix, suffix = "load.by_sport.", f".{metric}"
    sports = sorted({c[len(prefix):-len(suffix)] for c in map(str, table.columns)
                     if c.startswith(prefix) and c.endswith(suffix)})
    data = [{"type": "bar", "x": dates, "y": _column(table, f"{prefix}{s}{suffix}").fillna(0),
             "name": s, "marker": {"color": OKABE_ITO[i % 7]}, "width": 0.8 * DAY_MS,
             "hovertemplate": "%{y:.0f} a.u.<extra>" + s + "</extra>"}
            for i, s in enumerate(sports)]
    return _figure(data, 300, f"daily {metric.upper()} (a.u.)", dates, barmode="stack")


def _weekly(table: pd.DataFrame, metric: str) -> Any:
    import plotly.graph_objects as go

    frame = pd.DataFrame({"date": pd.to_datetime(table["date"]),
                          "load": _column(table, f"load.total.{metric}").fillna(0),
                          "hours": _column(table, "load.total.duration_s").fillna(0) / 3600})
    weeks = frame.groupby(frame["date"].dt.to_period("W-SUN")).sum(numeric_only=True)
    starts = [p.start_time for p in weeks.index]
    data = [{"type": "bar", "x": starts, "y": weeks["load"], "name": f"{metric.upper()}",
             "marker": {"color": OKABE_ITO[0]}, "width": 3 * DAY_MS,
             "offset": 0.5 * DAY_MS,
             "hovertemplate": "%{y:.0f} a.u.<extra>week's " + metric.upper() + "</extra>"},
            {"type": "bar", "x": starts, "y": weeks["hours"], "name": "hours", "yaxis": "y2",
             "marker": {"color": OKABE_ITO[1]}, "width": 3 * DAY_MS,
             "offset": 3.5 * DAY_MS,
             "hovertemplate": "%{y:.1f} h<extra>week's training time</extra>"}]
    layout = base_layout(280, "week starting (Monday)",
                         yaxis={"title": {"text": f"{metric.upper()} per week (a.u.)"}},
                         yaxis2={"title": {"text": "training time (h)"}, "overlaying": "y",
                                 "side": "right", "showgrid": False},
                         barmode="overlay", hovermode="x unified")
    layout["margin"]["r"] = 56
    if len(starts) < 4:
        layout["xaxis"]["range"] = [starts[0] - pd.Timedelta(days=14),
                                    starts[-1] + pd.Timedelta(days=14)]
    return go.Figure({"data": data, "layout": layout})


def _estimates(table: pd.DataFrame, dates: pd.DatetimeIndex) -> Any:
    from plotly.subplots import make_subplots

    rows = (("estimates.il6.area", "IL-6 area<br>(pg/mL·h)", "pg/mL·h", "bar", OKABE_ITO[3]),
            ("estimates.glycogen.end", "glycogen, end of day<br>(fraction of rested)",
             "of rested", "line", OKABE_ITO[0]),
            ("estimates.insulin_sensitivity.end",
             "insulin sensitivity,<br>end of day (ratio)", "× rested", "line", OKABE_ITO[2]))
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07)
    for i, (column, title, unit, kind, colour) in enumerate(rows, start=1):
        y = _column(table, column)
        name = title.split("<br>")[0]
        hover = f"%{{y:.3g}} {unit}<extra>{name}</extra>"
        if kind == "bar":
            traces = [{"type": "bar", "x": dates, "y": y, "name": name, "width": 0.8 * DAY_MS,
                       "marker": {"color": colour}, "hovertemplate": hover}]
        else:
            lo, hi = _column(table, f"{column}_lo"), _column(table, f"{column}_hi")
            traces = band_traces(dates, y, lo, hi, name, unit, colour)
            traces[-1]["mode"] = "lines+markers" if len(dates) < MANY_DAYS else "lines"
        for trace in traces:
            fig.add_trace(trace, row=i, col=1)
        fig.update_yaxes(title_text=title, row=i, col=1)
    fig.update_layout(**base_layout(560, "", showlegend=False))
    fig.update_xaxes(title_text="date (local calendar day)", range=_x_range(dates), row=3, col=1)
    return fig


def range_page(documents: Sequence[Mapping[str, Any]], link: Link, script_src: str | None = None,
               metric: str = "trimp") -> str:
    """The range page's HTML.

    Parameters
    ----------
    documents : list of dict
        The days' documents (``YYYY-MM-DD.json``), rest days included, at least one.
    link : callable
        ``link(activity) -> href`` of an activity's page (relative), or None for no link.
    script_src : str, optional
        Relative URL of plotly.js beside the page; None embeds it.
    metric : str
        The daily load shown in the calendar and the load charts (a ``load.total`` key).
    """
    from myokinetics.daily.table import daily_table

    table = daily_table(documents)
    dates = pd.DatetimeIndex(pd.to_datetime(table["date"]))
    first, last = table["date"].iloc[0], table["date"].iloc[-1]
    offsets = sorted(set(_column(table, "utc_offset_s").dropna().astype(int)))
    zones = ", ".join(zone_name(o) for o in offsets) or zone_name(None)
    notes = Footnotes()
    fitness, ramp = _fitness(table, dates, notes)
    active = int((_column(table, "n_activities") > 0).sum())
    body = [f"<h1>Training {first} to {last}</h1>"
            f'<p class="sub">{len(table)} day{"s" * (len(table) != 1)}, {active} with '
            f"activities; days are local "
            f"calendar days ({html.escape(zones)}).</p>",
            f'<section class="card"><h2>Calendar</h2>'
            f"{_calendar(table, documents, link, metric)}</section>",
            f'<section class="card"><h2>Fitness, fatigue and form</h2>'
            f'{figure_div(fitness, "fitness")}<p class="story">{ramp}</p></section>',
            f'<section class="card"><h2>Daily load by sport</h2>'
            f'{figure_div(_by_sport(table, dates, metric), "by-sport")}</section>',
            f'<section class="card"><h2>Weekly totals</h2>'
            f'{figure_div(_weekly(table, metric), "weekly")}</section>',
            f'<section class="card"><h2>Daily estimates</h2><p class="note">Population-model '
            "estimates for a person like you, not measurements (bands: 5–95 % "
            "between people); more in the "
            f"{model_card_link()}.</p>"
            f'{figure_div(_estimates(table, dates), "estimates")}</section>']
    if notes.texts:
        body.append('<h2>Variants</h2><ol class="footnotes">' + "".join(
            f'<li id="fn{i}">{html.escape(t)}</li>' for i, t in enumerate(notes.texts, 1))
            + "</ol>")
    return render_page(f"Training {first} to {last}", "".join(body), script_src)
