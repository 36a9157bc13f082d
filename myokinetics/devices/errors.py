"""Device errors: each renders as one line naming the device or adapter and what to do."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from types import ModuleType

from myokinetics.errors import DeviceError

__all__ = ["BluetoothUnavailableError", "ConnectError", "DeviceNotFoundError", "bleak_module",
           "bluetooth_errors"]


class BluetoothUnavailableError(DeviceError):
    """No usable Bluetooth: adapter off or missing, or the Bluetooth service is not running.

    Attributes
    ----------
    reason : str
        "powered_off", "no_adapter", "no_service", "no_bus" or "no_bleak".
    """

    def __init__(self, reason: str, what: str, hint: str) -> None:
        self.reason = reason
        super().__init__("bluetooth", what, hint)


class DeviceNotFoundError(DeviceError):
    """No heart-rate device matched (or several did and none was named)."""


class ConnectError(DeviceError):
    """A device was found but every connection attempt failed."""

    def __init__(self, device: str, attempts: int, last_error: str) -> None:
        self.attempts = attempts
        super().__init__(device, f"could not connect after {attempts} attempts ({last_error})",
                         "wake the strap (moisten the electrodes, put it on) and move closer")


_NO_SERVICE_ERRORS = ("org.freedesktop.DBus.Error.ServiceUnknown",
                      "org.freedesktop.DBus.Error.NameHasNoOwner")


def bleak_module() -> ModuleType:
    """The bleak package, which only live capture needs (the ``live`` extra)."""
    try:
        import bleak
    except ImportError:
        raise BluetoothUnavailableError(
            "no_bleak", "the Bluetooth LE library bleak is not installed",
            "install the live-capture extra: pip install 'myokinetics[live]'") from None
    return bleak


def unavailable_from(error: BaseException) -> BluetoothUnavailableError | None:
    """The one-line error for a bleak/D-Bus failure that means "no Bluetooth", else None."""
    from bleak.exc import (
        BleakBluetoothNotAvailableError,
        BleakBluetoothNotAvailableReason,
        BleakDBusError,
    )

    if isinstance(error, BleakBluetoothNotAvailableError):
        if error.reason is BleakBluetoothNotAvailableReason.POWERED_OFF:
            return BluetoothUnavailableError(
                "powered_off", "the Bluetooth adapter is powered off",
                "turn Bluetooth on (e.g. `bluetoothctl power on`) and try again")
        return BluetoothUnavailableError(
            "no_adapter", "no Bluetooth LE adapter found",
            "plug in or enable a Bluetooth adapter that supports LE")
    if isinstance(error, BleakDBusError) and error.dbus_error in _NO_SERVICE_ERRORS:
        return BluetoothUnavailableError(
            "no_service", "the Bluetooth service (bluetoothd) is not running",
            "start it (e.g. `sudo systemctl start bluetooth`) and try again")
    if isinstance(error, (FileNotFoundError, ConnectionRefusedError)):
        return BluetoothUnavailableError(
            "no_bus", "cannot reach the D-Bus system bus that Bluetooth uses",
            "start D-Bus and bluetoothd, or check DBUS_SYSTEM_BUS_ADDRESS")
    return None


@contextlib.contextmanager
def bluetooth_errors() -> Iterator[None]:
    """Turn "no Bluetooth" failures from bleak into :class:`BluetoothUnavailableError`."""
    try:
        yield
    except Exception as error:
        mapped = unavailable_from(error)
        if mapped is None:
            raise
        raise mapped from None
