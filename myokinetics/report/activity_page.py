"""The activity page: header card, heart rate, zones, load, HRV, power and the organ curves.

Every number is read from the analysis' tables (the ones written as CSV) and from
:func:`~myokinetics.report.files.summary` (summary.json); the page only formats and draws them.
"""

from __future__ import annotations

import html
import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from myokinetics.palette import OKABE_ITO
from myokinetics.report.figures import band_traces, base_layout, local_times, offset_s, shade
from myokinetics.report.names import TOTALS, Footnotes, variant_of
from myokinetics.report.page import (
    figure_div,
    local_axis_title,
    model_card_link,
    render_page,
    zone_name,
)

if TYPE_CHECKING:
    from myokinetics.analysis import Analysis

__all__ = ["activity_page", "moving_time_s"]

#: Speed (m/s) at or above which a second counts as moving.
MOVING_SPEED = 0.5
#: Longest gap (s) between samples counted as moving time (a pause longer than this is not).
MOVING_GAP_S = 10.0

POPULATION = ("The curves are population-model estimates for a person like you, not "
              "measurements: the line is the median of the model's parameter draws and the "
              "band the 5–95 % range between people.")


def moving_time_s(samples: pd.DataFrame) -> float | None:
    """Seconds moving: each interval between samples whose closing sample is at or above
    :data:`MOVING_SPEED`, intervals above :data:`MOVING_GAP_S` left out; None without speed."""
    if "speed" not in samples or not samples["speed"].notna().any():
        return None
    seconds = (samples.index - samples.index[0]).total_seconds().to_numpy()
    gaps = np.diff(seconds)
    moving = (samples["speed"].to_numpy(dtype="float64")[1:] >= MOVING_SPEED) \
        & (gaps <= MOVING_GAP_S)
    return float(gaps[moving].sum())


def _duration(seconds: float | None) -> str:
    if seconds is None or not np.isfinite(seconds):
        return "–"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def _fact(name: str, value: str, note: int | None = None) -> str:
    mark = f'<sup><a href="#fn{note}">{note}</a></sup>' if note else ""
    return f"<div><dt>{html.escape(name)}{mark}</dt><dd>{html.escape(value)}</dd></div>"


def _header(analysis: Analysis, doc: dict[str, Any], offset: float | None,
            notes: Footnotes) -> tuple[str, str]:
    """The page title (plain text) and the header: title, sources, facts card, notes."""
    totals, variants = doc["totals"], doc["variants"]
    first = analysis.activities[0].meta
    sports = " + ".join(dict.fromkeys(
        a.meta.sport + (f" ({a.meta.sub_sport})" if a.meta.sub_sport else "")
        for a in analysis.activities))
    device = " ".join(str(p) for p in (first.manufacturer, first.product) if p) or "unknown"
    start = analysis.intensity.index[0]
    local = local_times(pd.DatetimeIndex([start]), offset)[0]
    moving = [moving_time_s(a.samples) for a in analysis.activities]
    facts = [_fact("sport", sports), _fact("device", device),
             _fact("start", f"{local:%a %d %b %Y, %H:%M} ({zone_name(offset)})"),
             _fact("duration", _duration(totals.get("duration_s"))),
             _fact("moving time", _duration(sum(m for m in moving if m is not None))
                   if any(m is not None for m in moving) else "– (no speed)")]
    for key, (name, unit) in TOTALS.items():
        value = totals.get(key)
        if value is not None:
            facts.append(_fact(name, f"{value:.3g} {unit}".strip(),
                               notes.ref(variant_of(key, variants))))
    facts.append(_fact("HR coverage", f"{100 * totals.get('hr_coverage', 0):.0f} %"))
    if totals.get("rr_artifact_pct") is not None:
        facts.append(_fact("RR artifacts", f"{totals['rr_artifact_pct']:.2g} %",
                           notes.ref(variant_of("rr_filter", variants))))
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in doc["warnings"])
    sources = ", ".join(html.escape(str(a.meta.source or "in memory"))
                        for a in analysis.activities)
    title = f"{sports}: {local:%a %d %b %Y %H:%M}"
    notes_html = (f'<details class="warn"><summary>{len(doc["warnings"])} data-quality '
                  f"notes</summary><ul>{warnings}</ul></details>" if warnings else "")
    return title, (f"<h1>{html.escape(title)}</h1><p class=\"sub\">{sources}</p>"
                   f'<section class="card"><dl class="facts">{"".join(facts)}</dl>'
                   f"{notes_html}</section>")


