"""Recording format: written crash-safely, read back by myokinetics.read, cut-offs tolerated."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import myokinetics
from myokinetics.devices.recorder import RecordingWriter
from myokinetics.errors import InputError
from myokinetics.ingest.dispatch import RECORDING_MAGIC, sniff_format
from myokinetics.ingest.recording import RecordingHeader, read_recording
from myokinetics.ingest.strap_events import DeviceEvent, Notification
from myokinetics.ingest.strap_timeline import MAX_RR_LAG_S, RRClock, TimelineBuilder

T0 = 1_790_000_000.0  # 2026-09-21, an arbitrary UTC instant


def _packet(bpm: int, rr_raw: list[int]) -> bytes:
    flags = 0x16 if rr_raw else 0x06
    return bytes([flags, bpm]) + b"".join(v.to_bytes(2, "little") for v in rr_raw)


def _write(folder: Path, events: list[Notification | DeviceEvent], close: bool = True) -> Path:
    header = RecordingHeader(created=T0, device_name="Polar H10 12345678",
                             device_address="A0:9E:1A:12:34:56", sport="running",
                             utc_offset_s=3600.0)
    writer = RecordingWriter(folder, header)
    for event in events:
        writer.write(event)
    if close:
        writer.close(events[-1].time + 0.5)
    else:
        writer._file.close()  # the process died: the OS closes the file, no end event
    return writer.path


def _session(seconds: int = 30, gap: tuple[int, int] | None = None) -> list:
    events: list = [DeviceEvent(T0 + 0.2, "connect")]
    for i in range(1, seconds + 1):
        t = T0 + i + 0.3
        if gap and gap[0] <= i < gap[1]:
            if i == gap[0]:
                events.append(DeviceEvent(t, "disconnect", {"reason": "link lost"}))
            continue
        if gap and i == gap[1]:
            events.append(DeviceEvent(t - 0.1, "connect"))
        events.append(Notification(t, _packet(60 + i % 5, [1024])))
    return events


def test_header_matches_the_sniffer_and_myokinetics_read_reads_it(tmp_path: Path) -> None:
    path = _write(tmp_path, _session())
    data = path.read_bytes()
    assert data.startswith(RECORDING_MAGIC)
    assert sniff_format(data) == "recording"
    activity = myokinetics.read(path)
    assert activity.status == "ok", activity.warnings
    assert activity.meta.decoder == "myokinetics-recording"
    assert activity.meta.product == "Polar H10 12345678"
    assert activity.meta.serial == "A0:9E:1A:12:34:56"
    assert activity.meta.sport == "running"
    assert activity.meta.utc_offset.total_seconds() == 3600.0
    assert activity.samples.index.tz is not None
    assert len(activity.samples) == 30
    assert activity.samples["heart_rate"].iloc[0] == 61.0
    assert activity.samples.index[0] == pd.Timestamp(T0 + 1, unit="s", tz="UTC")
    assert len(activity.rr) == 30
    assert activity.rr.iloc[0] == 1000.0


def test_every_line_is_json_with_raw_hex_and_decoded_values(tmp_path: Path) -> None:
    path = _write(tmp_path, _session(3))
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert next(iter(lines[0])) == "format"
    hrm = [line for line in lines[1:] if line["event"] == "hrm"]
    assert hrm[0]["hex"] == "163d0004"
    assert hrm[0]["bpm"] == 61 and hrm[0]["contact"] is True and hrm[0]["rr_ms"] == [1000.0]
    assert lines[-1]["event"] == "end"


def test_default_sport_is_generic(tmp_path: Path) -> None:
    writer = RecordingWriter(tmp_path, RecordingHeader(created=T0))
    writer.write(Notification(T0 + 1, _packet(70, [])))
    writer.close(T0 + 2)
    assert myokinetics.read(writer.path).meta.sport == "generic"


def test_a_file_cut_anywhere_after_the_header_still_reads(tmp_path: Path) -> None:
    path = _write(tmp_path, _session(8), close=False)
    data = path.read_bytes()
    header_end = data.index(b"\n") + 1
    for cut in range(header_end, len(data) + 1):
        activity = read_recording(data[:cut], "cut.jsonl")
        assert activity.status == "partial"
        assert any("interrupted" in w for w in activity.warnings)
        # A cut inside a line drops exactly that line, never an earlier one.
        assert len(activity.samples) == sum(_is_hrm_line(line)
                                            for line in data[header_end:cut].split(b"\n"))


def _is_hrm_line(line: bytes) -> bool:
    try:
        return json.loads(line)["event"] == "hrm"
    except ValueError:
        return False


def test_cut_mid_line_warns(tmp_path: Path) -> None:
    data = _write(tmp_path, _session(5)).read_bytes()
    activity = read_recording(data[:-7], "cut.jsonl")
    assert activity.status == "partial"
    assert any("cut off mid-line" in w for w in activity.warnings)


def test_damaged_header_is_a_one_line_input_error(tmp_path: Path) -> None:
    data = _write(tmp_path, _session(2)).read_bytes()
    with pytest.raises(InputError, match="header"):
        read_recording(data[:20], "short.jsonl")


def test_gaps_stay_gaps_and_are_reported(tmp_path: Path) -> None:
    activity = myokinetics.read(_write(tmp_path, _session(30, gap=(10, 20))))
    hr = activity.samples["heart_rate"]
    # Seconds 10..19 have no reading: one NaN row marks the drop, nothing is filled in.
    assert hr.loc[pd.Timestamp(T0 + 10, unit="s", tz="UTC")] != hr.loc[
        pd.Timestamp(T0 + 10, unit="s", tz="UTC")]
    assert len(hr) == 30 - 10 + 1
    assert hr.isna().sum() == 1
    assert any("link lost" in w and "9.9 s" in w for w in activity.warnings)
    # The beat clock restarts after the gap: no beat falls inside it.
    inside = activity.rr[(activity.rr.index > pd.Timestamp(T0 + 10.3, unit="s", tz="UTC"))
                         & (activity.rr.index < pd.Timestamp(T0 + 19.3, unit="s", tz="UTC"))]
    assert inside.empty


def test_one_row_per_second_first_notification_wins() -> None:
    builder = TimelineBuilder()
    chunk = builder.run([Notification(T0 + 0.1, _packet(80, [])),
                         Notification(T0 + 0.9, _packet(90, [])),
                         Notification(T0 + 1.05, _packet(100, []))])
    assert chunk.samples["heart_rate"].tolist() == [80.0, 100.0]


def test_zero_bpm_and_no_contact_are_missing_not_zero() -> None:
    chunk = TimelineBuilder().run([Notification(T0, bytes([0x00, 0])),
                                   Notification(T0 + 1, bytes([0x04, 75]))])
    assert chunk.samples["heart_rate"].isna().all()


def test_pushing_one_by_one_equals_running_all_at_once() -> None:
    events = _session(40, gap=(15, 22))
    whole = TimelineBuilder().run(events)
    step = TimelineBuilder()
    parts = [step.push(e) for e in events]
    samples = pd.concat([p.samples for p in parts if not p.samples.empty])
    rr = pd.concat([p.rr for p in parts if not p.rr.empty])
    pd.testing.assert_frame_equal(samples, whole.samples)
    pd.testing.assert_series_equal(rr, whole.rr)


def test_rr_clock_follows_rr_sums_not_arrival_jitter() -> None:
    clock = RRClock()
    rng = np.random.default_rng(3)
    beats: list[tuple[float, float]] = []
    t = T0
    for _ in range(50):
        t += 1.0
        beats += clock.push(t + rng.uniform(0, 0.05), (500.0, 500.0))
    spacing = np.diff([b[0] for b in beats])
    # Beat spacing follows the RR sums despite 0-50 ms arrival jitter; the clock only moves
    # (earlier, by less than the jitter) when a packet arrives sooner than any before it.
    assert np.mean(np.isclose(spacing, 0.5)) > 0.9
    assert np.all((spacing > 0.45) & (spacing <= 0.5 + 1e-9))


def test_rr_clock_reanchors_after_lost_beats() -> None:
    clock = RRClock()
    first = clock.push(T0, (1000.0,))
    later = clock.push(T0 + 1 + MAX_RR_LAG_S + 5, (1000.0,))
    assert first[0][0] == T0
    assert later[0][0] == pytest.approx(T0 + 1 + MAX_RR_LAG_S + 5)
    assert not math.isnan(later[0][1])


def test_import_and_analyze_accept_recordings_even_cut_off(tmp_path: Path, athlete) -> None:
    whole = _write(tmp_path / "a", _session(120))
    cut = tmp_path / "cut.mkrec.jsonl"
    data = _write(tmp_path / "b", _session(90), close=False).read_bytes()
    cut.write_bytes(data[:-9])  # a crash in the middle of the last line
    library = myokinetics.Library(tmp_path / "library")
    report = library.import_paths([whole, cut], workers=1, progress=False)
    assert (report.imported, report.partial) == (2, 1), report.outcomes
    assert len(library.activities()) == 2
    analysis = myokinetics.analyze(cut, athlete, horizon="1h")
    assert analysis.totals["duration_s"] > 60
