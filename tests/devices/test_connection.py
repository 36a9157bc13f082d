"""Scanning and the connection manager end to end: real bleak against the fake BlueZ."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Callable

import pytest

from myokinetics.devices.connection import Backoff, StrapConnection
from myokinetics.devices.errors import (
    BluetoothUnavailableError,
    ConnectError,
    DeviceNotFoundError,
)
from myokinetics.devices.memory import remember_device
from myokinetics.devices.scanner import FoundDevice, choose_device, find_device, scan
from myokinetics.ingest.hrm import parse_heart_rate_measurement
from myokinetics.ingest.strap_events import DeviceEvent, Notification
from tests.conftest import SHARED, require_shared
from tests.devices.fake_bluez import HRS, FakeBlueZ

pytestmark = pytest.mark.timeout(30)

FAST = Backoff(initial_s=0.05, factor=2.0, max_s=0.2)


class Events(list):
    """Collects events; ``wait_for`` polls until a condition holds (or fails the test)."""

    def __call__(self, event: Notification | DeviceEvent) -> None:
        self.append(event)

    def kinds(self) -> list[str]:
        return ["hrm" if isinstance(e, Notification) else e.kind for e in self]

    def packets(self) -> list[bytes]:
        return [e.data for e in self if isinstance(e, Notification)]

    async def wait_for(self, condition: Callable[[Events], bool], timeout: float = 5.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition(self):
            assert loop.time() < deadline, f"timed out; events so far: {self.kinds()} {self[-1]}"
            await asyncio.sleep(0.01)


async def _running(connection: StrapConnection) -> tuple[asyncio.Event, asyncio.Task[None]]:
    stop = asyncio.Event()
    return stop, asyncio.create_task(connection.run(stop))


async def _finish(stop: asyncio.Event, task: asyncio.Task[None]) -> None:
    stop.set()
    await asyncio.wait_for(task, 10)


async def test_scan_lists_heart_rate_devices_only(bluez: FakeBlueZ) -> None:
    bluez.add_device("11:22:33:44:55:66", "Kitchen scale",
                     uuids=["0000181d-0000-1000-8000-00805f9b34fb"])
    bluez.add_device("C0:FF:EE:00:00:01", "TICKR 1234", rssi=-70)
    found = await scan(timeout=1.0)
    assert [(d.name, d.address) for d in found] == [
        ("Polar H10 12345678", "A0:9E:1A:12:34:56"), ("TICKR 1234", "C0:FF:EE:00:00:01")]
    assert all(-80 < d.rssi < -50 for d in found)


@pytest.mark.parametrize("query", ["Polar H10 12345678", "h10", "a0:9e:1a:12:34:56"])
async def test_find_by_name_or_address(bluez: FakeBlueZ, query: str) -> None:
    found = await find_device(query, timeout=3)
    assert found.address == "A0:9E:1A:12:34:56"
    assert found.name == "Polar H10 12345678"


async def test_find_unknown_name_is_a_one_line_error(bluez: FakeBlueZ) -> None:
    with pytest.raises(DeviceNotFoundError, match=r"not seen within 0\.3 s") as info:
        await find_device("Garmin HRM-Pro", timeout=0.3)
    assert "\n" not in str(info.value)


async def test_choose_prefers_remembered_then_only_one(bluez: FakeBlueZ) -> None:
    bluez.add_device("C0:FF:EE:00:00:01", "TICKR 1234")
    with pytest.raises(DeviceNotFoundError, match="2 heart-rate devices seen"):
        await choose_device(None, timeout=1.0)
    remember_device("C0:FF:EE:00:00:01", "TICKR 1234")
    assert (await choose_device(None, timeout=2)).name == "TICKR 1234"


@pytest.mark.parametrize("acquire", [False, True], ids=["StartNotify", "AcquireNotify"])
async def test_every_vector_arrives_byte_exact(bluez: FakeBlueZ, acquire: bool) -> None:
    require_shared("science/vectors/heart-rate-measurement.csv")
    with (SHARED / "science/vectors/heart-rate-measurement.csv").open() as handle:
        vectors = [bytes.fromhex(row["hex"]) for row in csv.DictReader(handle)]
    events = Events()
    strap = bluez.devices["A0:9E:1A:12:34:56"]
    connection = StrapConnection(await find_device("H10", 3), events, acquire_notify=acquire)
    stop, task = await _running(connection)
    await events.wait_for(lambda e: strap.hrm is not None and (
        strap.hrm.acquired is not None if acquire else strap.hrm.notifying))
    for packet in vectors:
        assert strap.notify(packet)
        await asyncio.sleep(0.002)
    await events.wait_for(lambda e: len(e.packets()) == len(vectors))
    await _finish(stop, task)
    assert events.packets() == vectors
    assert [parse_heart_rate_measurement(p).bpm for p in events.packets()] == [
        parse_heart_rate_measurement(v).bpm for v in vectors]
    assert (strap.hrm.acquire_notify_calls, strap.hrm.start_notify_calls) == (
        (1, 0) if acquire else (0, 1))
    assert events.kinds()[0] == "connect" and events.kinds()[-1] == "disconnect"
    assert events[-1].detail["reason"] == "stopped"


async def test_device_information_and_battery_where_offered(bus_address: str) -> None:
    fake = FakeBlueZ(battery_plugin=False)
    fake.add_device()
    await fake.start(bus_address)
    try:
        events = Events()
        connection = StrapConnection(await find_device("H10", 3), events)
        stop, task = await _running(connection)
        await events.wait_for(lambda e: "battery" in e.kinds())
        await _finish(stop, task)
    finally:
        await fake.stop()
    info = next(e for e in events if isinstance(e, DeviceEvent) and e.kind == "device_info")
    assert info.detail == {"manufacturer": "Polar Electro Oy", "model": "H10",
                           "serial": "12345678", "firmware": "3.1.1"}
    assert connection.battery_percent == 87


async def test_battery_through_bluez_battery_plugin(bluez: FakeBlueZ) -> None:
    # bluetoothd's default: 0x180F hidden from GATT, shown as org.bluez.Battery1.Percentage.
    bluez.devices["A0:9E:1A:12:34:56"].battery = 64
    events = Events()
    stop, task = await _running(StrapConnection(await find_device("H10", 3), events))
    await events.wait_for(lambda e: "battery" in e.kinds())
    await _finish(stop, task)
    battery = next(e for e in events if isinstance(e, DeviceEvent) and e.kind == "battery")
    assert battery.detail == {"percent": 64}


async def test_a_strap_without_information_or_battery_still_streams(bus_address: str) -> None:
    fake = FakeBlueZ(with_device_information=False)
    strap = fake.add_device()
    strap.battery = None
    await fake.start(bus_address)
    try:
        events = Events()
        stop, task = await _running(StrapConnection(await find_device("H10", 3), events))
        await events.wait_for(lambda e: strap.hrm is not None and strap.hrm.notifying)
        strap.notify(b"\x00\x40")
        await events.wait_for(lambda e: e.packets() == [b"\x00\x40"])
        await _finish(stop, task)
    finally:
        await fake.stop()
    assert "device_info" not in events.kinds() and "battery" not in events.kinds()


@pytest.mark.parametrize("acquire", [False, True], ids=["StartNotify", "AcquireNotify"])
async def test_link_loss_reconnects_and_resubscribes(bluez: FakeBlueZ, acquire: bool) -> None:
    events = Events()
    strap = bluez.devices["A0:9E:1A:12:34:56"]
    connection = StrapConnection(await find_device("H10", 3), events, backoff=FAST,
                                 acquire_notify=acquire)
    stop, task = await _running(connection)

    def subscribed(_: Events) -> bool:
        return strap.hrm is not None and (strap.hrm.acquired is not None if acquire
                                          else strap.hrm.notifying)

    await events.wait_for(subscribed)
    strap.notify(b"\x06\x3c")
    await events.wait_for(lambda e: len(e.packets()) == 1)
    strap.link_lost()
    await events.wait_for(lambda e: e.kinds().count("connect") == 2 and subscribed(e))
    strap.notify(b"\x06\x3d")
    await events.wait_for(lambda e: len(e.packets()) == 2)
    await _finish(stop, task)
    kinds = events.kinds()
    assert kinds[:kinds.index("disconnect") + 1][-2:] == ["hrm", "disconnect"]
    lost = next(e for e in events if isinstance(e, DeviceEvent) and e.kind == "disconnect")
    assert lost.detail["reason"] == "link lost"
    calls = strap.hrm.acquire_notify_calls if acquire else strap.hrm.start_notify_calls
    assert calls == 2  # subscribed again after the reconnect
    assert events.packets() == [b"\x06\x3c", b"\x06\x3d"]


@pytest.mark.parametrize("keep_gatt", [True, False], ids=["gatt-kept", "gatt-removed"])
async def test_reconnect_after_bluez_forgot_the_device(bus_address: str, keep_gatt: bool) -> None:
    fake = FakeBlueZ(keep_gatt_on_disconnect=keep_gatt)
    strap = fake.add_device()
    await fake.start(bus_address)
    try:
        events = Events()
        connection = StrapConnection(await find_device("H10", 3), events, backoff=FAST)
        stop, task = await _running(connection)
        await events.wait_for(lambda e: strap.hrm is not None and strap.hrm.notifying)
        strap.link_lost(forget=True)  # the stored BLEDevice path is gone: scan again
        await events.wait_for(lambda e: e.kinds().count("connect") == 2
                              and strap.hrm is not None and strap.hrm.notifying)
        strap.notify(b"\x06\x50")
        await events.wait_for(lambda e: e.packets() == [b"\x06\x50"])
        await _finish(stop, task)
    finally:
        await fake.stop()


async def test_connect_errors_are_retried_with_backoff(bluez: FakeBlueZ) -> None:
    strap = bluez.devices["A0:9E:1A:12:34:56"]
    strap.connect_errors = [("Failed", "Software caused connection abort")] * 2
    events = Events()
    stop, task = await _running(StrapConnection(await find_device("H10", 3), events,
                                                backoff=FAST))
    await events.wait_for(lambda e: "connect" in e.kinds())
    await _finish(stop, task)
    failed = [e for e in events if isinstance(e, DeviceEvent) and e.kind == "connect_failed"]
    assert len(failed) == 2
    assert "Software caused connection abort" in failed[0].detail["error"]
    assert strap.connect_calls == 3


async def test_le_connection_abort_by_local_is_survived(bluez: FakeBlueZ) -> None:
    strap = bluez.devices["A0:9E:1A:12:34:56"]
    strap.abort_by_local = 2
    events = Events()
    stop, task = await _running(StrapConnection(await find_device("H10", 3), events,
                                                backoff=FAST))
    await events.wait_for(lambda e: "connect" in e.kinds())
    await _finish(stop, task)
    assert strap.connect_calls == 3


async def test_giving_up_is_one_line_error(bluez: FakeBlueZ) -> None:
    strap = bluez.devices["A0:9E:1A:12:34:56"]
    strap.connect_errors = [("Failed", "Input/output error")] * 10
    connection = StrapConnection(await find_device("H10", 3), Events(), backoff=FAST,
                                 initial_attempts=3)
    with pytest.raises(ConnectError, match=r"after 3 attempts \(.*Input/output error") as info:
        await asyncio.wait_for(connection.run(asyncio.Event()), 10)
    assert "\n" not in str(info.value)


async def test_silent_strap_fires_the_watchdog_then_reconnects(bluez: FakeBlueZ) -> None:
    strap = bluez.devices["A0:9E:1A:12:34:56"]
    events = Events()
    connection = StrapConnection(await find_device("H10", 3), events, watchdog_s=0.3,
                                 stall_reconnect_s=0.8, backoff=FAST)
    stop, task = await _running(connection)
    await events.wait_for(lambda e: e.kinds().count("connect") == 2, timeout=5)
    await _finish(stop, task)
    link = [e for e in events if e.kind in ("connect", "silent", "disconnect")]
    assert [e.kind for e in link[:4]] == ["connect", "silent", "disconnect", "connect"]
    assert "silent strap" in link[2].detail["reason"]
    assert link[1].detail["after_s"] >= 0.3
    # The drop waits for the stall period, not the watchdog one (wall clock, 10 ms slack).
    assert link[2].time - link[0].time >= 0.8 - 0.01
    assert strap.connect_calls == 2


async def test_a_strap_that_resumes_is_kept_and_can_go_silent_again(bluez: FakeBlueZ) -> None:
    strap = bluez.devices["A0:9E:1A:12:34:56"]
    events = Events()
    connection = StrapConnection(await find_device("H10", 3), events, watchdog_s=0.3,
                                 stall_reconnect_s=20.0, backoff=FAST)
    stop, task = await _running(connection)
    await events.wait_for(lambda e: "silent" in e.kinds())
    strap.notify(b"\x06\x3c")
    await events.wait_for(lambda e: len(e.packets()) == 1)
    await events.wait_for(lambda e: e.kinds().count("silent") == 2)
    await _finish(stop, task)
    link = [k for k in events.kinds() if k not in ("device_info", "battery")]
    assert link == ["connect", "silent", "hrm", "silent", "disconnect"]
    second = [e for e in events if isinstance(e, DeviceEvent) and e.kind == "silent"][1]
    assert second.detail["after_s"] >= 0.3  # counted from the packet, not from the connect
    assert events[-1].detail["reason"] == "stopped"
    assert strap.connect_calls == 1


async def test_adapter_powered_off_is_one_clear_line(bus_address: str) -> None:
    fake = FakeBlueZ(powered=False)
    fake.add_device()
    await fake.start(bus_address)
    try:
        with pytest.raises(BluetoothUnavailableError, match="powered off") as info:
            await scan(timeout=0.2)
    finally:
        await fake.stop()
    assert info.value.reason == "powered_off"
    assert str(info.value).startswith("bluetooth: the Bluetooth adapter is powered off — ")


async def test_no_bluetooth_service_is_one_clear_line(bus_address: str) -> None:
    with pytest.raises(BluetoothUnavailableError, match="not running") as info:
        await find_device("H10", timeout=0.5)
    assert info.value.reason == "no_service"
    assert "\n" not in str(info.value)


async def test_unavailable_bluetooth_at_start_is_not_retried(bus_address: str) -> None:
    device = FoundDevice("A0:9E:1A:12:34:56", "Polar H10", -60, None)
    connection = StrapConnection(device, Events(), backoff=FAST)
    with pytest.raises(BluetoothUnavailableError):
        await asyncio.wait_for(connection.run(asyncio.Event()), 10)


def test_backoff_doubles_to_a_ceiling() -> None:
    backoff = Backoff(initial_s=0.5, factor=2, max_s=3)
    assert [backoff.delay(n) for n in range(6)] == [0.0, 0.5, 1.0, 2.0, 3.0, 3.0]


async def test_several_straps_at_once(bluez: FakeBlueZ) -> None:
    other = bluez.add_device("C0:FF:EE:00:00:01", "TICKR 1234")
    first = bluez.devices["A0:9E:1A:12:34:56"]
    a, b = Events(), Events()
    runs = [await _running(StrapConnection(await find_device(query, 3), sink))
            for query, sink in (("H10", a), ("TICKR", b))]
    await a.wait_for(lambda e: first.hrm is not None and first.hrm.notifying)
    await b.wait_for(lambda e: other.hrm is not None and other.hrm.notifying)
    first.notify(b"\x00\x50")
    other.notify(b"\x00\x60")
    await a.wait_for(lambda e: len(e.packets()) == 1)
    await b.wait_for(lambda e: len(e.packets()) == 1)
    for stop, task in runs:
        await _finish(stop, task)
    assert a.packets() == [b"\x00\x50"] and b.packets() == [b"\x00\x60"]
    assert HRS  # the service both advertise


async def test_no_system_bus_is_one_clear_line(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    with pytest.raises(BluetoothUnavailableError, match="D-Bus system bus") as info:
        await scan(timeout=0.2)
    assert info.value.reason == "no_bus"


async def test_one_strap_failing_does_not_end_the_others(
        bluez: FakeBlueZ, tmp_path, athlete, monkeypatch: pytest.MonkeyPatch) -> None:
    from myokinetics.devices import connection
    from myokinetics.devices.capture import CaptureOptions, capture

    monkeypatch.setattr(connection, "Backoff", lambda: FAST)
    good = bluez.devices["A0:9E:1A:12:34:56"]
    bad = bluez.add_device("C0:FF:EE:00:00:01", "TICKR 1234")
    bad.connect_errors = [("Failed", "Input/output error")] * 50
    options = CaptureOptions(devices=("H10", "TICKR"), out=tmp_path, duration_s=2.0,
                             finish=False, analysis=False, athlete=athlete, scan_timeout_s=3)
    task = asyncio.create_task(capture(options, asyncio.Event()))
    await Events().wait_for(lambda _: good.hrm is not None and good.hrm.notifying)
    for packet in (b"\x06\x50", b"\x06\x51", b"\x06\x52"):
        good.notify(packet)
        await asyncio.sleep(0.05)
    results = await asyncio.wait_for(task, 15)
    by_label = {r.label.split(" (")[0]: r for r in results}
    assert by_label["Polar H10 12345678"].error is None
    assert by_label["Polar H10 12345678"].notifications == 3
    assert isinstance(by_label["TICKR 1234"].error, ConnectError)
    assert by_label["TICKR 1234"].notifications == 0


async def test_every_strap_failing_raises(bluez: FakeBlueZ, tmp_path, athlete,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from myokinetics.devices import connection
    from myokinetics.devices.capture import CaptureOptions, capture

    monkeypatch.setattr(connection, "Backoff", lambda: FAST)
    bluez.devices["A0:9E:1A:12:34:56"].connect_errors = [("Failed", "Input/output error")] * 50
    options = CaptureOptions(devices=("H10",), out=tmp_path, finish=False, analysis=False,
                             athlete=athlete, scan_timeout_s=3)
    with pytest.raises(ConnectError):
        await asyncio.wait_for(capture(options, asyncio.Event()), 15)
