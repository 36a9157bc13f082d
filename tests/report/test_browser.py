"""The pages in a real browser (Debian's chromium driven by Playwright): no console error, no
network request, every plot drawn, hover values with units, calendar links that open the
activity's page; screenshots at laptop and phone widths in the test's tmp folder.

Set ``MYOKINETICS_SCREENSHOTS`` to a folder to also keep the screenshots there (docs/ holds
the README's copies).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.report.conftest import ATHLETE_TOML

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTHS = (1280, 390)

if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is absent: install Debian's chromium package "
                "(.ci/run does) to run the browser tests", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api",
                                 reason="playwright is not installed (pip install -e '.[dev]')")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened at one width, with its console errors and off-disk requests recorded."""

    def __init__(self, browser: Any, width: int) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.network: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.network.append(route.request.url)
            route.abort()

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => window.Plotly !== undefined && "
                                    "[...document.querySelectorAll('.js-plotly-plot')]"
                                    ".every(d => d._fullLayout)")
        return self.page


def _check_plots(page: Any) -> int:
    """Every Plotly div has an SVG with at least one drawn trace of non-zero size."""
    plots = page.eval_on_selector_all(".js-plotly-plot", """divs => divs.map(d => {
        const svg = d.querySelector('svg.main-svg');
        const traces = d.querySelectorAll('.scatterlayer .trace path.js-line, '
            + '.scatterlayer .trace .point, .barlayer .trace .point path');
        const drawn = [...traces].filter(p => (p.getAttribute('d') || '').length > 4);
        const box = d.getBoundingClientRect();
        return {id: d.id, svg: !!svg, drawn: drawn.length, w: box.width, h: box.height};
    })""")
    assert plots
    for plot in plots:
        assert plot["svg"] and plot["drawn"] > 0 and plot["w"] > 100 and plot["h"] > 100, plot
    return len(plots)


def _shoot(page: Any, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    keep = os.environ.get("MYOKINETICS_SCREENSHOTS")
    if keep:
        shutil.copy(path, Path(keep) / path.name)
    return path


@pytest.mark.parametrize("width", WIDTHS)
def test_range_page_and_the_activity_page_it_links(browser: Any, daily_out: Path,
                                                   tmp_path: Path, width: int) -> None:
    visit = Visit(browser, width)
    page = visit.open(daily_out / "report.html")
    assert _check_plots(page) == 4
    assert page.locator("#calendar td.rest").count() == 3  # Fri, Sat, Mon
    assert page.locator("#calendar a").count() == 3
    no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_overflow, "the range page is wider than the window"
    _shoot(page, tmp_path, f"range-{width}")
    page.locator("#calendar a").first.click()
    page.wait_for_url(re.compile(r".*/activities/[^/]+/report\.html$"))
    visit.open(Path(page.url.removeprefix("file://")))
    assert page.locator("#organ-immune-balance").count() == 1
    assert _check_plots(page) >= 10  # hr, zones, load, hrv and the 7 organ groups
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shoot(page, tmp_path, f"activity-{width}")
    assert visit.errors == [] and visit.network == []


def test_hover_on_the_il6_curve_shows_a_value_with_its_unit(browser: Any,
                                                            daily_out: Path) -> None:
    visit = Visit(browser, 1280)
    page = visit.open(daily_out / "activities" / "2" / "report.html")
    plot = page.locator("#organ-immune-balance")
    plot.scroll_into_view_if_needed()
    box = plot.locator(".nsewdrag").first.bounding_box()  # the first row: IL-6
    page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] / 2)
    label = page.locator("#organ-immune-balance .hoverlayer")
    label.locator("text").first.wait_for()
    assert re.search(r"\d[\d.]* pg/mL", label.text_content())
    assert visit.errors == [] and visit.network == []


def test_the_one_file_report_works_offline(browser: Any, daily_out: Path,
                                           tmp_path: Path) -> None:
    from myokinetics.cli import main

    out = tmp_path / "activity.html"
    assert main(["report", "--library", str(daily_out.parent / "lib"), "--activity", "1",
                 "--athlete", str(ATHLETE_TOML), "--out", str(out)]) == 0
    visit = Visit(browser, 390)
    page = visit.open(out)
    assert _check_plots(page) >= 10
    assert visit.errors == [] and visit.network == []
