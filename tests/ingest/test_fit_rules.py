"""The wrapper rules of ../shared/notes/fit-parsers.md §6.2, one test each, on corpus files."""

from __future__ import annotations

import gzip
import shutil

import numpy as np
import pandas as pd
import pytest

from myokinetics import InputError, UnsupportedFormatError, read
from tests.conftest import require_shared


def corpus_file(name: str):
    return require_shared(f"fit-corpus/{name}")


def test_content_is_sniffed_not_the_extension(tmp_path):
    renamed = tmp_path / "activity.txt"
    shutil.copy(corpus_file("fitparse__Activity.fit"), renamed)
    assert read(renamed).meta.format == "fit"


def test_gzip_reads_like_the_plain_file_and_hashes_the_same(tmp_path):
    plain = corpus_file("gc__HRV-Data.fit")
    packed = tmp_path / "a.fit.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    a, b = read(plain), read(packed)
    assert a.meta.sha256 == b.meta.sha256
    assert a.samples.equals(b.samples) and a.rr.equals(b.rr)


def test_empty_and_non_fit_input_are_rejected(tmp_path):
    with pytest.raises(InputError, match="empty file"):
        read(corpus_file("sportslib__empty-sessions.fit"))
    text = tmp_path / "notes.fit"
    text.write_text("hello, not a watch file\n")
    with pytest.raises(UnsupportedFormatError, match=r"notes\.fit"):
        read(text)
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "missing.fit")


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(InputError, match="unknown FIT backend"):
        read(corpus_file("fitparse__Activity.fit"), backend="nope")


@pytest.mark.parametrize("backend", ["fitdecode", "fitparse"])
def test_crc_mismatch_is_a_warning_not_silence_nor_failure(backend):
    activity = read(corpus_file("fitparse__activity-filecrc.fit"), backend=backend)
    assert any("CRC mismatch" in w for w in activity.warnings)
    assert len(activity.samples) > 0


def test_zero_header_crc_is_legal():
    activity = read(corpus_file("runalyze__Standard.fit"))
    assert activity.status == "ok"
    assert not any("CRC" in w for w in activity.warnings)


def test_unfinished_recording_is_recovered():
    activity = read(corpus_file("sportslib__empty-activities.fit"))
    assert activity.status == "partial"
    assert len(activity.samples) == 2319  # every other decoder returns 0 here
    assert any("unfinished recording" in w for w in activity.warnings)


def test_file_without_final_crc_keeps_its_records():
    activity = read(corpus_file("fitparse__nick.fit"))
    assert activity.status == "partial"
    assert len(activity.samples) > 14_000


def test_chained_files_are_all_read():
    activity = read(corpus_file("muktihari__chained_Activity_activity_poolswim.fit"))
    assert activity.status == "ok"
    assert activity.samples.index[-1] - activity.samples.index[0] > np.timedelta64(1, "h") or \
        len(activity.sessions) >= 2


@pytest.mark.parametrize("backend", ["fitdecode", "fitparse"])
def test_strap_hr_messages_give_pool_swims_heart_rate(backend):
    # garmin-fit-sdk's merge gives 2,630 HR records; the raw records carry none
    activity = read(corpus_file("gc__GarminHRMswim.FIT"), backend=backend)
    assert activity.samples["heart_rate"].notna().sum() == 2630
    assert activity.samples["heart_rate"].between(60, 200).all()


def test_rr_timeline_is_rebuilt_from_untimed_hrv_messages():
    activity = read(corpus_file("gc__HRV-Data.fit"))
    assert len(activity.rr) == 9350
    beats = activity.rr.index
    assert beats.is_monotonic_increasing
    span = (beats[-1] - beats[0]).total_seconds()
    assert span == pytest.approx(activity.rr.iloc[1:].sum() / 1000, rel=1e-9)
    assert abs((beats[0] - activity.samples.index[0]).total_seconds()) < 5


