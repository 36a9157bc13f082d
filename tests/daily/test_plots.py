"""Day and trend PNGs: real images, identical bytes for identical numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from myokinetics.daily.plots import day_png, trend_png

PNG = b"\x89PNG\r\n\x1a\n"


def day_curves() -> pd.DataFrame:
    index = pd.date_range("2024-03-01T05:00Z", "2024-03-02T05:00Z", freq="5min", name="time")
    bump = np.exp(-(((index - index[0]) / pd.Timedelta(hours=1)) - 10) ** 2)
    frame = pd.DataFrame({"il6": 1 + 5 * bump, "il10": 2 + bump, "lactate": 1 + 3 * bump,
                          "glycogen": 1 - 0.3 * bump}, index=index)
    frame["il6_lo"], frame["il6_hi"] = frame["il6"] * 0.5, frame["il6"] * 1.8
    return frame


def test_day_png_is_deterministic_and_differs_with_the_data():
    args = (pd.Timestamp("2024-03-01T05:00Z"), pd.Timestamp("2024-03-02T05:00Z"), -5 * 3600,
            [(pd.Timestamp("2024-03-01T14:30Z"), pd.Timestamp("2024-03-01T15:30Z"), "running")],
            "2024-03-01")
    first = day_png(day_curves(), *args)
    assert first.startswith(PNG) and first == day_png(day_curves(), *args)
    other = day_curves()
    other["il6"] *= 2
    assert day_png(other, *args) != first


def test_trend_png_tolerates_missing_columns():
    table = pd.DataFrame({"date": ["2024-03-01", "2024-03-02", "2024-03-03"],
                          "load.total.trimp": [50.0, 0.0, 80.0],
                          "pmc.ctl": [1.2, 1.1, 3.0], "pmc.atl": [6.7, 5.8, 15.0],
                          "pmc.tsb": [0.0, -5.5, -4.7]})
    png = trend_png(table)
    assert png.startswith(PNG) and png == trend_png(table)


def test_a_reused_plotter_draws_each_day_as_a_fresh_figure_would():
    from myokinetics.daily.plots import DayPlotter

    start, end = pd.Timestamp("2024-03-01T05:00Z"), pd.Timestamp("2024-03-02T05:00Z")
    spans = [(pd.Timestamp("2024-03-01T14:30Z"), pd.Timestamp("2024-03-01T15:30Z"), "run")]
    plotter = DayPlotter()
    busy = day_curves() * 4
    plotter.render(busy, start, end, 0, spans, "busy day")
    quiet = day_curves().drop(columns=["lactate"])
    assert plotter.render(quiet, start, end, -5 * 3600, [], "quiet") == \
        day_png(quiet, start, end, -5 * 3600, [], "quiet")
