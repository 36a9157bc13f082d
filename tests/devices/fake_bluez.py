# ruff: noqa: F821, F722
"""A fake ``org.bluez`` (BlueZ 5.66 D-Bus API) for end-to-end tests with the real bleak library.

bleak's BlueZ backend talks D-Bus; this module answers it on a private bus with the same objects,
properties and signal order that bluetoothd produces (../shared/notes/ble-testing.md §1-§3.4):
an adapter ``/org/bluez/hci0`` that "discovers" heart-rate straps while scanning, devices with
GATT objects laid out like bluetoothd (``serviceXXXX/charXXXX/descXXXX``), notifications through
both ``StartNotify`` (``PropertiesChanged(Value)``) and ``AcquireNotify`` (a SOCK_SEQPACKET file
descriptor), and scripted faults: link loss, connect errors, ``le-connection-abort-by-local``,
an adapter that is powered off.

No ``from __future__ import annotations`` here: dbus-fast reads the D-Bus signatures from the
annotations (``-> "ay"``); a stringized ``-> None`` would become the signature "None".
Never assign ``self.name`` on a ServiceInterface: it is the D-Bus interface name.
"""

import asyncio
import contextlib
import os
import socket
from collections.abc import Iterable

from dbus_fast import BusType, DBusError, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.service import PropertyAccess, ServiceInterface, dbus_property, method

HRS = "0000180d-0000-1000-8000-00805f9b34fb"
HRM = "00002a37-0000-1000-8000-00805f9b34fb"
BODY_SENSOR_LOCATION = "00002a38-0000-1000-8000-00805f9b34fb"
DEVICE_INFORMATION = "0000180a-0000-1000-8000-00805f9b34fb"
BATTERY_SERVICE = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL = "00002a19-0000-1000-8000-00805f9b34fb"
GENERIC_ATTRIBUTE = "00001801-0000-1000-8000-00805f9b34fb"
SERVICE_CHANGED = "00002a05-0000-1000-8000-00805f9b34fb"
CCCD = "00002902-0000-1000-8000-00805f9b34fb"
DIS_CHARS = {  # Device Information characteristic -> which device attribute it reads
    "00002a29-0000-1000-8000-00805f9b34fb": "manufacturer",
    "00002a24-0000-1000-8000-00805f9b34fb": "model",
    "00002a25-0000-1000-8000-00805f9b34fb": "serial",
    "00002a26-0000-1000-8000-00805f9b34fb": "firmware",
}
ADAPTER_PATH = "/org/bluez/hci0"
ADVERT_INTERVAL_S = 0.02


class Adapter(ServiceInterface):
    def __init__(self, fake: "FakeBlueZ") -> None:
        super().__init__("org.bluez.Adapter1")
        self._fake = fake
        self._discovering = False
        self._uuid_filter: list[str] = []

    @method()
    def SetDiscoveryFilter(self, properties: "a{sv}") -> None:
        uuids = properties.get("UUIDs")
        self._uuid_filter = [u.lower() for u in uuids.value] if uuids else []

    @method()
    def StartDiscovery(self) -> None:
        if not self._fake.powered:
            raise DBusError("org.bluez.Error.NotReady", "Resource Not Ready")
        self._discovering = True
        self.emit_properties_changed({"Discovering": True})
        self._fake.start_advertising_loop()

    @method()
    def StopDiscovery(self) -> None:
        self._discovering = False
        self.emit_properties_changed({"Discovering": False})

    @method()
    def RemoveDevice(self, device: "o") -> None:
        self._fake.remove_device_path(device)

    def matches(self, uuids: Iterable[str]) -> bool:
        return not self._uuid_filter or any(u in self._uuid_filter for u in uuids)

    @dbus_property(access=PropertyAccess.READ)
    def Address(self) -> "s":
        return "00:1A:7D:DA:71:13"

    @dbus_property(access=PropertyAccess.READ)
    def AddressType(self) -> "s":
        return "public"

    @dbus_property(access=PropertyAccess.READ)
    def Name(self) -> "s":
        return "fake-hci0"

    @dbus_property(access=PropertyAccess.READ)
    def Alias(self) -> "s":
        return "fake-hci0"

    @dbus_property(access=PropertyAccess.READ)
    def Powered(self) -> "b":
        return self._fake.powered

    @dbus_property(access=PropertyAccess.READ)
    def Discovering(self) -> "b":
        return self._discovering

    @dbus_property(access=PropertyAccess.READ)
    def Discoverable(self) -> "b":
        return False

    @dbus_property(access=PropertyAccess.READ)
    def Pairable(self) -> "b":
        return True

    @dbus_property(access=PropertyAccess.READ)
    def UUIDs(self) -> "as":
        return []

    @dbus_property(access=PropertyAccess.READ)
    def Roles(self) -> "as":
        return ["central", "peripheral"]


