"""Small pieces: remembered device, event lines, dashboard text."""

from __future__ import annotations

import io
import json
import re

import pytest

from myokinetics.devices.dashboard import Dashboard, render
from myokinetics.devices.memory import last_device_path, recall_device, remember_device
from myokinetics.devices.session import DeviceState, LiveSession
from myokinetics.ingest.strap_events import DeviceEvent, Notification, event_from_json


def test_remembered_device_round_trips() -> None:
    assert recall_device() is None
    remember_device("A0:9E:1A:12:34:56", "Polar H10 12345678")
    assert recall_device() == {"address": "A0:9E:1A:12:34:56", "name": "Polar H10 12345678"}


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"name": "x"}'])
def test_a_damaged_memory_file_is_ignored(content: str) -> None:
    last_device_path().write_text(content)
    assert recall_device() is None


@pytest.mark.parametrize("event", [
    Notification(1_790_000_000.123456, bytes.fromhex("10495e039603")),
    Notification(1_790_000_000.5, b""),
    DeviceEvent(1_790_000_001.25, "disconnect", {"reason": "link lost"}),
    DeviceEvent(1_790_000_002.0, "battery", {"percent": 87}),
])
def test_events_round_trip_through_their_json_line(event) -> None:
    line = json.loads(json.dumps(event.to_json()))
    back = event_from_json(line)
    assert back == event


def test_malformed_packet_line_carries_the_error() -> None:
    line = Notification(1_790_000_000.0, b"\x01\x3c").to_json()
    assert line["hex"] == "013c" and "16-bit heart rate" in line["error"]


def test_unknown_event_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown event"):
        event_from_json({"t": "2026-11-27T05:30:00Z", "event": "teleport"})


def test_dashboard_shows_what_it_has_and_names_variants() -> None:
    state = DeviceState(label="Polar H10", link="streaming", bpm=142.0, battery_percent=80,
                        first_time=0.0, last_time=754.0, beats=12, rr_rejected=1,
                        analysis={"zone": 3.4, "pct_hrr": 68.2, "trimp": 23.41,
                                  "trimp_label": "trimp_banister_lit_female", "hrss": 18.2,
                                  "hrss_label": "hrss_banister_lit_female", "kcal": 152.0,
                                  "rmssd": 12.3, "dfa_a1": 0.82, "il6": 2.1,
                                  "il6_projected": 3.4, "glycogen": 0.78,
                                  "glycogen_projected": 0.83})
    text = "\n".join(render(state))
    for expected in ("Polar H10", "[streaming]", "0:12:34", "battery 80%", "HR 142 bpm",
                     "zone 3", "%HRR 68%", "trimp_banister_lit_female 23.4", "152 kcal",
                     "RMSSD 12.3 ms", "DFA α1 0.82", "IL-6   2.10 pg/mL now, peak 3.40",
                     "glycogen 78% now, 83%", "model estimates"):
        assert expected in text, expected


def test_dashboard_before_any_rr() -> None:
    text = "\n".join(render(DeviceState(label="strap")))
    assert "waiting for RR" in text and "HR — " in text


def test_session_state_follows_events() -> None:
    session = LiveSession("strap")
    session.feed(DeviceEvent(100.0, "connect", {"connection": 1}))
    session.feed(Notification(101.0, bytes.fromhex("163c1104")))
    session.feed(DeviceEvent(102.0, "battery", {"percent": 55}))
    session.feed(DeviceEvent(103.0, "disconnect", {"reason": "link lost"}))
    session.feed(DeviceEvent(104.0, "connect", {"connection": 2}))
    state = session.state
    assert (state.bpm, state.contact, state.battery_percent) == (60.0, True, 55)
    assert (state.gaps, state.reconnects, state.beats) == (1, 1, 1)
    assert state.last_rr_ms == pytest.approx(1041 * 1000 / 1024)
    assert state.link == "connected"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _streaming(elapsed: float, zone: float = 4.2) -> DeviceState:
    return DeviceState(label="Polar H10 with a rather long advertised name", link="streaming",
                       bpm=171.0, first_time=0.0, last_time=elapsed, beats=40,
                       analysis={"zone": zone, "pct_hrr": 88.0, "trimp": 40.0, "kcal": 300.0})


def test_dashboard_redraws_in_place_within_the_width_in_zone_colour(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "48")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    screen = _Terminal()
    dashboard = Dashboard(screen)
    for second in range(3):
        dashboard.draw([_streaming(600.0 + second)])
    dashboard.close()
    text = screen.getvalue()
    assert "\x1b[2J" not in text                  # never clears the whole screen
    assert "\x1b[1A" in text or "\x1b[2K" in text  # moves back over the previous frame
    assert "\x1b[38;2;230;159;0m" in text  # zone 4: orange
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    assert max(len(line) for line in plain.splitlines()) <= 48


def test_dashboard_respects_no_color(monkeypatch) -> None:
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.setenv("NO_COLOR", "1")
    screen = _Terminal()
    dashboard = Dashboard(screen)
    dashboard.draw([_streaming(10.0)])
    dashboard.close()
    assert "\x1b[38" not in screen.getvalue()


def test_dashboard_into_a_pipe_writes_a_line_per_ten_seconds_then_the_final_block() -> None:
    pipe = io.StringIO()
    dashboard = Dashboard(pipe)
    for second in range(35):
        dashboard.draw([_streaming(float(second))])
    dashboard.close()
    lines = pipe.getvalue().splitlines()
    summaries = [line for line in lines if line.startswith("0:00:")]
    assert [line[:7] for line in summaries] == ["0:00:00", "0:00:10", "0:00:20", "0:00:30"]
    assert "\x1b" not in pipe.getvalue()
    assert lines[len(summaries)].startswith("myokinetics live — final")
