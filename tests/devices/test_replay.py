"""--replay: files become the same events a strap would send, at the chosen speed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import myokinetics
from myokinetics.devices.capture import CaptureOptions, capture
from myokinetics.devices.replay import encode_heart_rate_measurement, open_replay, paced
from myokinetics.ingest.hrm import RR_MAX_MS, RR_MIN_MS, parse_heart_rate_measurement
from myokinetics.ingest.strap_events import Notification
from tests.conftest import SAMPLE_FIT, require_shared

pytestmark = pytest.mark.timeout(120)

RR_LOG = "replays/polar-h10-rr-2021-06-06.csv"


@given(st.integers(0, 0xFFFF), st.lists(st.floats(RR_MIN_MS, RR_MAX_MS), max_size=8))
def test_encoded_packets_decode_to_what_went_in(bpm: int, rr: list[float]) -> None:
    decoded = parse_heart_rate_measurement(encode_heart_rate_measurement(bpm, rr))
    assert decoded.bpm == bpm
    assert decoded.sensor_contact is None
    assert np.allclose(decoded.rr_ms, rr, atol=1000 / 1024 / 2 + 1e-9)


@pytest.fixture
def record(athlete):
    def run(folder: Path, source: Path) -> Path:
        # No live analysis: these tests are about the packets (test_live_batch.py: numbers).
        options = CaptureOptions(replay=source, out=folder, speed=0, finish=False,
                                 analysis=False, athlete=athlete)
        result, = asyncio.run(capture(options, asyncio.Event()))
        return result.recording
    return run


def test_rr_log_replays_every_beat_and_second(tmp_path: Path, record) -> None:
    source = require_shared(RR_LOG)
    original = myokinetics.read(source)
    replayed = myokinetics.read(record(tmp_path, source))
    assert replayed.status == "ok", replayed.warnings
    assert replayed.meta.decoder == "myokinetics-recording"
    plausible = original.rr[(original.rr >= RR_MIN_MS) & (original.rr <= RR_MAX_MS)]
    assert len(replayed.rr) == len(plausible)
    # RR survives the 1/1024 s encoding to within half a unit.
    assert np.abs(replayed.rr.to_numpy() - plausible.to_numpy()).max() <= 0.5
    # Beat times are rebuilt from the RR sums and stay with the logged arrival times; only the
    # strap-removal tail of the log (beats lost, RR sums 2 s short of the clock) departs.
    drift = np.abs((replayed.rr.index - plausible.index).total_seconds())
    assert np.quantile(drift, 0.999) <= 0.25
    assert drift.max() <= 2.0
    # One heart-rate row per logged second, rounded as a strap sends it.
    hr = original.samples["heart_rate"].dropna()
    hr = hr[hr.round() > 0]
    common = replayed.samples.index.intersection(hr.index)
    assert len(common) >= 0.99 * len(hr)
    assert (replayed.samples.loc[common, "heart_rate"] == hr.loc[common].round()).all()


def test_fit_replay_keeps_heart_rate(tmp_path: Path, record) -> None:
    if not SAMPLE_FIT.exists():
        pytest.skip("samples/run-intervals-45min.fit is not built yet")
    original = myokinetics.read(SAMPLE_FIT)
    replayed = myokinetics.read(record(tmp_path, SAMPLE_FIT))
    assert replayed.meta.sport == original.meta.sport
    hr = original.samples["heart_rate"].dropna().round()
    common = replayed.samples.index.intersection(hr.index)
    assert len(common) == len(hr)
    assert (replayed.samples.loc[common, "heart_rate"] == hr.loc[common]).all()


def test_a_recording_replays_its_own_packets_byte_exact(tmp_path: Path, record) -> None:
    source = require_shared(RR_LOG)
    first = record(tmp_path / "a", source)
    second = record(tmp_path / "b", first)

    def body(path: Path) -> list[dict]:
        lines = [json.loads(x) for x in path.read_text().splitlines()[1:]]
        return [x for x in lines if x["event"] != "end"]

    assert body(first) == body(second)
    assert json.loads(second.read_text().splitlines()[0])["source"] == f"replay:{first.name}"


async def test_paced_replay_follows_the_speed() -> None:
    events = [Notification(1000.0 + i, b"\x00\x40") for i in range(11)]
    loop = asyncio.get_running_loop()
    started = loop.time()
    seen = [e async for e in paced(events, 50.0, asyncio.Event())]
    elapsed = loop.time() - started
    assert len(seen) == 11
    assert 10 / 50 <= elapsed < 10 / 50 + 0.5


async def test_stop_ends_a_replay_early() -> None:
    events = [Notification(1000.0 + i, b"\x00\x40") for i in range(100)]
    stop = asyncio.Event()
    seen = []
    async for event in paced(events, 10.0, stop):
        seen.append(event)
        if len(seen) == 3:
            stop.set()
    assert len(seen) == 3


def test_replay_of_a_file_without_heart_rate_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("time,power\n2024-01-01T00:00:00Z,100\n")
    with pytest.raises(myokinetics.InputError, match="no heart rate"):
        open_replay(path)




def test_cli_replay_records_analyses_and_imports_when_asked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from myokinetics.cli import main
    from tests.devices.test_cli_live import ATHLETE_TOML

    if not SAMPLE_FIT.exists():
        pytest.skip("samples/run-intervals-45min.fit is not built yet")
    athlete = tmp_path / "athlete.toml"
    athlete.write_text(ATHLETE_TOML)
    out, library = tmp_path / "out", tmp_path / "library"
    assert main(["live", "--replay", str(SAMPLE_FIT), "--speed", "0", "--out", str(out),
                 "--athlete", str(athlete), "--library", str(library), "--import"]) == 0
    printed = capsys.readouterr().out
    final = printed[printed.rindex("myokinetics live"):]
    assert "[saved]" in final and "zone " in final and "IL-6" in final
    (recording,) = out.glob("*.mkrec.jsonl")
    summary = json.loads((out / recording.name.split(".")[0] / "summary.json").read_text())
    batch = myokinetics.analyze(recording, myokinetics.Athlete.from_toml(athlete))
    assert summary["totals"]["trimp"] == pytest.approx(batch.totals["trimp"])
    assert "library: added as " in printed and "not imported" not in printed
    assert f"FIT: {out / recording.name.split('.')[0]}.fit" in printed


def test_implausible_rr_gives_no_heart_rate_but_is_still_sent() -> None:
    # FatMaxxer log ending like the real H10 session: a 4189 ms "interval" (strap taken off).
    from myokinetics.devices.replay import synthesize_events
    from myokinetics.ingest.csvfile import read_csv

    rows = ["timestamp,rr,since_start", "1622965989924,474,0", "1622965994867,4189,474"]
    activity = read_csv("\n".join(rows).encode(), "tail.csv")
    packets = [e for e in synthesize_events(activity) if isinstance(e, Notification)]
    decoded = [parse_heart_rate_measurement(p.data) for p in packets]
    # 127 bpm (60000 / 474) in the first interval, no reading in the 4189 ms one: no packet
    # claims 14 bpm (60000 / 4189), in particular not the one carrying that beat.
    assert {d.bpm for d in decoded} == {127, 0}
    assert decoded[-1].bpm == 0
    sent = [raw * 1000 / 1024 for d in decoded for raw in d.rr_raw]
    assert np.allclose(sent, [474, 4189], atol=0.5)


def test_rr_log_tail_has_no_heart_rate_from_its_implausible_last_rr() -> None:
    from myokinetics.devices.replay import synthesize_events

    activity = myokinetics.read(require_shared(RR_LOG))
    assert activity.rr.iloc[-1] > RR_MAX_MS  # the log ends on the 4189 ms value
    last = [e for e in synthesize_events(activity) if isinstance(e, Notification)][-1]
    decoded = parse_heart_rate_measurement(last.data)
    assert decoded.bpm == 0
    assert decoded.rr_raw and decoded.rr_raw[-1] * 1000 / 1024 > RR_MAX_MS
