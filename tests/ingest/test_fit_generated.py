"""The FIT reader on files written by tools.fitgen, where the truth is known exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from myokinetics import read
from myokinetics.ingest.dispatch import read_bytes
from tests.conftest import SAMPLE_FIT
from tools import fitgen
from tools.fitgen_edge import (
    chained_strap_bytes,
    duplicate_timestamps,
    invalid_heart_rates,
    multisport,
    relative_timestamps,
    shadowing_dev_fields,
    short_run,
    with_power,
)

BACKENDS = ["fast", "fitdecode", "fitparse"]


def read_spec(spec: fitgen.WorkoutSpec, backend: str = "fitdecode"):
    return read_bytes(fitgen.fit_bytes(spec), "generated.fit", backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_bundled_sample_round_trips(backend):
    spec = fitgen.sample_run()
    activity = read(SAMPLE_FIT, backend=backend)
    assert activity.status == "ok" and not activity.warnings
    assert len(activity.samples) == len(spec.records) == 2700
    np.testing.assert_array_equal(activity.samples["heart_rate"].to_numpy(),
                                  spec.records["heart_rate"].to_numpy())
    np.testing.assert_allclose(activity.rr.to_numpy(), spec.rr_ms, atol=0.5)
    assert activity.rr.index[0] == spec.start + pd.Timedelta(milliseconds=spec.rr_ms[0])
    assert activity.meta.sport == "running"
    assert activity.meta.utc_offset == pd.Timedelta(hours=2)
    assert len(activity.laps) == len(spec.laps)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("packed", [True, False])
def test_chained_strap_files_give_exact_beat_heart_rate(backend, packed):
    chained = chained_strap_bytes(packed=packed)
    activity = read_bytes(chained.data, "chained.fit", backend=backend)
    hr = activity.samples["heart_rate"]
    assert hr.notna().mean() > 0.95
    truth = chained.strap.set_index("time")["filtered_bpm"].astype(float)
    truth_seconds = (truth.index.asi8 - truth.index.asi8[0]) / 1e9
    sample_seconds = (hr.index.asi8 - truth.index.asi8[0]) / 1e9
    expected = np.interp(sample_seconds, truth_seconds, truth.to_numpy())
    covered = hr.notna().to_numpy()
    # exact beat times: within rounding of the interpolation, not off by seconds
    np.testing.assert_allclose(hr.to_numpy()[covered], expected[covered], atol=1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_duplicate_timestamps_merge_keeping_the_first(backend):
    spec = duplicate_timestamps()
    activity = read_spec(spec, backend)
    assert len(activity.samples) == 300
    assert activity.samples.index.is_unique
    original = short_run().records["heart_rate"].to_numpy()
    np.testing.assert_array_equal(activity.samples["heart_rate"].to_numpy(), original)
    assert any("5 samples shared a timestamp" in w for w in activity.warnings)


@pytest.mark.parametrize("backend", BACKENDS)
def test_invalid_heart_rates_become_nan(backend):
    activity = read_spec(invalid_heart_rates(), backend)
    hr = activity.samples["heart_rate"].to_numpy()
    assert np.isnan(hr[100:110]).all() and np.isnan(hr[200:210]).all()
    assert np.isnan(hr[250:255]).all()
    assert not np.isnan(hr[:100]).any()
    assert any("heart_rate: 10 values outside" in w for w in activity.warnings)


@pytest.mark.parametrize("backend", BACKENDS)
def test_developer_fields_named_like_native_ones_stay_apart(backend):
    spec = shadowing_dev_fields()
    activity = read_spec(spec, backend)
    np.testing.assert_allclose(activity.samples["speed"].to_numpy(),
                               spec.records["speed"].to_numpy(), atol=1e-3)
    np.testing.assert_array_equal(activity.samples["heart_rate"].to_numpy(),
                                  spec.records["heart_rate"].to_numpy())
    speed_columns = [c for c in activity.developer.columns if c.endswith(".speed")]
    assert speed_columns
    np.testing.assert_allclose(activity.developer[speed_columns[0]].to_numpy(),
                               spec.records["speed"].to_numpy() * 3.6, atol=0.01)


@pytest.mark.parametrize("backend", BACKENDS)
def test_multisport_sessions_and_sample_assignment(backend):
    spec = multisport()
    activity = read_spec(spec, backend)
    assert activity.meta.sport == "multisport"
    assert list(activity.sessions["sport"]) == [s.sport for s in spec.sessions]
    session = activity.samples["session"]
    for number, expected in enumerate(spec.sessions):
        inside = session[session == number]
        assert len(inside) > 0
        assert inside.index[0] >= activity.sessions["start"].iloc[number]
        assert expected.sport == activity.sessions["sport"].iloc[number]
    bike = activity.sessions.index[activity.sessions["sport"] == "cycling"][0]
    assert activity.samples.loc[session == bike, "power"].notna().all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_power_is_read(backend):
    spec = with_power()
    activity = read_spec(spec, backend)
    assert activity.has_power
    np.testing.assert_allclose(activity.samples["power"].to_numpy(),
                               spec.records["power"].to_numpy())


@pytest.mark.parametrize("backend", BACKENDS)
def test_relative_timestamps_are_marked(backend):
    activity = read_spec(relative_timestamps(), backend)
    assert activity.meta.time_base == "relative"
    assert any("since device power-on" in w for w in activity.warnings)
    assert len(activity.samples) == 300