class Device(ServiceInterface):
    """``org.bluez.Device1`` of one strap, plus the knobs tests turn."""

    def __init__(self, fake: "FakeBlueZ", address: str, alias: str, rssi: int,
                 uuids: list[str]) -> None:
        super().__init__("org.bluez.Device1")
        self._fake = fake
        self.address = address
        self.alias = alias
        self.rssi = rssi
        self.advertised_uuids = uuids
        self.path = f"{ADAPTER_PATH}/dev_{address.replace(':', '_')}"
        self.connected = False
        self.services_resolved = False
        self.trusted = False
        self.exported = False
        self.gatt: list[tuple[str, ServiceInterface]] = []
        # Knobs for tests.
        self.advertising = True
        self.connect_errors: list[tuple[str, str]] = []  # (error name, message), one per Connect
        self.abort_by_local = 0  # Connect calls that fail with le-connection-abort-by-local
        self.connect_calls = 0
        self.manufacturer = "Polar Electro Oy"
        self.model = "H10"
        self.serial = "12345678"
        self.firmware = "3.1.1"
        self.battery: int | None = 87  # percent; None: no Battery service at all
        self.hrm: Characteristic | None = None

    @method()
    async def Connect(self) -> None:
        self.connect_calls += 1
        if self.connect_errors:
            name, message = self.connect_errors.pop(0)
            raise DBusError(f"org.bluez.Error.{name}", message)
        if self.abort_by_local:
            self.abort_by_local -= 1
            self._set(Connected=True)
            await asyncio.sleep(0.005)
            self._set(Connected=False)
            raise DBusError("org.bluez.Error.Failed", "le-connection-abort-by-local")
        if self.connected:
            return
        self._set(Connected=True)
        if not self.gatt:
            self._fake.export_gatt(self)
        await asyncio.sleep(0)
        self._set(ServicesResolved=True, UUIDs=self.uuids_all())

    @method()
    def Disconnect(self) -> None:
        if not self.connected:
            return
        self._stop_notifications()
        self._set(ServicesResolved=False)
        self._set(Connected=False)
        if not self._fake.keep_gatt_on_disconnect:
            self._fake.remove_gatt(self)

    @method()
    def Pair(self) -> None:
        raise DBusError("org.bluez.Error.AuthenticationFailed", "pairing is not emulated")

    @method()
    def CancelPairing(self) -> None:
        pass

    def link_lost(self, forget: bool = False) -> None:
        """Remote disconnect (out of range, strap taken off): one signal with both flags.

        ``forget`` then removes the device object, as bluetoothd does with an unconnected,
        untrusted device some time after scanning stops; it reappears when scanned again.
        """
        if not self.connected:
            return
        self._stop_notifications()
        self._set(ServicesResolved=False, Connected=False)
        if not self._fake.keep_gatt_on_disconnect:
            self._fake.remove_gatt(self)
        if forget:
            self._fake.remove_device_path(self.path)

    def notify(self, data: bytes) -> bool:
        """Send one Heart Rate Measurement value; False when nobody is subscribed."""
        return self.hrm is not None and self.connected and self.hrm.send(bytes(data))

    def _stop_notifications(self) -> None:
        if self.hrm is not None:
            self.hrm.release()

    def _set(self, **changes: object) -> None:
        if "Connected" in changes:
            self.connected = bool(changes["Connected"])
        if "ServicesResolved" in changes:
            self.services_resolved = bool(changes["ServicesResolved"])
        self.emit_properties_changed(changes)

    def uuids_all(self) -> list[str]:
        return [uuid for _, iface in self.gatt if isinstance(iface, Service)
                for uuid in [iface.uuid]]

    @dbus_property(access=PropertyAccess.READ)
    def Address(self) -> "s":
        return self.address

    @dbus_property(access=PropertyAccess.READ)
    def AddressType(self) -> "s":
        return "public"

    @dbus_property(access=PropertyAccess.READ)
    def Name(self) -> "s":
        return self.alias

    @dbus_property(access=PropertyAccess.READ)
    def Alias(self) -> "s":
        return self.alias

    @dbus_property(access=PropertyAccess.READ)
    def Appearance(self) -> "q":
        return 0x0341  # heart-rate belt

    @dbus_property(access=PropertyAccess.READ)
    def Adapter(self) -> "o":
        return ADAPTER_PATH

    @dbus_property(access=PropertyAccess.READ)
    def Paired(self) -> "b":
        return False

    @dbus_property(access=PropertyAccess.READ)
    def Bonded(self) -> "b":
        return False

    @dbus_property()
    def Trusted(self) -> "b":
        return self.trusted

    @Trusted.setter
    def Trusted(self, value: "b") -> None:
        self.trusted = value

    @dbus_property(access=PropertyAccess.READ)
    def Blocked(self) -> "b":
        return False

    @dbus_property(access=PropertyAccess.READ)
    def LegacyPairing(self) -> "b":
        return False

    @dbus_property(access=PropertyAccess.READ)
    def Connected(self) -> "b":
        return self.connected

    @dbus_property(access=PropertyAccess.READ)
    def ServicesResolved(self) -> "b":
        return self.services_resolved

    @dbus_property(access=PropertyAccess.READ)
    def UUIDs(self) -> "as":
        return self.uuids_all() if self.services_resolved else self.advertised_uuids

    @dbus_property(access=PropertyAccess.READ)
    def RSSI(self) -> "n":
        return self.rssi

    @dbus_property(access=PropertyAccess.READ)
    def TxPower(self) -> "n":
        return 0

    @dbus_property(access=PropertyAccess.READ)
    def ManufacturerData(self) -> "a{qv}":
        return {0x006B: Variant("ay", b"\x00\x00")}  # Polar's company identifier

    @dbus_property(access=PropertyAccess.READ)
    def ServiceData(self) -> "a{sv}":
        return {}


