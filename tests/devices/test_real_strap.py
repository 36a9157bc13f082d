"""The same capture path against a real strap, on a laptop: opt-in, never in CI.

Set ``MYOKINETICS_REAL_STRAP`` to the strap's name (or part of it) or address, wear the strap,
and run ``pytest tests/devices/test_real_strap.py``.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

import myokinetics
from myokinetics.devices.capture import CaptureOptions, capture
from myokinetics.devices.connection import StrapConnection
from myokinetics.devices.scanner import find_device, scan
from myokinetics.ingest.hrm import parse_heart_rate_measurement
from myokinetics.ingest.strap_events import Notification

STRAP = os.environ.get("MYOKINETICS_REAL_STRAP")
pytestmark = [pytest.mark.timeout(120),
              pytest.mark.skipif(not STRAP, reason="MYOKINETICS_REAL_STRAP is not set "
                                 "(needs a worn strap and a Bluetooth adapter)")]


async def test_scan_sees_the_strap() -> None:
    found = await scan(timeout=10)
    assert any(STRAP.lower() in (d.name or "").lower() or d.address.lower() == STRAP.lower()
               for d in found)


async def test_notifications_decode() -> None:
    packets: list[bytes] = []
    stop = asyncio.Event()

    def sink(event: object) -> None:
        if isinstance(event, Notification):
            packets.append(event.data)
            if len(packets) >= 5:
                stop.set()

    device = await find_device(STRAP, 15)
    await asyncio.wait_for(StrapConnection(device, sink).run(stop), 60)
    assert all(30 <= parse_heart_rate_measurement(p).bpm <= 220 for p in packets)


def test_cli_capture_reads_back(tmp_path: Path) -> None:
    options = CaptureOptions(devices=(STRAP,), out=tmp_path, duration_s=15, finish=False)
    result, = asyncio.run(capture(options, asyncio.Event()))
    assert myokinetics.read(result.recording).samples["heart_rate"].notna().sum() >= 10
