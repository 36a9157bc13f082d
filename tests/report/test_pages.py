"""The HTML pages without a browser: their numbers are the tables' numbers, nothing points
to the network, the command line writes and skips them."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from myokinetics.analysis import Analysis
from myokinetics.cli import main
from myokinetics.estimators import summarize_curves
from myokinetics.library import Library
from myokinetics.report import write_analysis
from myokinetics.report.activity_page import moving_time_s
from myokinetics.report.range_page import range_page
from myokinetics.report.story import organ_line
from tests.conftest import SAMPLE_FIT
from tests.report.conftest import ATHLETE_TOML

ORGAN_IDS = ("working-muscle", "adipose-tissue", "liver", "bone", "brain", "immune-balance",
             "whole-body")


def _without_scripts(page: str) -> str:
    return re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.S)


def test_the_activity_page_shows_the_summary_json_numbers(sample_analysis: Analysis,
                                                          tmp_path: Path) -> None:
    write_analysis(sample_analysis, tmp_path)
    doc = json.loads((tmp_path / "summary.json").read_text())
    page = (tmp_path / "report.html").read_text()
    for key, unit in (("trimp", "a.u."), ("hrss", "a.u."), ("energy_kcal", "kcal"),
                      ("epoc_l", "L O₂")):
        assert f"<dd>{doc['totals'][key]:.3g} {unit}</dd>" in page
    assert doc["variants"]["trimp"] in page  # the variant, in a footnote
    # the IL-6 peak of summary.json, at its local clock time (the sample is at UTC+02:00)
    il6 = doc["curves"]["summary"]["il6"]
    local = pd.Timestamp(il6["time_of_peak"]) + pd.Timedelta(hours=2)
    assert f"IL-6 peaked at {local:%H:%M}: {il6['peak']:.3g} pg/mL" in page
    for organ in ORGAN_IDS:
        assert f'id="organ-{organ}"' in page
    assert "population-model estimates" in page and "model cards" in page
    assert "local time (UTC+02:00)" in page


def test_pages_reference_nothing_on_the_network(sample_analysis: Analysis,
                                                 tmp_path: Path) -> None:
    write_analysis(sample_analysis, tmp_path)
    shell = _without_scripts((tmp_path / "report.html").read_text())
    assert not re.search(r"https?://", shell)
    assert '<script src="plotly.min.js"></script>' in (tmp_path / "report.html").read_text()
    assert (tmp_path / "plotly.min.js").stat().st_size > 1_000_000


def test_organ_line_reads_peak_and_return_off_the_curve() -> None:
    index = pd.date_range("2024-05-12T06:00Z", periods=25, freq="10min", name="time")
    hours = np.arange(25) / 6
    il6 = 1.0 + 5.0 * np.exp(-((hours - 1.0) ** 2) / 0.1)  # 1 pg/mL, 6 at 07:00 UTC
    columns = {}
    from myokinetics.estimators import CURVES

    for name in CURVES:
        values = il6 if name == "il6" else np.ones(25)
        columns.update({name: values, f"{name}_lo": values * 0.8, f"{name}_hi": values * 1.2})
    curves = pd.DataFrame(columns, index=index)
    line = organ_line("immune balance", curves, summarize_curves(curves), 7200, index[0])
    assert line == ("IL-6 peaked at 09:00: 6 pg/mL, about 6.0× the resting 1; back near "
                    "the resting value by 09:30.")  # excursion below 10 % from 1.48 h
    assert organ_line("brain", curves, summarize_curves(curves), 7200, index[0]) \
        == "BDNF stayed at its resting 1 ng/mL."


def test_moving_time_leaves_out_stops_and_gaps() -> None:
    times = pd.to_datetime([0, 1, 2, 3, 4, 5, 65, 66], unit="s", utc=True)
    speed = [3.0, 3.0, 0.0, 0.0, 3.0, 3.0, 3.0, 3.0]  # stop from 2 to 4 s, 60 s gap
    samples = pd.DataFrame({"speed": speed}, index=times)
    assert moving_time_s(samples) == 4.0  # 0-1, 3-4, 4-5, 65-66
    assert moving_time_s(samples.drop(columns="speed")) is None


def test_the_range_page_has_a_cell_per_day_rest_days_and_links(daily_out: Path) -> None:
    day = json.loads((daily_out / "2024-05-12.json").read_text())
    rest = []
    for shift in (1, 2, 8):
        doc = copy.deepcopy(day)
        doc["date"] = (dt.date.fromisoformat(day["date"]) + dt.timedelta(days=shift)).isoformat()
        doc["activities"] = []
        rest.append(doc)
    page = range_page([day, *rest], lambda a: f"activities/{a['id']}/report.html")
    assert page.count('class="rest"') == 3
    assert page.count('href="activities/') == 1
    assert page.count("<tr><td") == 3  # Sunday 12 May, then two weeks
    assert re.search(r"Ramp: CTL changed by [-+]\d", page)


def test_daily_writes_the_range_page_and_the_activity_pages(daily_out: Path) -> None:
    page = (daily_out / "report.html").read_text()
    href = re.search(r'href="(activities/[^"]+/report\.html)"', page).group(1)
    activity = (daily_out / href).read_text()
    assert '<script src="../../plotly.min.js"></script>' in activity
    assert (daily_out / "plotly.min.js").is_file()
    assert (daily_out / href).parent.joinpath("curves.csv").is_file()


def test_analyze_prints_its_pages_and_no_html_skips_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["analyze", str(SAMPLE_FIT), "--athlete", str(ATHLETE_TOML), "--no-curves"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    page = tmp_path / "a" / "run-intervals-45min" / "report.html"
    assert f"page {page}" in capsys.readouterr().out
    assert '<script src="../plotly.min.js">' in page.read_text()
    assert main([*args, "--out", str(tmp_path / "b"), "--no-html"]) == 0
    assert not list((tmp_path / "b").rglob("*.html"))
    assert not (tmp_path / "b" / "plotly.min.js").exists()


def test_report_writes_self_contained_pages(daily_out: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    library = str(daily_out.parent / "lib")
    out = tmp_path / "one.html"
    assert main(["report", "--library", library, "--activity", "2", "--athlete",
                 str(ATHLETE_TOML), "--out", str(out)]) == 0
    assert f"page {out}" in capsys.readouterr().out
    text = out.read_text()
    assert "<script src=" not in text and 'id="organ-immune-balance"' in text
    week = tmp_path / "week.html"
    assert main(["report", "--library", library, "--from", "2024-05-06", "--to", "2024-05-12",
                 "--athlete", str(ATHLETE_TOML), "--out", str(week)]) == 0
    text = week.read_text()
    assert "Training 2024-05-06 to 2024-05-12" in text and 'class="rest"' in text


@pytest.mark.parametrize("args, message", [
    (["--activity", "1", "--from", "2024-05-01"], "--activity: given together with --from/--to"),
    (["--from", "2024-05-12", "--to", "2024-05-01"], "2024-05-01 is before 2024-05-12"),
    (["--out", "/nonexistent-folder/x.html"], "is in a folder that does not exist"),
    (["--from", "0001-01-01", "--to", "2024-05-12"], "spans more than 20 years"),
])
def test_report_refuses_bad_arguments_in_one_line(
        args: list[str], message: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "x.html")]
    Library(tmp_path / "lib").close()  # report refuses a folder without a library first
    assert main(["report", "--library", str(tmp_path / "lib"), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert message in err.splitlines()[-1]  # after the population-defaults notice, if any