class Battery(ServiceInterface):
    """``org.bluez.Battery1``: how bluetoothd's battery plugin shows the 0x180F service."""

    def __init__(self, device: Device) -> None:
        super().__init__("org.bluez.Battery1")
        self._device = device

    @dbus_property(access=PropertyAccess.READ)
    def Percentage(self) -> "y":
        return self._device.battery


class Service(ServiceInterface):
    def __init__(self, device_path: str, uuid: str) -> None:
        super().__init__("org.bluez.GattService1")
        self.uuid = uuid
        self._device_path = device_path

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> "s":
        return self.uuid

    @dbus_property(access=PropertyAccess.READ)
    def Device(self) -> "o":
        return self._device_path

    @dbus_property(access=PropertyAccess.READ)
    def Primary(self) -> "b":
        return True

    @dbus_property(access=PropertyAccess.READ)
    def Includes(self) -> "ao":
        return []


class Characteristic(ServiceInterface):
    def __init__(self, service_path: str, uuid: str, flags: list[str], value: bytes = b"",
                 handle: int = 0) -> None:
        super().__init__("org.bluez.GattCharacteristic1")
        self.uuid = uuid
        self.flags = flags
        self.value = value
        self.handle = handle
        self._service_path = service_path
        self.notifying = False
        self.acquired: socket.socket | None = None  # our end of the AcquireNotify socket pair
        self._peer_fd: int | None = None
        self.start_notify_calls = 0
        self.acquire_notify_calls = 0

    @method()
    def ReadValue(self, options: "a{sv}") -> "ay":
        return self.value

    @method()
    def WriteValue(self, value: "ay", options: "a{sv}") -> None:
        self.value = bytes(value)

    @method()
    def StartNotify(self) -> None:
        self.start_notify_calls += 1
        if "notify" not in self.flags and "indicate" not in self.flags:
            raise DBusError("org.bluez.Error.NotSupported", "Operation is not supported")
        if not self.notifying:
            self.notifying = True
            self.emit_properties_changed({"Notifying": True})

    @method()
    def StopNotify(self) -> None:
        if self.notifying:
            self.notifying = False
            self.emit_properties_changed({"Notifying": False})

    @method()
    def AcquireNotify(self, options: "a{sv}") -> "hq":
        self.acquire_notify_calls += 1
        if self.acquired is not None:
            raise DBusError("org.bluez.Error.NotPermitted", "Notify acquired")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setblocking(False)
        self.acquired = ours
        self._peer_fd = theirs.detach()
        self.emit_properties_changed({"NotifyAcquired": True})
        return [self._peer_fd, 23]

    def send(self, data: bytes) -> bool:
        if self.acquired is not None:
            try:
                self.acquired.send(data)
                return True
            except OSError:
                self.release()
                return False
        if self.notifying:
            self.value = data
            self.emit_properties_changed({"Value": data})
            return True
        return False

    def release(self) -> None:
        """End notifications as bluetoothd does when the link goes down."""
        if self.acquired is not None:
            self.acquired.close()
            self.acquired = None
            if self._peer_fd is not None:
                with contextlib.suppress(OSError):
                    os.close(self._peer_fd)
                self._peer_fd = None
            self.emit_properties_changed({"NotifyAcquired": False})
        if self.notifying:
            self.notifying = False
            self.emit_properties_changed({"Notifying": False})

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> "s":
        return self.uuid

    @dbus_property(access=PropertyAccess.READ)
    def Service(self) -> "o":
        return self._service_path

    @dbus_property(access=PropertyAccess.READ)
    def Value(self) -> "ay":
        return self.value

    @dbus_property(access=PropertyAccess.READ)
    def Notifying(self) -> "b":
        return self.notifying

    @dbus_property(access=PropertyAccess.READ)
    def Flags(self) -> "as":
        return self.flags

    @dbus_property(access=PropertyAccess.READ)
    def NotifyAcquired(self) -> "b":
        return self.acquired is not None

    @dbus_property(access=PropertyAccess.READ)
    def MTU(self) -> "q":
        return 23

    @dbus_property(access=PropertyAccess.READ)
    def Handle(self) -> "q":
        return self.handle


