"""The range page of a year of daily summaries: render time and file size.

Targets (issue 14): under 5 s and under 10 MB for 365 days (plotly.js embedded, the one-file
page of ``myokinetics report``, the larger of the two kinds).

The days are synthetic documents with every field the page reads (one run on most days, a
ride on some, rest days between). Printed beside the page's time, measured in the same run, is
the baseline every daily run already pays for the same days: the daily table and its CSV.
Where Debian's chromium and Playwright are installed, the time a browser takes to open the
page until every plot is drawn is printed too (``MYOKINETICS_BENCH_SHOT=FILE.png`` also saves
a screenshot of it).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from myokinetics.daily.serialize import table_bytes
from myokinetics.daily.table import daily_table
from myokinetics.report.range_page import range_page

DAYS = 365
REPEATS = 3
FIRST = dt.date(2025, 1, 1)


def _load(trimp: float, minutes: float) -> dict[str, float]:
    return {"duration_s": minutes * 60, "trimp": trimp, "hrss": trimp * 0.6,
            "energy_kcal": minutes * 11, "epoc_l": trimp / 8}


def year_of_documents(days: int = DAYS, seed: int = 0) -> list[dict[str, Any]]:
    """``days`` day documents with the fields the range page reads."""
    rng = np.random.default_rng(seed)
    documents, ctl, atl = [], 0.0, 0.0
    for i in range(days):
        date = FIRST + dt.timedelta(days=i)
        activities, by_sport = [], {}
        if rng.random() < 0.7:
            sport = "cycling" if rng.random() < 0.3 else "running"
            minutes = float(rng.uniform(30, 120))
            trimp = minutes * float(rng.uniform(1.2, 2.2))
            activities.append({"id": str(i + 1), "sha256": f"{i:064x}", "sport": sport,
                               "start": f"{date}T06:00:00+00:00",
                               "start_local": f"{date}T07:00:00", "offset_known": True,
                               "duration_s": minutes * 60, "status": "ok",
                               "totals": {"trimp": trimp}})
            by_sport[sport] = _load(trimp, minutes)
        total = _load(sum(v["trimp"] for v in by_sport.values()),
                      sum(v["duration_s"] for v in by_sport.values()) / 60)
        ctl += (total["trimp"] - ctl) / 42
        atl += (total["trimp"] - atl) / 7
        area = total["trimp"] * 0.2
        documents.append({
            "schema": "myokinetics-daily/1", "date": date.isoformat(), "utc_offset_s": 3600,
            "activities": activities, "skipped": [],
            "load": {"total": total, "by_sport": by_sport,
                     "variants": {"trimp": "trimp_banister_lit_neutral"}},
            "pmc": {"load_metric": "trimp", "variant": "pmc_exp ctl=42d atl=7d",
                    "load": total["trimp"], "ctl": ctl, "atl": atl, "tsb": ctl - atl},
            "estimates": {
                "il6": {"area": area, "area_lo": area * 0.5, "area_hi": area * 2,
                        "unit": "pg/mL plasma"},
                "glycogen": {"end": 0.9, "end_lo": 0.8, "end_hi": 0.97, "unit": "fraction"},
                "insulin_sensitivity": {"end": 1.05, "end_lo": 1.0, "end_hi": 1.2,
                                        "unit": "ratio"}},
        })
    return documents


def _median_s(function: Any) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def browser_s(page: str) -> tuple[float, float] | None:
    """Seconds from opening a page in headless chromium until every plot is drawn: an empty
    page with plotly.js only (the baseline) and ``page``; None without chromium or Playwright.
    """
    chromium = Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not chromium.exists():
        return None
    from myokinetics.report.page import render_page

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        seconds = []
        for name, html in (("empty", render_page("plotly.js only", "")), ("year", page)):
            path = Path(folder) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            start = time.perf_counter()
            tab.goto(path.as_uri())
            tab.wait_for_function("() => window.Plotly && [...document.querySelectorAll("
                                  "'.js-plotly-plot')].every(d => d._fullLayout)")
            seconds.append(time.perf_counter() - start)
            shot = os.environ.get("MYOKINETICS_BENCH_SHOT")
            if shot and name == "year":
                tab.screenshot(path=shot, full_page=True)
            tab.close()
        browser.close()
    return seconds[0], seconds[1]


def main() -> None:
    documents = year_of_documents()
    baseline_s, _ = _median_s(lambda: table_bytes(daily_table(documents), "csv"))
    embedded_s, page = _median_s(
        lambda: range_page(documents, lambda a: f"activities/{a['id']}/report.html"))
    beside_s, small = _median_s(
        lambda: range_page(documents, lambda a: f"activities/{a['id']}/report.html",
                           "plotly.min.js"))
    size, size_beside = len(page.encode()), len(small.encode())
    print(f"range page of {DAYS} days, median of {REPEATS}:")
    print(f"  baseline daily table + CSV     {baseline_s:7.3f} s")
    print(f"  page, plotly.js embedded       {embedded_s:7.3f} s  ({embedded_s / baseline_s:5.1f}"
          f" x baseline)  {size / 1e6:5.2f} MB  target < 5 s, < 10 MB: "
          f"{'met' if embedded_s < 5 and size < 10e6 else 'MISSED'}")
    print(f"  page, plotly.js beside it      {beside_s:7.3f} s  ({beside_s / baseline_s:5.1f}"
          f" x baseline)  {size_beside / 1e6:5.2f} MB")
    shown = browser_s(page)
    if shown is None:
        print("  chromium: not measured (no /usr/bin/chromium or no playwright)")
    else:
        print(f"  chromium, opened until drawn (one run each): plotly.js alone {shown[0]:.2f} s,"
              f" the year's page {shown[1]:.2f} s ({shown[1] / shown[0]:.1f} x)")


if __name__ == "__main__":
    main()
