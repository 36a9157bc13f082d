"""The harness itself, driven by plain bleak: what the capture code relies on works."""

from __future__ import annotations

import asyncio

import pytest
from bleak import BleakClient, BleakScanner

from tests.devices.fake_bluez import HRM, HRS, FakeBlueZ

pytestmark = pytest.mark.timeout(20)


async def test_scan_connect_notify_disconnect(bluez: FakeBlueZ) -> None:
    device = await BleakScanner.find_device_by_name("Polar H10 12345678", timeout=5)
    assert device is not None
    received: list[bytes] = []
    async with BleakClient(device) as client:
        assert HRS in {s.uuid for s in client.services}
        await client.start_notify(HRM, lambda _, data: received.append(bytes(data)))
        fake = bluez.devices[device.address]
        for packet in (b"\x06\x3c", b"\x16\x3c\x11\x04"):
            assert fake.notify(packet)
        for _ in range(100):
            if len(received) == 2:
                break
            await asyncio.sleep(0.01)
    assert received == [b"\x06\x3c", b"\x16\x3c\x11\x04"]
