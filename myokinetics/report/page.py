"""The HTML shell shared by the report pages: styles, Plotly figures as divs, the script tag.

Plotly (offline) draws the figures: hover, zoom and legend toggles come with it, its HTML
export needs no server, and its JavaScript is one file that is either embedded in the page or
written once beside the pages. Nothing is fetched from the network: no CDN, no web fonts (the
system font stack), no MathJax.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

__all__ = ["PLOTLY_JS", "figure_div", "local_axis_title", "model_card_link", "render_page",
           "write_plotly_js", "zone_name"]


#: File name of plotly.js written beside the pages.
PLOTLY_JS = "plotly.min.js"

_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False,
           "modeBarButtonsToRemove": ["select2d", "lasso2d"]}

_STYLE = """
:root { color-scheme: light; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1a1a1a; background: #f6f6f4; }
main { max-width: 1180px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0.2em 0; } h2 { font-size: 1.2rem; margin: 1.2em 0 0.3em; }
.sub { color: #555; margin: 0 0 0.8em; }
.card { background: #fff; border-radius: 8px; padding: 12px 16px; margin: 12px 0;
        box-shadow: 0 1px 2px rgba(0,0,0,.12); }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr));
         gap: 8px 16px; margin: 0; }
.facts div { min-width: 0; } .facts dt { color: #555; font-size: 0.85rem; }
.facts dd { margin: 0; font-size: 1.1rem; font-weight: 600; overflow-wrap: anywhere; }
.plot { width: 100%; min-width: 0; }
.story { margin: 4px 0 0; } .note { color: #444; font-size: 0.9rem; }
.warn { color: #8a4b00; }
ol.footnotes { font-size: 0.85rem; color: #444; overflow-wrap: anywhere; }
table.calendar { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.calendar th { font-size: 0.8rem; color: #555; font-weight: 500; }
table.calendar td { border: 1px solid #ddd; vertical-align: top; height: 3.4em;
                    padding: 2px 3px; font-size: 0.8rem; overflow: hidden; }
table.calendar td.out { background: #fafafa; border-color: #eee; }
table.calendar td.rest { background: repeating-linear-gradient(45deg, #fff, #fff 4px,
                         #eee 4px, #eee 6px); }
table.calendar .day { font-weight: 600; } table.calendar a { display: block;
                    white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.legend span { display: inline-block; padding: 0 6px; margin: 2px; border: 1px solid #ccc; }
@media (max-width: 600px) {
  main { padding: 8px; } body { font-size: 15px; }
  table.calendar td { font-size: 0.68rem; height: 3em; padding: 1px; }
}
"""


def figure_div(figure: Any, div_id: str) -> str:
    """A Plotly figure as a ``<div>`` with its drawing script (plotly.js not included)."""
    import plotly.io as pio

    return pio.to_html(figure, full_html=False, include_plotlyjs=False, include_mathjax=False,
                       config=_CONFIG, div_id=div_id, default_width="100%")


def zone_name(offset_s: float | None) -> str:
    """``UTC+02:00``; ``UTC, local offset unknown`` without an offset."""
    if offset_s is None:
        return "UTC, local offset unknown"
    sign = "+" if offset_s >= 0 else "-"
    minutes = round(abs(offset_s) / 60)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def local_axis_title(offset_s: float | None) -> str:
    """``local time (UTC+02:00)``, or UTC when the recording's offset is unknown."""
    return f"local time ({zone_name(offset_s)})" if offset_s is not None \
        else f"time ({zone_name(offset_s)})"


def model_card_link() -> str:
    """A link to the estimators' model cards (docs/science.md) when the docs are installed
    beside the package, else the path as text."""
    import myokinetics

    doc = Path(myokinetics.__file__).resolve().parents[1] / "docs" / "science.md"
    if doc.is_file():
        return f'<a href="{html.escape(doc.as_uri())}#model-cards">model cards</a>'
    return "model cards (docs/science.md in the myokinetics source)"


def write_plotly_js(folder: Path) -> Path:
    """Write plotly.js as ``folder/plotly.min.js`` (rewritten only when it differs)."""
    from plotly.offline import get_plotlyjs

    path = folder / PLOTLY_JS
    text = get_plotlyjs()
    if not path.is_file() or path.stat().st_size != len(text.encode()):
        path.write_text(text, encoding="utf-8")
    return path


def render_page(title: str, body: str, script_src: str | None = None) -> str:
    """A complete HTML document.

    Parameters
    ----------
    title : str
        Plain text for ``<title>`` (escaped here).
    body : str
        HTML of the ``<main>`` element's content.
    script_src : str, optional
        Relative URL of plotly.js written beside the page; None embeds it (one file).
    """
    if script_src is None:
        from plotly.offline import get_plotlyjs

        script = f"<script>{get_plotlyjs()}</script>"
    else:
        script = f'<script src="{html.escape(script_src)}"></script>'
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>{script}</head>"
        f"<body><main>{body}</main></body></html>\n")
