"""One PNG panel of the curves, grouped by the organ that sends or receives each signal."""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from pathlib import Path

import pandas as pd

from myokinetics.palette import OKABE_ITO

__all__ = ["plot_curves"]

# (title, organ, [(quantity, label)...]); quantities in one panel share its axis.
_PANELS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("IL-6 (pg/mL)", "immune balance / working muscle", (("il6", "IL-6"),)),
    ("IL-10 (pg/mL), IL-1ra (pg/mL, right axis)", "immune balance",
     (("il10", "IL-10"), ("il1ra", "IL-1ra"))),
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
_FOLD = {"bdnf", "il15", "osteocalcin"}
#: Quantities drawn on the right axis of their panel (another unit or scale): axis label.
_RIGHT = {"insulin_sensitivity": "insulin sensitivity (ratio)", "il1ra": "IL-1ra (pg/mL)"}


def plot_curves(curves: pd.DataFrame, path: str | PathLike[str],
                activity_spans: Sequence[tuple[pd.Timestamp, pd.Timestamp]] = (),
                title: str | None = None, utc_offset_s: float | None = None) -> Path:
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
        First line of the figure title (e.g. file, sport and date); the second line always
        says the curves are model estimates.
    utc_offset_s : float, optional
        Local time offset (s) of the time axis; None draws it in UTC.

    Returns
    -------
    Path
        The written file.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    offset = pd.Timedelta(seconds=utc_offset_s or 0)
    index = curves.index
    assert isinstance(index, pd.DatetimeIndex)  # curve frames have a UTC DatetimeIndex
    times = index.tz_convert("UTC").tz_localize(None) + offset
    fig, axes = plt.subplots(4, 2, figsize=(13, 12), sharex=True)
    for ax, (panel_title, organ, items) in zip(axes.flat, _PANELS, strict=True):
        twin = None
        for k, (name, label) in enumerate(items):
            scale = curves[name].iloc[0] if name in _FOLD else 1.0
            target = ax
            if name in _RIGHT:
                twin = target = ax.twinx()
                target.set_ylabel(_RIGHT[name])
            colour = OKABE_ITO[k]
            target.plot(times, curves[name] / scale, color=colour, lw=1.6, label=label)
            target.fill_between(times, curves[f"{name}_lo"] / scale, curves[f"{name}_hi"] / scale,
                                color=colour, alpha=0.2, lw=0)
        for start, end in activity_spans:
            a, b = (pd.Timestamp(t).tz_convert("UTC").tz_localize(None) + offset
                    for t in (start, end))
            ax.axvspan(a, b, color="0.85", zorder=0)
        ax.set_title(f"{panel_title}\n[{organ}]", fontsize=9)
        handles, labels = ax.get_legend_handles_labels()
        if twin is not None:
            more = twin.get_legend_handles_labels()
            handles, labels = handles + more[0], labels + more[1]
        if len(labels) > 1:
            ax.legend(handles, labels, fontsize=8, loc="upper right")
        ax.grid(alpha=0.3)
    if utc_offset_s is None:
        zone = "UTC"
    else:
        minutes = round(abs(utc_offset_s) / 60)
        zone = f"UTC{'+' if utc_offset_s >= 0 else '-'}{minutes // 60:02d}:{minutes % 60:02d}"
    for ax in axes[-1]:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_xlabel(f"local time ({zone})" if utc_offset_s is not None else "time (UTC)")
    note = ("Model estimates (population model, not measurements): median and 5-95 % "
            "inter-individual band; grey = activity")
    fig.suptitle(f"{title}\n{note}" if title else note, fontsize=11)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out