def _figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> Any:
    import plotly.graph_objects as go

    return go.Figure({"data": data, "layout": layout})


def _boundaries(analysis: Analysis, offset: float | None) -> tuple[list[dict], list[dict]]:
    """Shapes and labels of the laps (dotted) and of multisport segments (solid, named)."""
    shapes, labels = [], []
    for activity in analysis.activities:
        sessions = activity.sessions
        segments = len(sessions) > 1 or len(analysis.activities) > 1
        for frame, dash in ((activity.laps, "dot"), (sessions if segments else None, "solid")):
            if frame is None or "start" not in getattr(frame, "columns", ()):
                continue
            starts = pd.DatetimeIndex(pd.to_datetime(frame["start"], utc=True))
            for when, sport in zip(local_times(starts, offset), frame.get(
                    "sport", pd.Series([None] * len(frame))), strict=True):
                shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": when,
                               "x1": when, "y0": 0, "y1": 1,
                               "line": {"color": "#555", "width": 1 if dash == "dot" else 2,
                                        "dash": dash}})
                if dash == "solid" and sport:
                    labels.append({"x": when, "y": 1, "xref": "x", "yref": "paper",
                                   "text": str(sport), "showarrow": False, "xanchor": "left",
                                   "yanchor": "top", "font": {"size": 11}})
    return shapes, labels


def _heart_rate(analysis: Analysis, offset: float | None) -> Any:
    intensity, athlete = analysis.intensity, analysis.athlete
    x = local_times(intensity.index, offset)
    shapes, labels = _boundaries(analysis, offset)
    bounds = [float(athlete.hr_rest or 0.0), *athlete.zones] if athlete.zones else []
    for z, (low, high) in enumerate(itertools.pairwise(bounds)):
        shapes.append({"type": "rect", "xref": "paper", "yref": "y", "x0": 0, "x1": 1,
                       "y0": low, "y1": high, "layer": "below", "line": {"width": 0},
                       "fillcolor": f"rgba(0,114,178,{0.04 + 0.05 * z:.2f})"})
        labels.append({"x": 1, "xref": "paper", "xanchor": "right", "y": (low + high) / 2,
                       "yref": "y", "text": f"Z{z + 1}", "showarrow": False,
                       "font": {"size": 11, "color": "#333"}})
    trace = {"type": "scatter", "x": x, "y": intensity["heart_rate"], "mode": "lines",
             "name": "heart rate", "line": {"color": OKABE_ITO[3], "width": 1.4},
             "hovertemplate": "%{y:.0f} bpm<extra>heart rate</extra>"}
    return _figure([trace], base_layout(
        320, local_axis_title(offset), shapes=shapes, annotations=labels, showlegend=False,
        yaxis={"title": {"text": "heart rate (bpm)"}}))


def _zones(doc: dict[str, Any], analysis: Analysis) -> Any:
    totals = doc["totals"]
    bounds = [analysis.athlete.hr_rest, *(analysis.athlete.zones or [])]
    names, minutes = [], []
    for z in range(1, 6):
        span = (f" ({bounds[z - 1]:.0f}–{bounds[z]:.0f} bpm)" if len(bounds) > z else "")
        names.append(f"Z{z}{span}")
        minutes.append((totals.get(f"time_z{z}_s") or 0) / 60)
    trace = {"type": "bar", "orientation": "h", "y": names, "x": minutes,
             "marker": {"color": [OKABE_ITO[i] for i in (5, 2, 6, 1, 3)]},
             "hovertemplate": "%{x:.1f} min<extra>%{y}</extra>"}
    return _figure([trace], base_layout(
        240, "time in zone (min)", showlegend=False, hovermode="closest",
        yaxis={"automargin": True, "autorange": "reversed"}))


