"""Pages built once per session from the bundled sample: an analysis and a daily output."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from myokinetics.analysis import Analysis, analyze
from myokinetics.athlete import Athlete
from myokinetics.cli import main
from tests.conftest import REPO, SAMPLE_FIT

ATHLETE_TOML = REPO / "samples" / "athlete.toml"


@pytest.fixture(scope="session")
def sample_analysis() -> Analysis:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analyze(SAMPLE_FIT, Athlete.load(ATHLETE_TOML))


@pytest.fixture(scope="session")
def daily_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of three runs, the sample (Sunday 12 May 2024) and two generated ones on
    Thursday 9 and Tuesday 14 May, and its daily output folder with the HTML pages."""
    from tests.daily.helpers import write_generated

    root = tmp_path_factory.mktemp("daily")
    files = [str(SAMPLE_FIT),
             str(write_generated(root / "thu.fit", "2024-05-09T16:00Z", 2, seed=3, seconds=1800)),
             str(write_generated(root / "tue.fit", "2024-05-14T05:00Z", 2, seed=5, seconds=2400))]
    assert main(["import", *files, "--library", str(root / "lib"), "--quiet"]) == 0
    assert main(["daily", "--library", str(root / "lib"), "--athlete", str(ATHLETE_TOML),
                 "--out", str(root / "out"), "--no-plots"]) == 0
    return root / "out"
