"""The cohort overview PNG: weekly load and IL-6 area distributions across participants."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

__all__ = ["overview_png", "weekly"]

#: Daily table columns summed per participant-week: TRIMP (AU) and IL-6 area (pg/mL x h).
COLUMNS = {"load.total.trimp": "TRIMP per week (AU)",
           "estimates.il6.area": "IL-6 area per week (pg/mL·h)"}


def weekly(days: Path) -> pd.DataFrame:
    """Per participant and ISO week (Monday): the sums of :data:`COLUMNS`."""
    frames = []
    for folder in sorted(days.glob("participant=*")):
        table = pd.read_parquet(folder, columns=["date", *COLUMNS])
        table["participant"] = folder.name.partition("=")[2]
        frames.append(table)
    table = pd.concat(frames, ignore_index=True)
    date = pd.to_datetime(table["date"])
    table["week"] = (date - pd.to_timedelta(date.dt.day_of_week, unit="D")).dt.date
    return table.groupby(["participant", "week"], as_index=False)[list(COLUMNS)].sum()


def overview_png(days: Path) -> bytes:
    """Box plots by week of each :data:`COLUMNS` sum over the participants (PNG bytes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = weekly(days)
    weeks = sorted(table["week"].unique())
    figure, axes = plt.subplots(len(COLUMNS), 1, figsize=(max(6, 0.5 * len(weeks) + 3), 7),
                                sharex=True)
    for axis, (column, label) in zip(axes, COLUMNS.items(), strict=True):
        groups = [table.loc[table["week"] == w, column].dropna().to_numpy() for w in weeks]
        axis.boxplot(groups, showfliers=True)
        axis.set_ylabel(label)
    axes[-1].set_xticks(range(1, len(weeks) + 1), [str(w) for w in weeks], rotation=45,
                        ha="right")
    axes[-1].set_xlabel("week starting")
    axes[0].set_title(f"{table['participant'].nunique()} participants: distribution by week")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return buffer.getvalue()
