"""One PNG panel of the curves, grouped by the organ that sends or receives each signal."""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from pathlib import Path

import pandas as pd

__all__ = ["plot_curves"]

# (title, organ, [(quantity, label)...]); quantities in one panel share its axis.
_PANELS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("IL-6 (pg/mL)", "immune balance / working muscle", (("il6", "IL-6"),)),
    ("IL-10, IL-1ra (fold of first value)", "immune balance", (("il10", "IL-10"),
                                                              ("il1ra", "IL-1ra"))),
    ("Irisin (ng/mL)", "bone", (("irisin", "irisin"),)),
    ("Lactate (mmol/L)", "working muscle", (("lactate", "lactate"),)),
    ("Glycogen (fraction of rested)", "working muscle", (("glycogen", "glycogen"),)),
    ("Glucose uptake (mg/kg/min) and insulin sensitivity (ratio)", "muscle / whole body",
     (("glucose_uptake", "muscle glucose uptake"), ("insulin_sensitivity", "insulin sensitivity"))),
    ("Fat and CHO oxidation (g/min)", "adipose tissue / whole body",
     (("fat_oxidation", "fat"), ("cho_oxidation", "CHO"))),
    ("BDNF (ng/mL), IL-15 (pg/mL), ucOC (ratio): fold of first value", "brain / immune / bone",
     (("bdnf", "BDNF"), ("il15", "IL-15"), ("osteocalcin", "ucOC"))),
)
_FOLD = {"il10", "il1ra", "bdnf", "il15", "osteocalcin"}


def plot_curves(curves: pd.DataFrame, path: str | PathLike[str],
                activity_spans: Sequence[tuple[pd.Timestamp, pd.Timestamp]] = (),
                title: str | None = None) -> Path:
    """Write a PNG panel of the main curves with their 5-95 % bands, activity shaded.

    Parameters
    ----------
    curves : DataFrame
        Output of :func:`~myokinetics.estimators.estimate_curves`.
    path : path-like
        PNG file to write.
    activity_spans : sequence of (start, end)
        UTC times of the recordings, shaded on every panel.
    title : str, optional
        Figure title; a default names the curves as model estimates.

    Returns
    -------
    Path
        The written file.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    hours = (curves.index - curves.index[0]).total_seconds() / 3600.0
    fig, axes = plt.subplots(4, 2, figsize=(13, 12), sharex=True)
    for ax, (panel_title, organ, items) in zip(axes.flat, _PANELS, strict=True):
        twin = None
        for k, (name, label) in enumerate(items):
            scale = curves[name].iloc[0] if name in _FOLD else 1.0
            target = ax
            if name == "insulin_sensitivity":
                twin = target = ax.twinx()
                target.set_ylabel("insulin sensitivity (ratio)")
            colour = f"C{k}"
            target.plot(hours, curves[name] / scale, color=colour, lw=1.6, label=label)
            target.fill_between(hours, curves[f"{name}_lo"] / scale, curves[f"{name}_hi"] / scale,
                                color=colour, alpha=0.2, lw=0)
        for start, end in activity_spans:
            a = (pd.Timestamp(start) - curves.index[0]).total_seconds() / 3600.0
            b = (pd.Timestamp(end) - curves.index[0]).total_seconds() / 3600.0
            ax.axvspan(a, b, color="0.85", zorder=0)
        ax.set_title(f"{panel_title}\n[{organ}]", fontsize=9)
        handles, labels = ax.get_legend_handles_labels()
        if twin is not None:
            more = twin.get_legend_handles_labels()
            handles, labels = handles + more[0], labels + more[1]
        if len(labels) > 1:
            ax.legend(handles, labels, fontsize=8, loc="upper right")
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel(f"hours since {curves.index[0]:%Y-%m-%d %H:%M} UTC")
    fig.suptitle(title or "Model estimates (population model, not measurements): median and "
                 "5-95 % inter-individual band; grey = activity", fontsize=11)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out

