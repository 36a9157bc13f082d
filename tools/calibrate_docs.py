"""Figures and tables of the calibration/validation for docs/science.md (used by calibrate.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from myokinetics.estimators.curves import estimate_curves
from myokinetics.estimators.model import CrosstalkModel
from myokinetics.estimators.params import parameter_table
from myokinetics.estimators.plot import plot_curves
from tools.calibrate import Result, error_summary, format_table, output_table
from tools.protocols import START, protocol_intensity, reference_athlete

__all__ = ["write_docs"]


def _comparison_figure(results: Sequence[Result], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 0.42 * len(results) + 1.4))
    for row, r in enumerate(results):
        t = r.target
        low, high = r.published_band
        scale = t.get("mean") or low or high
        y = len(results) - row
        if t.get("mean") is not None:
            ax.plot(1.0, y + 0.12, "ks", ms=5)
        if low is not None or high is not None:
            a = (low if low is not None else scale * 0.5) / scale
            b = (high if high is not None else scale * 2.0) / scale
            ax.plot([a, b], [y + 0.12] * 2, "k-", lw=2)
        ax.plot([r.lo / scale, r.hi / scale], [y - 0.12] * 2, "-", color="C0", lw=4, alpha=0.45)
        ax.plot(r.median / scale, y - 0.12, "o", color="C0" if r.agrees else "C3", ms=6)
    ax.set_yticks(range(len(results), 0, -1), [r.target["id"] for r in results], fontsize=8)
    ax.set_xscale("log")
    ax.axvline(1.0, color="0.6", lw=0.8)
    ax.set_xlabel("value / published mean (log)\nblack: published mean and spread; "
                  "dot: model median (red = disagrees), bar: model 5-95 % band")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _spread(entry: Mapping[str, object]) -> str:
    kind = entry["distribution"]
    if kind == "lognormal":
        return f"lognormal, CV {entry['cv']}"
    if kind == "normal":
        bounds = f", [{entry.get('min', '')}, {entry.get('max', '')}]" if "min" in entry else ""
        return f"normal, SD {entry['sd']}{bounds}"
    if kind == "uniform":
        return f"uniform {entry['low']}-{entry['high']}"
    return "fixed"


def parameters_table() -> str:
    """Markdown table of every parameter (from the data files)."""
    rows = ["| parameter | value | unit | band | certainty | source |",
            "|---|---|---|---|---|---|"]
    for key, entry in sorted(parameter_table().items()):
        value = f"{entry['value']:.4g}" + (" (fitted)" if entry.get("calibrated") else "")
        source = str(entry["source"]).replace("|", "/")
        rows.append(f"| `{key}` | {value} | {entry['unit']} | {_spread(entry)} | "
                    f"{entry['certainty']} | {source} |")
    return "\n".join(rows)


def _replace(text: str, marker: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {marker}:start -->\n).*?(<!-- {marker}:end -->)", re.S)
    if not pattern.search(text):
        raise ValueError(f"docs marker {marker!r} not found")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def write_docs(docs: Path, results: Mapping[str, Sequence[Result]]) -> None:
    """Rewrite tables in ``docs/science.md`` and the figures in ``docs/figures``."""
    figures = docs / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    for which, res in results.items():
        _comparison_figure(res, f"{which}: model vs published", figures / f"{which}.png")
    athlete = reference_athlete()
    marathon = protocol_intensity([[206, 75]])
    curves = estimate_curves(marathon, athlete, "24h", CrosstalkModel(athlete, n_draws=200))
    plot_curves(curves, figures / "example_marathon.png", [(marathon.index[0],
                                                            marathon.index[-1])],
                title="Marathon-like run, 206 min at 75 % VO2max, reference athlete: model "
                      "estimates (median, 5-95 % band), not measurements")
    first = protocol_intensity([[60, 70]])
    later = START + pd.Timedelta(hours=4)
    second = protocol_intensity([[10, 50], *[[4, 90], [3, 50]] * 4], start=later)
    day = pd.concat([first, second])
    curves = estimate_curves(day, athlete, "24h", CrosstalkModel(athlete, n_draws=200))
    plot_curves(curves, figures / "example_two_bouts.png",
                [(first.index[0], first.index[-1]), (second.index[0], second.index[-1])],
                title="60 min at 70 %, then 4 h later 4 x 4 min intervals: state carries over "
                      "(model estimates, not measurements)")
    page = docs / "science.md"
    text = page.read_text()
    for which, res in results.items():
        text = _replace(text, f"{which}-table", format_table(res))
        text = _replace(text, f"{which}-summary", error_summary(res) + ".")
    text = _replace(text, "outputs-table", output_table(results["validation"]))
    text = _replace(text, "parameters-table", parameters_table())
    page.write_text(text)
