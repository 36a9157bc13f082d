"""Real watch files from ../shared: processing's intensity through the estimators."""

from __future__ import annotations

import numpy as np
import pytest

from myokinetics.estimators import CURVES
from tests.conftest import CORPUS, corpus_manifest

# Varied real files: a run with pauses, a long ride, a triathlon (multisport), a clock jump.
FILES = ("runalyze__Fenix-2-pauses.fit", "fitparse__garmin-edge-500-activity.fit",
         "runalyze__multisport-triathlon-fenix3.fit", "gc__2013-04-11-17-32-50.fit")


@pytest.mark.parametrize("name", FILES)
def test_corpus_file_gives_a_full_curve_set(name: str) -> None:
    if not any(row["name"] == name for row in corpus_manifest()):
        pytest.skip(f"../shared/fit-corpus/{name} is absent")
    import warnings

    import myokinetics

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analysis = myokinetics.analyze(CORPUS / name)
    curves = analysis.curves
    assert curves is not None and len(curves) > 100
    assert curves.index[-1] - analysis.intensity.index[-1] >= np.timedelta64(24, "h")
    values = curves.to_numpy()
    assert np.isfinite(values).all() and (values >= 0).all()
    for q in CURVES:
        assert (curves[f"{q}_lo"] <= curves[q] + 1e-9).all(), q
        assert (curves[q] <= curves[f"{q}_hi"] + 1e-9).all(), q
    # Something happened: the activity moved the working-muscle curves off their rested values.
    assert curves["glycogen"].min() < 0.95 and curves["il6"].max() > 1.2 * curves["il6"].iloc[0]
