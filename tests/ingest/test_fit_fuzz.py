"""Damaged real files never crash the reader: an Activity or a MyokineticsError, nothing else."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myokinetics import Activity, MyokineticsError
from myokinetics.ingest.dispatch import read_bytes
from tests.conftest import CORPUS
from tests.ingest.fit_gate import assert_same_activity, read_or_error

# Small files with varied structure: chained, strap hr messages, developer fields, compressed
# timestamps, hrv messages.
SEEDS = [
    "fitparse__Activity.fit",
    "muktihari__HrmPluginTestActivity.fit",
    "fitparse__developer-types-sample.fit",
    "fitparse__garmin-fenix-5-walk.fit",
    "runalyze__FR70-intervals.fit",
    "fitparse__activity-settings.fit",
]
SEED_BYTES = {name: (CORPUS / name).read_bytes() for name in SEEDS if (CORPUS / name).exists()}

pytestmark = pytest.mark.skipif(not SEED_BYTES, reason="../shared/fit-corpus is absent")

FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _read_or_error(data: bytes, backend: str) -> None:
    try:
        activity = read_bytes(data, "fuzzed.fit", backend=backend)
    except MyokineticsError as error:
        assert "fuzzed.fit" in error.one_line()
        return
    assert isinstance(activity, Activity)
    assert activity.samples.index.is_monotonic_increasing


@FUZZ
@given(name=st.sampled_from(sorted(SEED_BYTES)), cut=st.floats(0.0, 1.0),
       backend=st.sampled_from(["fast", "fitdecode", "fitparse"]))
def test_truncated_files_never_crash(name: str, cut: float, backend: str) -> None:
    data = SEED_BYTES[name]
    _read_or_error(data[: int(len(data) * cut)], backend)


@FUZZ
@given(name=st.sampled_from(sorted(SEED_BYTES)), data=st.data(),
       backend=st.sampled_from(["fast", "fitdecode", "fitparse"]))
def test_flipped_bytes_never_crash(name: str, data: st.DataObject, backend: str) -> None:
    content = bytearray(SEED_BYTES[name])
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(content) - 1),
                                         st.integers(1, 255)), min_size=1, max_size=8))
    for position, mask in flips:
        content[position] ^= mask
    _read_or_error(bytes(content), backend)


GATE = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@GATE
@given(name=st.sampled_from(sorted(SEED_BYTES)), cut=st.floats(0.0, 1.0))
def test_fast_equals_fitdecode_on_truncated_files(name: str, cut: float) -> None:
    data = SEED_BYTES[name][: int(len(SEED_BYTES[name]) * cut)]
    assert_same_activity(read_or_error(data, "fast"), read_or_error(data, "fitdecode"))


@GATE
@given(name=st.sampled_from(sorted(SEED_BYTES)), data=st.data())
def test_fast_equals_fitdecode_on_flipped_bytes(name: str, data: st.DataObject) -> None:
    content = bytearray(SEED_BYTES[name])
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(content) - 1),
                                         st.integers(1, 255)), min_size=1, max_size=8))
    for position, mask in flips:
        content[position] ^= mask
    assert_same_activity(read_or_error(bytes(content), "fast"),
                         read_or_error(bytes(content), "fitdecode"))
