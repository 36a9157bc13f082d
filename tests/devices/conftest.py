"""A private D-Bus per test, the fake BlueZ on it, and bleak pointed at it.

bleak reads ``DBUS_SYSTEM_BUS_ADDRESS`` when it first opens the bus (not at import), so setting
it per test is enough; one event loop per test gives one bleak BlueZ manager per test.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.devices.fake_bluez import FakeBlueZ
from tests.devices.privbus import PrivateBus


@pytest.fixture
def bus_address(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Start ``dbus-daemon`` on a private socket; bleak and the CLI use it as the system bus."""
    try:
        bus = PrivateBus()
    except FileNotFoundError as error:
        pytest.skip(str(error))
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.address)
    monkeypatch.setenv("BLEAK_DBUS_AUTH_UID", str(os.getuid()))
    with bus:
        yield bus.address


@pytest.fixture
async def bluez(bus_address: str) -> AsyncIterator[FakeBlueZ]:
    """The fake BlueZ with one Polar-H10-like strap, running on this test's event loop."""
    fake = FakeBlueZ()
    fake.add_device()
    await fake.start(bus_address)
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture(autouse=True)
def _remembered_device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the remembered-last-device file out of the user's config folder."""
    monkeypatch.setenv("MYOKINETICS_DEVICE_FILE", str(tmp_path / "last-device.json"))


@pytest.fixture
def athlete():
    """A complete profile, so no population default (and no warning) is involved."""
    from myokinetics.athlete import Athlete

    return Athlete(sex="female", age=34, body_mass_kg=61, hr_rest=52, hr_max=188,
                   hr_threshold=168, vo2max=48, ftp_w=210, w_prime_j=18000,
                   zones=(120, 140, 155, 170, 188))