class Descriptor(ServiceInterface):
    def __init__(self, char_path: str, uuid: str) -> None:
        super().__init__("org.bluez.GattDescriptor1")
        self.uuid = uuid
        self._char_path = char_path

    @method()
    def ReadValue(self, options: "a{sv}") -> "ay":
        return b"\x00\x00"

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> "s":
        return self.uuid

    @dbus_property(access=PropertyAccess.READ)
    def Characteristic(self) -> "o":
        return self._char_path

    @dbus_property(access=PropertyAccess.READ)
    def Value(self) -> "ay":
        return b""


class FakeBlueZ:
    """The fake bluetoothd: one adapter, any number of straps.

    Parameters
    ----------
    powered : bool
        Adapter power; False makes bleak report Bluetooth as not available.
    battery_plugin : bool
        True hides the Battery service and shows ``org.bluez.Battery1`` (bluetoothd's default);
        False exports 0x180F/0x2A19 as GATT objects (``bluetoothd -P battery``).
    with_device_information : bool
        Whether straps offer the Device Information service 0x180A.
    keep_gatt_on_disconnect : bool
        True (bluetoothd's behaviour) keeps GATT objects exported after a disconnect and
        reuses them; False removes them and exports new ones on the next connect.
    """

    def __init__(self, powered: bool = True, battery_plugin: bool = True,
                 with_device_information: bool = True,
                 keep_gatt_on_disconnect: bool = True) -> None:
        self.powered = powered
        self.battery_plugin = battery_plugin
        self.with_device_information = with_device_information
        self.keep_gatt_on_disconnect = keep_gatt_on_disconnect
        self.devices: dict[str, Device] = {}
        self.bus: MessageBus | None = None
        self.adapter = Adapter(self)
        self._advertiser: asyncio.Task[None] | None = None

    async def start(self, bus_address: str) -> "FakeBlueZ":
        """Connect to the bus, export the adapter, then take the name ``org.bluez``."""
        self.bus = await MessageBus(bus_address=bus_address, bus_type=BusType.SYSTEM,
                                    negotiate_unix_fd=True).connect()
        self.bus.export(ADAPTER_PATH, self.adapter)
        await self.bus.request_name("org.bluez")
        return self

    async def stop(self) -> None:
        if self._advertiser is not None:
            self._advertiser.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._advertiser
        for device in self.devices.values():
            device._stop_notifications()
        if self.bus is not None:
            self.bus.disconnect()
            await self.bus.wait_for_disconnect()
            self.bus = None

    def add_device(self, address: str = "A0:9E:1A:12:34:56", name: str = "Polar H10 12345678",
                   rssi: int = -58, uuids: Iterable[str] = (HRS,)) -> Device:
        """A strap that advertises (and is exported when first seen by a scan)."""
        device = Device(self, address, name, rssi, list(uuids))
        self.devices[address] = device
        return device

    def remove_gatt(self, device: Device) -> None:
        """Unexport a device's GATT objects (InterfacesRemoved), deepest first."""
        if self.bus is None:
            return
        for gatt_path, _ in reversed(device.gatt):
            self.bus.unexport(gatt_path)
        device.gatt = []
        device.hrm = None
        if self.battery_plugin and device.battery is not None and device.exported:
            self.bus.unexport(device.path, "org.bluez.Battery1")

    def remove_device_path(self, path: str) -> None:
        for device in self.devices.values():
            if device.path == path and device.exported and self.bus is not None:
                self.remove_gatt(device)
                self.bus.unexport(device.path)
                device.exported = False

    def start_advertising_loop(self) -> None:
        if self._advertiser is None or self._advertiser.done():
            self._advertiser = asyncio.create_task(self._advertise())

    async def _advertise(self) -> None:
        """While discovering: export unseen straps, then an RSSI change per advert."""
        tick = 0
        while self.adapter._discovering and self.bus is not None:
            tick += 1
            for device in list(self.devices.values()):
                if not device.advertising or device.connected:
                    continue
                if not self.adapter.matches(device.advertised_uuids):
                    continue
                if not device.exported:
                    self.bus.export(device.path, device)
                    device.exported = True
                else:
                    device.rssi = device.rssi + (1 if tick % 2 else -1)
                    device.emit_properties_changed({"RSSI": device.rssi})
            await asyncio.sleep(ADVERT_INTERVAL_S)

    def export_gatt(self, device: Device) -> None:
        """GATT objects with bluetoothd's handle layout (GAP 0x1800 hidden)."""
        assert self.bus is not None
        layout: list[tuple[int, str, list[tuple[int, str, list[str], bytes, bool]]]] = [
            (0x0006, GENERIC_ATTRIBUTE, [(0x0007, SERVICE_CHANGED, ["indicate"], b"", True)]),
            (0x000A, HRS, [(0x000B, HRM, ["notify"], b"", True),
                           (0x000E, BODY_SENSOR_LOCATION, ["read"], b"\x01", False)]),
        ]
        if self.with_device_information:
            layout.append((0x0010, DEVICE_INFORMATION, [
                (0x0011 + 2 * i, uuid, ["read"], str(getattr(device, attr)).encode(), False)
                for i, (uuid, attr) in enumerate(DIS_CHARS.items())]))
        if not self.battery_plugin and device.battery is not None:
            layout.append((0x0019, BATTERY_SERVICE, [
                (0x001A, BATTERY_LEVEL, ["read", "notify"], bytes([device.battery]), True)]))
        for service_handle, service_uuid, chars in layout:
            service_path = f"{device.path}/service{service_handle:04x}"
            service = Service(device.path, service_uuid)
            self.bus.export(service_path, service)
            device.gatt.append((service_path, service))
            for handle, uuid, flags, value, cccd in chars:
                char_path = f"{service_path}/char{handle:04x}"
                char = Characteristic(service_path, uuid, flags, value, handle)
                self.bus.export(char_path, char)
                device.gatt.append((char_path, char))
                if uuid == HRM:
                    device.hrm = char
                if cccd:
                    desc_path = f"{char_path}/desc{handle + 2:04x}"
                    desc = Descriptor(char_path, CCCD)
                    self.bus.export(desc_path, desc)
                    device.gatt.append((desc_path, desc))
        if self.battery_plugin and device.battery is not None:
            self.bus.export(device.path, Battery(device))


