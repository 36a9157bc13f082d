"""Conformance of the FIT reader over the real corpus in ../shared/fit-corpus.

MANIFEST.tsv counts raw messages as fitdecode 0.11.0 decodes them. The reader differs on
purpose in documented ways, each accounted for here from the warning the reader gives:
records sharing a timestamp are merged, records without a usable time are dropped, so are
stray records stamped far from the rest, out-of-range values (heart rate 0, TomTom altitude)
become NaN, and chest-strap ``hr`` messages add heart rate to records. RR values are never dropped.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from myokinetics import Activity, MyokineticsError, read
from myokinetics.activity import SAMPLE_COLUMNS
from tests.conftest import CORPUS, corpus_manifest

ROWS = [row for row in corpus_manifest() if row["format"] == "FIT"]
VALID = [row for row in ROWS if not row["broken"]]
BROKEN = [row for row in ROWS if row["broken"]]
_cache: dict[str, Activity] = {}

pytestmark = pytest.mark.skipif(not ROWS, reason="../shared/fit-corpus is absent")


def _read_cached(name: str) -> Activity:
    if name not in _cache:
        _cache[name] = read(CORPUS / name)
    return _cache[name]


def _count(pattern: str, warnings: list[str]) -> int:
    total = 0
    for warning in warnings:
        match = re.search(pattern, warning)
        if match:
            total += int(match.group(1))
    return total


def assert_canonical(activity: Activity) -> None:
    samples = activity.samples
    assert isinstance(samples.index, pd.DatetimeIndex)
    assert samples.index.name == "time"
    assert str(samples.index.tz) == "UTC"
    assert samples.index.is_monotonic_increasing and samples.index.is_unique
    assert set(samples.columns) <= {*SAMPLE_COLUMNS, "session"}
    assert all(dtype == np.float64 for dtype in samples.dtypes)
    if "heart_rate" in samples:
        hr = samples["heart_rate"].dropna()
        assert ((hr >= 20) & (hr <= 250)).all()
    assert activity.rr.dtype == np.float64 and str(activity.rr.index.tz) == "UTC"
    assert activity.status in ("ok", "partial")


@pytest.mark.parametrize("row", VALID, ids=[row["name"] for row in VALID])
def test_valid_file_matches_manifest(row: dict[str, str]) -> None:
    activity = _read_cached(row["name"])
    assert_canonical(activity)
    assert activity.status == "ok", activity.warnings
    warnings = activity.warnings
    merged = _count(r"(\d+) samples shared a timestamp", warnings)
    dropped = (_count(r"(\d+) records without a timestamp skipped", warnings)
               + _count(r"(\d+) records with device system time", warnings)
               + _count(r"(\d+) samples dropped: stamped far", warnings))
    assert len(activity.samples) + merged + dropped == int(row["records"])
    assert len(activity.rr) == int(row["rr_values"])  # never dropped

    hr = int(activity.samples["heart_rate"].notna().sum()) if "heart_rate" in activity.samples \
        else 0
    invalid_hr = _count(r"heart_rate: (\d+) values outside", warnings)
    expected_hr = int(row["rec_hr"]) - invalid_hr
    if int(row["hr_mesgs"]):
        assert hr >= expected_hr - merged - dropped
    else:
        assert expected_hr - merged - dropped <= hr <= expected_hr
    power = int(activity.samples["power"].notna().sum()) if "power" in activity.samples else 0
    invalid_power = _count(r"power: (\d+) values outside", warnings)
    expected_power = int(row["rec_power"])
    assert expected_power - invalid_power - merged - dropped <= power <= expected_power
    assert activity.meta.sha256 and len(activity.meta.sha256) == 64
    assert activity.meta.decoder in ("fast", "fitdecode") and activity.meta.decoder_version


@pytest.mark.parametrize("row", VALID, ids=[row["name"] for row in VALID])
def test_fitparse_backend_agrees(row: dict[str, str]) -> None:
    """fitparse is held to the same data wherever it can read the file."""
    by_fitparse = read(CORPUS / row["name"], backend="fitparse")
    assert_canonical(by_fitparse)
    if by_fitparse.status == "partial":
        pytest.skip(f"fitparse cannot read all of it: {by_fitparse.warnings[-1]}")
    by_fitdecode = _read_cached(row["name"])
    pd.testing.assert_frame_equal(by_fitparse.samples, by_fitdecode.samples)
    pd.testing.assert_series_equal(by_fitparse.rr, by_fitdecode.rr)
    assert by_fitparse.meta.sport == by_fitdecode.meta.sport
    assert len(by_fitparse.sessions) == len(by_fitdecode.sessions)
    assert len(by_fitparse.laps) == len(by_fitdecode.laps)


@pytest.mark.parametrize("row", BROKEN, ids=[row["name"] for row in BROKEN])
@pytest.mark.parametrize("backend", ["fitdecode", "fitparse"])
def test_broken_file_is_partial_or_clear_error(row: dict[str, str], backend: str) -> None:
    try:
        activity = read(CORPUS / row["name"], backend=backend)
    except MyokineticsError as error:
        assert str(CORPUS / row["name"]) in error.one_line()
        assert "\n" not in error.one_line()
        return
    assert_canonical(activity)
    if row["broken"] == "corrupt":
        assert activity.warnings, "a corrupt file must say what was wrong"
    if activity.status == "partial":
        assert any("decoding stopped early" in w for w in activity.warnings)
