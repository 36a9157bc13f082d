"""`myokinetics live` and `myokinetics devices` run as a user would, against the fake BlueZ.

The CLI runs as a real subprocess (its own bleak, its own event loop) on the private bus; the
test drives the fake strap from its own loop meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest

import myokinetics
from tests.conftest import REPO
from tests.devices.fake_bluez import Device, FakeBlueZ

pytestmark = pytest.mark.timeout(60)

ATHLETE_TOML = """\
sex = "female"
age = 34
body_mass_kg = 61
hr_rest = 52
hr_max = 188
hr_threshold = 168
vo2max = 48
ftp_w = 210
w_prime_j = 18000
zones = [120, 140, 155, 170, 188]
"""

PACKETS = [bytes([0x16, 60 + i % 40]) + (1000 + 7 * i).to_bytes(2, "little") for i in range(40)]


async def _cli(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "myokinetics", *args, cwd=REPO, env=dict(os.environ),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


def _recorded_packets(folder: Path) -> int:
    return sum('"event": "hrm"' in line for path in folder.glob("*.jsonl")
               for line in path.read_text().splitlines())


# The waits below bound hangs, not speed: CI runs three suites at once on two cores, and the
# CLI's finish (analysis, report page, library import) took up to ~55 s on a loaded machine.
async def _until(condition, timeout: float = 45.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def _subscribed(strap: Device) -> bool:
    return strap.hrm is not None and strap.hrm.notifying


async def _send(strap: Device, packets: list[bytes], interval: float = 0.02) -> None:
    for packet in packets:
        assert strap.notify(packet)
        await asyncio.sleep(interval)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_devices_lists_the_strap(bluez: FakeBlueZ) -> None:
    process = await _cli("devices", "--timeout", "1")
    out, err = await asyncio.wait_for(process.communicate(), 90)
    assert process.returncode == 0, err.decode()
    assert "Polar H10 12345678" in out.decode() and "A0:9E:1A:12:34:56" in out.decode()
    assert "dBm" in out.decode()


async def test_devices_json(bluez: FakeBlueZ) -> None:
    process = await _cli("devices", "--timeout", "1", "--json")
    out, err = await asyncio.wait_for(process.communicate(), 90)
    assert process.returncode == 0, err.decode()
    document = json.loads(out)
    assert document["schema"] == "myokinetics-devices/1"
    strap = next(d for d in document["devices"] if d["address"] == "A0:9E:1A:12:34:56")
    assert strap["name"] == "Polar H10 12345678" and isinstance(strap["rssi_dbm"], int)


async def test_live_capture_survives_a_link_loss(bluez: FakeBlueZ, tmp_path: Path) -> None:
    strap = bluez.devices["A0:9E:1A:12:34:56"]
    athlete = tmp_path / "athlete.toml"
    athlete.write_text(ATHLETE_TOML)
    out, library = tmp_path / "out", tmp_path / "library"
    # Exactly as a user runs it: live numbers, analysis and library import at the end.
    process = await _cli("live", "--device", "Polar H10", "--out", str(out), "--athlete",
                         str(athlete), "--library", str(library), "--scan-timeout", "5")
    await _until(lambda: _subscribed(strap))
    await _send(strap, PACKETS[:20])
    strap.link_lost()
    await _until(lambda: _subscribed(strap))  # the CLI reconnected and subscribed again
    await _send(strap, PACKETS[20:])
    await _until(lambda: _recorded_packets(out) == 40)  # all recorded before Ctrl-C
    process.send_signal(signal.SIGINT)
    stdout, err = await asyncio.wait_for(process.communicate(), 180)
    assert process.returncode == 0, err.decode()
    printed = stdout.decode()
    assert "40 notifications recorded" in printed
    final = printed[printed.rindex("myokinetics live"):]
    assert "HR " in final and "load " in final and "IL-6" in final, final  # the dashboard
    assert "library: added as " in printed
    assert len(myokinetics.Library(library).activities()) == 1
    (recording,) = out.glob("*.mkrec.jsonl")
    folder = out / recording.name.split(".")[0]  # where `myokinetics analyze` would write
    summary = json.loads((folder / "summary.json").read_text())
    assert summary  # written by the same code as `myokinetics analyze`
    assert (folder / "load.csv").exists() and (folder / "curves.csv").exists()
    lines = _lines(recording)
    assert [bytes.fromhex(x["hex"]) for x in lines if x.get("event") == "hrm"] == PACKETS
    kinds = [x["event"] for x in lines[1:] if x["event"] != "hrm"]
    assert kinds.count("connect") == 2 and kinds[-1] == "end"
    assert any(x.get("reason") == "link lost" for x in lines[1:])
    activity = myokinetics.read(recording)
    assert activity.status == "ok"
    assert activity.samples["heart_rate"].notna().sum() >= 1
    assert len(activity.rr) == 40
    assert any("link lost" in w for w in activity.warnings)


async def test_killed_capture_still_reads(bluez: FakeBlueZ, tmp_path: Path) -> None:
    strap = bluez.devices["A0:9E:1A:12:34:56"]
    process = await _cli("live", "--device", "A0:9E:1A:12:34:56", "--out", str(tmp_path),
                         "--scan-timeout", "5", "--no-finish", "--no-analysis")
    await _until(lambda: _subscribed(strap))
    await _send(strap, PACKETS[:25])
    await _until(lambda: any(tmp_path.glob("*.jsonl")) and sum(
        '"event": "hrm"' in line for line in next(tmp_path.glob("*.jsonl")).read_text()
        .splitlines()) == 25)
    process.send_signal(signal.SIGKILL)
    await asyncio.wait_for(process.wait(), 10)
    assert process.returncode == -signal.SIGKILL
    (recording,) = tmp_path.glob("*.mkrec.jsonl")
    activity = myokinetics.read(recording)
    assert activity.status == "partial"
    assert any("interrupted" in w for w in activity.warnings)
    assert len(activity.rr) == 25  # every notification that arrived before the kill


async def test_ctrl_c_ends_and_saves(bluez: FakeBlueZ, tmp_path: Path) -> None:
    strap = bluez.devices["A0:9E:1A:12:34:56"]
    # No --device: the only strap in range; notifications through BlueZ AcquireNotify.
    process = await _cli("live", "--out", str(tmp_path), "--scan-timeout", "1", "--no-finish",
                         "--no-analysis", "--acquire-notify")
    await _until(lambda: strap.hrm is not None and strap.hrm.acquired is not None)
    await _send(strap, PACKETS[:5])
    await _until(lambda: _recorded_packets(tmp_path) == 5)
    process.send_signal(signal.SIGINT)
    _, err = await asyncio.wait_for(process.communicate(), 90)
    assert process.returncode == 0, err.decode()
    (recording,) = tmp_path.glob("*.mkrec.jsonl")
    activity = myokinetics.read(recording)
    assert activity.status == "ok"
    assert len(activity.rr) == 5
    assert strap.hrm.start_notify_calls == 0


async def test_several_straps_give_one_recording_each(bluez: FakeBlueZ, tmp_path: Path) -> None:
    other = bluez.add_device("C0:FF:EE:00:00:01", "TICKR 1234")
    first = bluez.devices["A0:9E:1A:12:34:56"]
    process = await _cli("live", "--device", "H10", "--device", "TICKR", "--duration", "3",
                         "--out", str(tmp_path), "--scan-timeout", "5", "--no-finish",
                         "--no-analysis")
    await _until(lambda: _subscribed(first) and _subscribed(other))
    await asyncio.gather(_send(first, PACKETS[:10]), _send(other, PACKETS[10:15]))
    _, err = await asyncio.wait_for(process.communicate(), 90)
    assert process.returncode == 0, err.decode()
    by_device = {myokinetics.read(p).meta.product: myokinetics.read(p)
                 for p in tmp_path.glob("*.mkrec.jsonl")}
    assert set(by_device) == {"Polar H10 12345678", "TICKR 1234"}
    assert len(by_device["Polar H10 12345678"].rr) == 10
    assert len(by_device["TICKR 1234"].rr) == 5


@pytest.mark.parametrize(("setup", "message"), [
    ("off", "myokinetics: bluetooth: the Bluetooth adapter is powered off — "),
    ("absent", "myokinetics: bluetooth: the Bluetooth service (bluetoothd) is not running — "),
])
async def test_no_bluetooth_is_one_line_and_exit_2(bus_address: str, tmp_path: Path,
                                                   setup: str, message: str) -> None:
    fake = FakeBlueZ(powered=False)
    if setup == "off":
        fake.add_device()
        await fake.start(bus_address)
    try:
        process = await _cli("live", "--out", str(tmp_path), "--scan-timeout", "1")
        _, err = await asyncio.wait_for(process.communicate(), 90)
    finally:
        await fake.stop()
    lines = err.decode().strip().splitlines()
    assert process.returncode == 2
    assert len(lines) == 1 and lines[0].startswith(message), err.decode()


async def test_unknown_device_is_one_line_and_exit_2(bluez: FakeBlueZ, tmp_path: Path) -> None:
    process = await _cli("live", "--device", "Wahoo TICKR X", "--out", str(tmp_path),
                         "--scan-timeout", "0.5")
    _, err = await asyncio.wait_for(process.communicate(), 90)
    assert process.returncode == 2
    assert err.decode().strip() == ("myokinetics: Wahoo TICKR X: not seen within 0.5 s — wake "
                                    "the strap (put it on) and check the name with "
                                    "`myokinetics devices`")


@pytest.mark.parametrize(("args", "message"), [
    (["--duration", "-3"], "--duration: -3 is not a positive number of seconds"),
    (["--speed", "-1", "--replay", "x.fit"], "--speed: -1 is negative"),
    (["--replay", "/nonexistent.fit"], "/nonexistent.fit: cannot be opened"),
    (["--import"], "--import: given without --replay"),
])
def test_bad_options_are_one_line_errors(args: list[str], message: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from myokinetics.cli import main

    assert main(["live", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"myokinetics: {message}") and "\n" not in err