def _load(analysis: Analysis, doc: dict[str, Any], offset: float | None,
          notes: Footnotes) -> Any:
    load, variants = analysis.load, doc["variants"]
    ends = local_times(load.index, offset) + pd.to_timedelta(load["window_s"], unit="s")
    data = []
    for key, colour in (("trimp", OKABE_ITO[0]), ("hrss", OKABE_ITO[1])):
        column = variant_of(key, variants)
        column = column.split(" ")[0] if column else None
        if column in load:
            name = f"{TOTALS[key][0]} [{notes.ref(variant_of(key, variants))}]"
            data.append({"type": "scatter", "x": ends, "y": load[column].cumsum(),
                         "mode": "lines", "name": name, "line": {"color": colour, "width": 2},
                         "hovertemplate": "%{y:.1f} a.u.<extra>" + name + "</extra>"})
    return _figure(data, base_layout(280, local_axis_title(offset),
                                     yaxis={"title": {"text": "accumulated load (a.u.)"}}))


def _rows(rows: list[tuple[list[dict[str, Any]], str]], x_title: str,
          shapes: list[dict[str, Any]] | None = None) -> Any:
    """A figure of stacked rows sharing the time axis (titled under the last row); each row
    is (traces, y title)."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=len(rows), cols=1, shared_xaxes=True, vertical_spacing=0.08)
    for i, (traces, title) in enumerate(rows, start=1):
        for trace in traces:
            fig.add_trace(trace, row=i, col=1)
        fig.update_yaxes(title_text=title, row=i, col=1)
    layout = base_layout(170 * len(rows) + 90, x_title, shapes=shapes or [])
    layout.pop("xaxis")  # the first row's axis; the title goes under the last row
    fig.update_layout(**layout)
    fig.update_xaxes(title_text=x_title, automargin=True, row=len(rows), col=1)
    return fig


def _hrv(analysis: Analysis, offset: float | None) -> Any:
    hrv = analysis.hrv
    x = local_times(hrv.index, offset)
    rmssd = {"type": "scatter", "x": x, "y": hrv["rmssd_ms"], "mode": "lines+markers",
             "name": "RMSSD", "marker": {"size": 4}, "line": {"color": OKABE_ITO[0]},
             "hovertemplate": "%{y:.1f} ms<extra>RMSSD</extra>"}
    alpha = {"type": "scatter", "x": x, "y": hrv["dfa_alpha1"], "mode": "lines+markers",
             "name": "DFA α1", "marker": {"size": 4}, "line": {"color": OKABE_ITO[2]},
             "hovertemplate": "%{y:.2f}<extra>DFA α1</extra>"}
    thresholds = [{"type": "line", "xref": "x2 domain", "yref": "y2", "x0": 0, "x1": 1,
                   "y0": level, "y1": level, "line": {"color": "#000", "dash": dash,
                                                      "width": 1}}
                  for level, dash in ((0.75, "dash"), (0.5, "dot"))]
    fig = _rows([([rmssd], "RMSSD (ms)"),
                     ([alpha], "DFA α1 (no unit)")], local_axis_title(offset), thresholds)
    for level, text in ((0.75, "0.75 aerobic threshold"), (0.5, "0.5 anaerobic threshold")):
        fig.add_annotation(x=1, xref="x2 domain", xanchor="right", y=level, yref="y2",
                           yanchor="bottom", text=text, showarrow=False, font={"size": 11})
    return fig


def _power(analysis: Analysis, offset: float | None) -> Any | None:
    frames = [a.samples["power"].dropna() for a in analysis.activities if "power" in a.samples]
    power = pd.concat(frames) if frames else pd.Series(dtype="float64")
    if not len(power):
        return None
    rows = [([{"type": "scatter", "x": local_times(power.index, offset), "y": power,
               "mode": "lines", "name": "power", "line": {"color": OKABE_ITO[4], "width": 1},
               "hovertemplate": "%{y:.0f} W<extra>power</extra>"}], "power (W)")]
    load = analysis.load
    if "wbal_min_j" in load and load["wbal_min_j"].notna().any():
        rows.append(([{"type": "scatter", "x": local_times(load.index, offset),
                       "y": load["wbal_min_j"] / 1000, "mode": "lines", "name": "W′bal",
                       "line": {"color": OKABE_ITO[0], "shape": "hv"},
                       "hovertemplate": "%{y:.1f} kJ<extra>W′bal (window minimum)</extra>"}],
                     "W′bal, window minimum (kJ)"))
    return _rows(rows, local_axis_title(offset))


def _organs(analysis: Analysis, doc: dict[str, Any], offset: float | None) -> str:
    from myokinetics.estimators import AXIS_UNITS, LABELS, ORGANS
    from myokinetics.report.story import organ_line

    curves = analysis.curves
    if curves is None:
        return ""
    stats = doc["curves"]["summary"]
    x = local_times(curves.index, offset)
    ends = [local_times(a.samples.index[[0, -1]], offset) for a in analysis.activities
            if len(a.samples)]
    spans = [(pair[0], pair[1]) for pair in ends]
    start = analysis.intensity.index[0]
    parts = [f'<h2>The curves, by organ</h2><p class="note">{POPULATION} Grey: the activity; '
             f"the curves go on through the recovery. More in the {model_card_link()}.</p>"]
    for organ, names in ORGANS.items():
        rows = []
        for i, name in enumerate(names):
            label, unit = LABELS[name], AXIS_UNITS[name]
            traces = band_traces(x, curves[name], curves[f"{name}_lo"], curves[f"{name}_hi"],
                                 label, unit, OKABE_ITO[i % 7])
            rows.append((traces, f"{label}<br>({unit})"))
        fig = _rows(rows, local_axis_title(offset))
        fig.update_layout(showlegend=False,
                          shapes=[{**s, "yref": "paper"} for s in shade(spans)])
        slug = organ.replace(" ", "-")
        line = organ_line(organ, curves, stats, offset or 0.0, start)
        parts.append(f'<section class="card"><h2>{organ[0].upper()}{organ[1:]}</h2>'
                     f"{figure_div(fig, f'organ-{slug}')}"
                     f'<p class="story">{html.escape(line)}</p></section>')
    return "".join(parts)


def activity_page(analysis: Analysis, script_src: str | None = None) -> str:
    """The activity page's HTML.

    Parameters
    ----------
    analysis : Analysis
        With at least one timed sample.
    script_src : str, optional
        Relative URL of plotly.js beside the page; None embeds it.
    """
    from myokinetics.report.summary import summary

    doc = summary(analysis)
    offset = offset_s(analysis)
    notes = Footnotes()
    title, header = _header(analysis, doc, offset, notes)
    body = [header]
    sections: list[tuple[str, str, Any]] = [
        ("Heart rate, zones and laps", "hr", _heart_rate(analysis, offset)),
        ("Time in zones", "zones", _zones(doc, analysis)),
        ("Load accumulating", "load", _load(analysis, doc, offset, notes)),
    ]
    if len(analysis.hrv):
        sections.append(("Heart-rate variability", "hrv", _hrv(analysis, offset)))
    power = _power(analysis, offset)
    if power is not None:
        sections.append(("Power and W′ balance", "power", power))
    body += [f'<section class="card"><h2>{title}</h2>{figure_div(fig, div)}</section>'
             for title, div, fig in sections]
    body.append(_organs(analysis, doc, offset))
    if notes.texts:
        body.append('<h2>Variants</h2><ol class="footnotes">' + "".join(
            f'<li id="fn{i}">{html.escape(t)}</li>' for i, t in enumerate(notes.texts, 1))
            + "</ol>")
    return render_page(title, "".join(body), script_src)
