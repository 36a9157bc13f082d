"""Keeping one strap connected and streaming: reconnect with backoff, re-subscribe, watchdog.

Everything that happens is reported as an event (:mod:`myokinetics.ingest.strap_events`) to one
callback, in order: ``connect``, ``device_info`` and ``battery`` where offered, notifications,
``silent`` when the watchdog sees none for ``watchdog_s``, ``disconnect`` with the reason,
``connect_failed`` per failed attempt. The caller records them; nothing here fills a gap.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from myokinetics.devices.errors import (
    BluetoothUnavailableError,
    ConnectError,
    DeviceNotFoundError,
    bleak_module,
    bluetooth_errors,
)
from myokinetics.devices.gatt import (
    BATTERY_LEVEL,
    DEVICE_INFORMATION_FIELDS,
    HEART_RATE_MEASUREMENT,
)
from myokinetics.devices.scanner import FoundDevice, find_device
from myokinetics.ingest.strap_events import DeviceEvent, Notification, format_time

__all__ = ["Backoff", "StrapConnection"]

_LOG = logging.getLogger(__name__)

EventSink = Callable[[Notification | DeviceEvent], None]


@dataclass(frozen=True)
class Backoff:
    """Delay (s) before reconnect attempt ``n`` after ``n`` consecutive failures.

    The first retry after a link loss is immediate; then ``initial_s``, doubling up to
    ``max_s``. A connection that streams resets the count.
    """

    initial_s: float = 0.5
    factor: float = 2.0
    max_s: float = 30.0

    def delay(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        return min(self.max_s, self.initial_s * self.factor ** (failures - 1))


class StrapConnection:
    """One strap, kept connected and subscribed to Heart Rate Measurement until stopped.

    Parameters
    ----------
    device : FoundDevice
        The strap, as found by :mod:`~myokinetics.devices.scanner`.
    on_event : callable
        Receives every :class:`Notification` and :class:`DeviceEvent`, on the event loop.
    watchdog_s : float
        Silence (s) after which a ``silent`` event is reported.
    stall_reconnect_s : float
        Silence (s) after which the link is dropped and re-established (a stuck link
        delivers nothing while still "connected").
    backoff : Backoff
        Delays between failed attempts.
    initial_attempts : int
        Attempts before giving up when the strap has never connected in this run; once it
        has, reconnection is retried until stopped.
    connect_timeout_s : float
        Per-attempt connect timeout (s).
    acquire_notify : bool
        On BlueZ, take notifications through ``AcquireNotify`` (a socket) instead of
        ``StartNotify`` (D-Bus signals, bleak's default).
    adapter : str or None
        BlueZ adapter name (e.g. "hci0"); None for the default.
    """

    def __init__(self, device: FoundDevice, on_event: EventSink, *, watchdog_s: float = 5.0,
                 stall_reconnect_s: float = 15.0, backoff: Backoff | None = None,
                 initial_attempts: int = 5, connect_timeout_s: float = 10.0,
                 acquire_notify: bool = False, adapter: str | None = None) -> None:
        self.device = device
        self.on_event = on_event
        self.watchdog_s = watchdog_s
        self.stall_reconnect_s = stall_reconnect_s
        self.backoff = backoff or Backoff()
        self.initial_attempts = initial_attempts
        self.connect_timeout_s = connect_timeout_s
        self.acquire_notify = acquire_notify
        self.adapter = adapter
        # Per-run state.
        self.connections = 0  # successful connects in this run
        self.connected = False
        self.device_info: dict[str, str] = {}
        self.battery_percent: int | None = None
        self._ble_device: Any = device.ble_device  # None: scan for the address again
        # Per-connection state.
        self._last_packet = 0.0  # event-loop time of the last notification (or subscription)
        self._silent = False
        self._packets = 0  # notifications in this run

    async def run(self, stop: asyncio.Event) -> None:
        """Connect, stream, and reconnect after every loss until ``stop`` is set.

        Raises
        ------
        BluetoothUnavailableError
            Bluetooth is off or missing before the strap ever connected.
        ConnectError
            ``initial_attempts`` attempts failed before the strap ever connected.
        """
        failures = 0
        while not stop.is_set():
            try:
                client, lost = await self._connect()
            except (BluetoothUnavailableError, DeviceNotFoundError) as error:
                if self.connections == 0 and isinstance(error, BluetoothUnavailableError):
                    raise
                failures += 1
                self._emit("connect_failed", error=error.what)
                if self.connections == 0 and failures >= self.initial_attempts:
                    raise ConnectError(self.device.label, failures, error.what) from None
            except Exception as error:  # bleak raises BleakError, TimeoutError, OSError, EOFError
                failures += 1
                text = str(error) or type(error).__name__
                self._emit("connect_failed", error=text)
                # The stored device object may be stale (bluetoothd drops unconnected devices
                # after a while): the next attempt scans for the address again.
                self._ble_device = None
                if self.connections == 0 and failures >= self.initial_attempts:
                    raise ConnectError(self.device.label, failures, text) from None
            else:
                streamed = await self._stream(client, lost, stop)
                failures = 0 if streamed else failures + 1
            await _sleep_unless(stop, self.backoff.delay(failures))

    async def _connect(self) -> tuple[Any, asyncio.Event]:
        BleakClient = bleak_module().BleakClient

        if self._ble_device is None:
            found = await find_device(self.device.address, self.connect_timeout_s, self.adapter)
            self._ble_device = found.ble_device
        lost = asyncio.Event()
        client = BleakClient(self._ble_device, disconnected_callback=lambda _: lost.set(),
                             timeout=self.connect_timeout_s,
                             bluez={"adapter": self.adapter} if self.adapter else {})
        with bluetooth_errors():
            await client.connect()
        return client, lost

    async def _stream(self, client: Any, lost: asyncio.Event, stop: asyncio.Event) -> bool:
        """Read info, subscribe, watch; True when at least one notification arrived."""
        self.connections += 1
        self.connected = True
        self._emit("connect", connection=self.connections)
        packets_before = self._packets
        reason = "stopped"
        try:
            await self._read_info(client)
            loop = asyncio.get_running_loop()
            self._last_packet = loop.time()
            self._silent = False
            await client.start_notify(HEART_RATE_MEASUREMENT, self._on_notification,
                                      bluez={"use_start_notify": not self.acquire_notify})
            reason = await self._watch(lost, stop)
        except Exception as error:  # the link died mid-setup: same as a loss
            reason = f"link lost during setup ({error or type(error).__name__})"
        finally:
            self.connected = False
            self._emit("disconnect", reason=reason)
            if client.is_connected:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(client.disconnect(), self.connect_timeout_s)
        return self._packets > packets_before

    async def _watch(self, lost: asyncio.Event, stop: asyncio.Event) -> str:
        """Wait for the end of this connection; report silence on the way.

        Sleeps until the next silence deadline rather than polling, so a streaming strap
        costs one wake-up per watchdog period here. A silent one is looked at every watchdog
        period too (not only at the stall deadline): a notification does not wake this loop,
        and a strap that resumes then falls silent again must be reported on time.
        """
        loop = asyncio.get_running_loop()
        waiters = [asyncio.ensure_future(lost.wait()), asyncio.ensure_future(stop.wait())]
        try:
            while True:
                if stop.is_set():
                    return "stopped"
                if lost.is_set():
                    return "link lost"
                quiet = loop.time() - self._last_packet
                if quiet >= self.stall_reconnect_s:
                    return f"silent strap for {quiet:.0f} s: reconnecting"
                if quiet >= self.watchdog_s and not self._silent:
                    self._silent = True
                    since = time.time() - quiet
                    self._emit("silent", since=format_time(since), after_s=round(quiet, 3))
                if self._silent:
                    wait = min(self.stall_reconnect_s - quiet, self.watchdog_s)
                else:
                    wait = self.watchdog_s - quiet
                await asyncio.wait(waiters, timeout=max(wait, 0.001),
                                   return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    async def _read_info(self, client: Any) -> None:
        """Device Information strings and battery level, where the strap offers them (the
        battery through GATT 0x2A19, else through BlueZ's Battery1 on Linux)."""
        for characteristic in client.services.characteristics.values():
            field = DEVICE_INFORMATION_FIELDS.get(characteristic.uuid)
            if field is None and characteristic.uuid != BATTERY_LEVEL:
                continue
            try:
                value = bytes(await client.read_gatt_char(characteristic))
            except Exception:  # an unreadable field is simply not offered
                continue
            if field is not None:
                self.device_info[field] = value.split(b"\x00", 1)[0].decode("utf-8", "replace")
            elif value:
                self.battery_percent = value[0]
        if self.battery_percent is None:
            from myokinetics.devices.bluez_battery import bluez_battery_percent

            self.battery_percent = await bluez_battery_percent(self._ble_device)
        if self.device_info and self.connections == 1:
            self._emit("device_info", **self.device_info)
        if self.battery_percent is not None:
            self._emit("battery", percent=self.battery_percent)

    def _on_notification(self, _characteristic: Any, data: bytearray) -> None:
        self._last_packet = asyncio.get_running_loop().time()
        self._silent = False
        self._packets += 1
        self.on_event(Notification(time.time(), bytes(data)))

    def _emit(self, kind: str, **detail: Any) -> None:
        _LOG.info("%s: %s %s", self.device.label, kind, detail or "")
        self.on_event(DeviceEvent(time.time(), kind, detail))  # type: ignore[arg-type]


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    if seconds <= 0 or stop.is_set():
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
