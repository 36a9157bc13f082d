"""Finding heart-rate straps: scan for the Heart Rate service, or look for one by name/address."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import Any

from myokinetics.devices.errors import DeviceNotFoundError, bleak_module, bluetooth_errors
from myokinetics.devices.gatt import HEART_RATE_SERVICE
from myokinetics.devices.memory import recall_device

__all__ = ["FoundDevice", "choose_device", "find_device", "is_address", "scan"]

_LOG = logging.getLogger(__name__)

_MAC = re.compile(r"^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$", re.IGNORECASE)
_UUID = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDevice:
    """A device seen while scanning.

    Attributes
    ----------
    address : str
        MAC address (Linux, Windows) or CoreBluetooth UUID (macOS).
    name : str or None
        Advertised local name.
    rssi : int
        Signal strength (dBm) of the last advertisement seen.
    ble_device : bleak.backends.device.BLEDevice
        What bleak connects to (avoids a second scan).
    """

    address: str
    name: str | None
    rssi: int
    ble_device: Any

    @property
    def label(self) -> str:
        return f"{self.name} ({self.address})" if self.name else self.address


def is_address(text: str) -> bool:
    """True for a MAC address or a macOS device UUID."""
    return bool(_MAC.match(text) or _UUID.match(text))


def _matches(query: str, address: str, name: str | None) -> bool:
    if is_address(query):
        return address.replace("-", ":").lower() == query.replace("-", ":").lower()
    return name is not None and query.lower() in name.lower()


async def scan(timeout: float = 5.0, adapter: str | None = None) -> list[FoundDevice]:
    """Every device advertising the Heart Rate service (0x180D) within ``timeout`` seconds.

    Returns
    -------
    list of FoundDevice
        Strongest signal first.

    Raises
    ------
    BluetoothUnavailableError
        Adapter off or missing, or no Bluetooth service.
    """
    BleakScanner = bleak_module().BleakScanner

    found: dict[str, FoundDevice] = {}

    def seen(device: Any, advertisement: Any) -> None:
        _LOG.debug("advertisement from %s %r, RSSI %s dBm", device.address,
                   advertisement.local_name or device.name, advertisement.rssi)
        found[device.address] = FoundDevice(device.address,
                                            advertisement.local_name or device.name,
                                            advertisement.rssi, device)

    with bluetooth_errors():
        async with BleakScanner(seen, service_uuids=[HEART_RATE_SERVICE],
                                bluez={"adapter": adapter} if adapter else {}):
            await asyncio.sleep(timeout)
    return sorted(found.values(), key=lambda d: -d.rssi)


async def find_device(query: str, timeout: float = 10.0,
                      adapter: str | None = None) -> FoundDevice:
    """The first advertising device whose address equals ``query`` or whose name contains it.

    Any advertiser qualifies, not only those listing 0x180D: phones relaying a watch's heart
    rate drop service UUIDs from adverts in the background.

    Raises
    ------
    DeviceNotFoundError
        Nothing matched within ``timeout`` seconds.
    BluetoothUnavailableError
        Adapter off or missing, or no Bluetooth service.
    """
    BleakScanner = bleak_module().BleakScanner

    hit: asyncio.Future[FoundDevice] = asyncio.get_running_loop().create_future()

    def seen(device: Any, advertisement: Any) -> None:
        name = advertisement.local_name or device.name
        _LOG.debug("advertisement from %s %r, RSSI %s dBm", device.address, name,
                   advertisement.rssi)
        if not hit.done() and _matches(query, device.address, name):
            hit.set_result(FoundDevice(device.address, name, advertisement.rssi, device))

    with bluetooth_errors():
        async with BleakScanner(seen, bluez={"adapter": adapter} if adapter else {}):
            try:
                return await asyncio.wait_for(asyncio.shield(hit), timeout)
            except TimeoutError:
                raise DeviceNotFoundError(query, f"not seen within {timeout:g} s",
                                          "wake the strap (put it on) and check the name with "
                                          "`myokinetics devices`") from None


async def choose_device(query: str | None, timeout: float = 10.0,
                        adapter: str | None = None) -> FoundDevice:
    """The device to capture: the named one, else the remembered one, else the only one seen.

    Raises
    ------
    DeviceNotFoundError
        The named device was not seen, or no heart-rate device was, or several were and none
        was named or remembered.
    """
    if query:
        return await find_device(query, timeout, adapter)
    remembered = recall_device()
    if remembered is not None:
        try:
            return await find_device(remembered["address"] or "", min(timeout, 5.0), adapter)
        except DeviceNotFoundError:
            pass
    found = await scan(timeout, adapter)
    if len(found) == 1:
        return found[0]
    if not found:
        raise DeviceNotFoundError("bluetooth", f"no heart-rate device (service 0x180D) seen in "
                                  f"{timeout:g} s", "put the strap on (it sleeps when dry) and "
                                  "retry, or name it with --device")
    names = ", ".join(d.label for d in found)
    raise DeviceNotFoundError("bluetooth", f"{len(found)} heart-rate devices seen: {names}",
                              "choose one with --device NAME-OR-ADDRESS")