async def _serve(bus_address: str, straps: int, rate_hz: float, log_path: str | None) -> None:
    """Run the fake with ``straps`` straps, each notifying at ``rate_hz`` once subscribed.

    Every packet carries its sequence number in the Energy Expended field and is logged as
    ``address seq monotonic_ns`` (CLOCK_MONOTONIC is shared by all processes of the machine,
    so a receiver can compute end-to-end latency).
    """
    import signal
    import time

    fake = FakeBlueZ()
    devices = [fake.add_device(f"C0:FF:EE:00:00:{i:02X}", f"HR strap {i:02d}", rssi=-50 - i)
               for i in range(straps)]
    await fake.start(bus_address)
    log = open(log_path, "w", buffering=1) if log_path else None  # noqa: SIM115
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    async def stream(device: Device, phase: float) -> None:
        seq = 0
        await asyncio.sleep(phase)
        while not stop.is_set():
            seq = (seq + 1) & 0xFFFF
            packet = bytes([0x18, 120]) + seq.to_bytes(2, "little") + (512).to_bytes(
                2, "little") * 2  # 120 bpm, EE = seq, two RR of 500 ms
            sent = time.monotonic_ns()
            if device.notify(packet) and log is not None:
                log.write(f"{device.address} {seq} {sent}\n")
            await asyncio.sleep(1.0 / rate_hz)

    tasks = [asyncio.create_task(stream(d, i / straps / rate_hz)) for i, d in enumerate(devices)]
    await stop.wait()
    for task in tasks:
        task.cancel()
    await fake.stop()
    if log is not None:
        log.close()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="fake org.bluez with streaming HR straps")
    parser.add_argument("--bus", required=True, help="D-Bus address to serve on")
    parser.add_argument("--straps", type=int, default=1)
    parser.add_argument("--rate", type=float, default=1.0, help="notifications per second")
    parser.add_argument("--log", help="file for 'address seq monotonic_ns' lines")
    cli = parser.parse_args()
    asyncio.run(_serve(cli.bus, cli.straps, cli.rate, cli.log))
