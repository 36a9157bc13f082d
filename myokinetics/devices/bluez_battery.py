"""Battery level on Linux, where bluetoothd's battery plugin hides the Battery service (0x180F)
from GATT clients and shows it as ``org.bluez.Battery1.Percentage`` on the device instead."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import Any

__all__ = ["bluez_battery_percent"]


async def bluez_battery_percent(ble_device: Any, timeout_s: float = 2.0) -> int | None:
    """The device's ``Battery1.Percentage`` (0-100), or None when not on BlueZ or not offered."""
    details = getattr(ble_device, "details", None)
    path = details.get("path") if isinstance(details, dict) else None
    if not sys.platform.startswith("linux") or not isinstance(path, str):
        return None
    from dbus_fast import BusType, Message, MessageType
    from dbus_fast.aio import MessageBus

    bus = None
    try:
        bus = await asyncio.wait_for(MessageBus(bus_type=BusType.SYSTEM).connect(), timeout_s)
        reply = await asyncio.wait_for(bus.call(Message(
            destination="org.bluez", path=path, interface="org.freedesktop.DBus.Properties",
            member="Get", signature="ss", body=["org.bluez.Battery1", "Percentage"])),
            timeout_s)
    except (OSError, TimeoutError, ValueError):
        return None
    finally:
        if bus is not None:
            bus.disconnect()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(bus.wait_for_disconnect(), timeout_s)
    if reply is None or reply.message_type != MessageType.METHOD_RETURN:
        return None
    return int(reply.body[0].value)