def test_relative_system_time_is_detected():
    activity = read(corpus_file("gpsbabel__garmin-virb-ultra-30.fit"))
    assert activity.meta.time_base in ("relative", "absolute")
    if activity.meta.time_base == "relative":
        assert any("since device power-on" in w for w in activity.warnings)
    else:
        assert activity.samples.index[0].year >= 2000


def test_developer_fields_never_shadow_native_ones():
    # a Connect IQ swim app names its developer fields `speed` and `distance`
    activity = read(corpus_file("runalyze__swim-via-iq.fit"))
    assert "dev.0.speed" in activity.developer.columns
    assert "speed" not in activity.samples  # the native record has no speed
    native_distance = activity.samples["distance"].dropna()
    developer_distance = activity.developer["dev.0.distance"].dropna()
    assert not native_distance.reindex(developer_distance.index).equals(developer_distance)


def test_enhanced_speed_and_altitude_are_preferred():
    activity = read(corpus_file("gc__Fr955v19.28andStryd.fit"))
    assert activity.samples["speed"].notna().any()
    assert activity.samples["altitude"].notna().any()


def test_multisport_samples_are_assigned_to_sessions():
    first = read(corpus_file("muktihari__triathlon_summary_first.fit"))
    last = read(corpus_file("muktihari__triathlon_summary_last.fit"))
    for activity in (first, last):
        assert activity.meta.sport == "multisport"
        assert len(activity.sessions) >= 3
        sessions = activity.samples["session"].dropna().astype(int)
        assert sessions.is_monotonic_increasing
        assert sessions.nunique() == len(activity.sessions)
    assert list(first.sessions["sport"]) == list(last.sessions["sport"])


def test_heart_rate_zero_becomes_nan():
    activity = read(corpus_file("runalyze__hr-only-zeros.fit"))
    assert "heart_rate" not in activity.samples or activity.samples["heart_rate"].isna().all()
    assert any("heart_rate" in w and "set to NaN" in w for w in activity.warnings)


def test_backwards_timestamps_are_sorted_and_reported():
    activity = read(corpus_file("runalyze__One-second-jump-to-past.fit"))
    assert activity.samples.index.is_monotonic_increasing
    assert any("backwards" in w for w in activity.warnings)


def test_clock_jumps_are_reported():
    activity = read(corpus_file("runalyze__time-jump.fit"))
    assert any("time jumps forward" in w for w in activity.warnings)


def test_unknown_and_manufacturer_messages_do_not_become_columns():
    activity = read(corpus_file("gpsbabel__wahoo-element-bolt.fit"))
    assert not [c for c in activity.samples.columns if c.startswith("unknown")]


def test_local_time_offset_comes_from_the_activity_message():
    activity = read(corpus_file("gc__GarminHRMswim.FIT"))
    assert activity.meta.utc_offset is not None
    assert activity.meta.utc_offset.total_seconds() == 7200


def test_truncated_gzip_keeps_what_came_before_the_cut(tmp_path):
    packed = gzip.compress(corpus_file("gc__HRV-Data.fit").read_bytes())
    cut = tmp_path / "cut.fit.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    activity = read(cut)
    assert activity.status == "partial"
    assert activity.warnings[0].startswith("gzip data cut off")
    assert 0 < len(activity.samples) < len(read(corpus_file("gc__HRV-Data.fit")).samples)
    stub = tmp_path / "stub.fit.gz"
    stub.write_bytes(packed[:12])
    with pytest.raises(InputError, match="cut off"):
        read(stub)


def test_a_record_stamped_decades_away_is_dropped_with_a_warning():
    activity = read(corpus_file("fitparse__strava-android-app-201.10-b1218918.fit"))
    assert activity.samples.index[-1] < activity.samples.index[0] + pd.Timedelta("1h")
    assert any(w.startswith("1 samples dropped: stamped far") and "2085" in w
               for w in activity.warnings)
