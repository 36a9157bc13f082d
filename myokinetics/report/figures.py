"""Plotly building blocks shared by the pages: layout, local-time axes, bands, bar charts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from myokinetics.palette import OKABE_ITO
from myokinetics.report.page import zone_name

if TYPE_CHECKING:
    from myokinetics.analysis import Analysis

__all__ = ["band_traces", "base_layout", "describe", "local_times", "offset_s", "shade"]

#: Light fill of the activity and the heart-rate zone bands (grey ramp, readable without colour).
SHADE = "rgba(0,0,0,0.08)"


def local_times(index: pd.Index, offset_s: float | None) -> pd.DatetimeIndex:
    """UTC times (a time index) as naive local wall-clock times (UTC when the offset is
    unknown)."""
    naive = pd.DatetimeIndex(index).tz_convert("UTC").tz_localize(None)
    return naive + pd.Timedelta(seconds=offset_s or 0)


def offset_s(analysis: Analysis) -> float | None:
    """The local UTC offset (s) of the analysis: its first recording's that has one."""
    for activity in analysis.activities:
        if activity.meta.utc_offset is not None:
            return activity.meta.utc_offset.total_seconds()
    return None


def describe(analysis: Analysis) -> str:
    """``run.fit · running · Sun 12 May 2024 07:30 (UTC+02:00)``: files, sports, local start."""
    files = ", ".join(dict.fromkeys(Path(a.meta.source).name if a.meta.source else "in memory"
                                    for a in analysis.activities))
    sports = " + ".join(dict.fromkeys(a.meta.sport for a in analysis.activities))
    offset = offset_s(analysis)
    start = local_times(analysis.intensity.index[:1], offset)
    when = f"{start[0]:%a %d %b %Y %H:%M} ({zone_name(offset)})" if len(start) else "no samples"
    return f"{files} · {sports} · {when}"


def base_layout(height: int, x_title: str, **extra: Any) -> dict[str, Any]:
    """Layout of every figure: palette, legend above the plot (no overlap on a phone), margins."""
    layout: dict[str, Any] = {
        "height": height, "autosize": True, "colorway": list(OKABE_ITO),
        "template": "plotly_white", "hovermode": "x unified",
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                 "size": 13},
        "margin": {"l": 64, "r": 16, "t": 36, "b": 48},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
    }
    layout.update(extra)
    return layout


def band_traces(x: pd.DatetimeIndex, centre: Any, low: Any, high: Any, name: str, unit: str,
                colour: str, **axes: str) -> list[dict[str, Any]]:
    """The 5-95 % band (filled, no hover) and the median line (hover: value and unit)."""
    fill = "rgba({},{},{},0.22)".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))
    return [
        {"type": "scatter", "x": x, "y": high, "mode": "lines", "line": {"width": 0},
         "hoverinfo": "skip", "showlegend": False, "legendgroup": name, **axes},
        {"type": "scatter", "x": x, "y": low, "mode": "lines", "line": {"width": 0},
         "fill": "tonexty", "fillcolor": fill, "hoverinfo": "skip", "legendgroup": name,
         "name": f"{name} 5–95 %", "showlegend": False, **axes},
        {"type": "scatter", "x": x, "y": centre, "mode": "lines", "name": name,
         "legendgroup": name, "line": {"color": colour, "width": 2},
         "hovertemplate": f"%{{y:.3g}} {unit}<extra>{name}</extra>", **axes},
    ]


def shade(spans: list[tuple[pd.Timestamp, pd.Timestamp]], **axes: str) -> list[dict[str, Any]]:
    """Layout shapes shading the activities (times already local)."""
    return [{"type": "rect", "xref": axes.get("xref", "x"), "yref": "paper", "x0": a, "x1": b,
             "y0": 0, "y1": 1, "fillcolor": SHADE, "line": {"width": 0}, "layer": "below"}
            for a, b in spans]
