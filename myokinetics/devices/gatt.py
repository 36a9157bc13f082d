"""Bluetooth SIG UUIDs that the capture uses (Assigned Numbers, 16-bit UUIDs in base form)."""

from __future__ import annotations

__all__ = ["BATTERY_LEVEL", "DEVICE_INFORMATION_FIELDS", "HEART_RATE_MEASUREMENT",
           "HEART_RATE_SERVICE", "uuid16"]


def uuid16(short: int) -> str:
    """The 128-bit form of a 16-bit SIG UUID, lower case (as bleak reports them)."""
    return f"0000{short:04x}-0000-1000-8000-00805f9b34fb"


HEART_RATE_SERVICE = uuid16(0x180D)
HEART_RATE_MEASUREMENT = uuid16(0x2A37)
BATTERY_LEVEL = uuid16(0x2A19)  # in Battery Service 0x180F; percent, u8
#: Device Information Service (0x180A) strings, characteristic UUID -> field name.
DEVICE_INFORMATION_FIELDS = {
    uuid16(0x2A29): "manufacturer",
    uuid16(0x2A24): "model",
    uuid16(0x2A25): "serial",
    uuid16(0x2A27): "hardware",
    uuid16(0x2A26): "firmware",
    uuid16(0x2A28): "software",
}
