"""Live capture cost: latency from notification to updated dashboard state, CPU per strap.

Ten fake straps (tests/devices/fake_bluez.py, in a separate process on a private
dbus-daemon) notify at 1 Hz through real bleak. Two phases in the same run:

* baseline — bare bleak: connect the ten straps and subscribe with an empty callback;
* myokinetics — the live path: StrapConnection -> LiveSession (crash-safe recording, timeline)
  per strap, plus the dashboard refresh (``capture.refresh_loop``: LoadPipeline + CrosstalkModel
  for every strap in the analysis worker process, throttled to a CPU budget; the dashboard
  drawn into a buffer each second).

Latency: packet send (fake process) to the end of ``LiveSession.feed`` (dashboard state holds the
packet's heart rate and beats), on the shared CLOCK_MONOTONIC. CPU: this process's
CPU time plus the analysis worker's, over wall time while streaming (dbus-daemon and the
fake are not counted in either phase). Targets (issue 6): latency p99 <= 5 ms, CPU <= 5 %
of one core for ten straps.
"""

from __future__ import annotations

import asyncio
import gc
import io
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

STRAPS = 10
RATE_HZ = 1.0
WARMUP_S = 4.0
MEASURE_S = 60.0
REPO = Path(__file__).resolve().parents[1]


def _sent(log: Path) -> dict[tuple[str, int], int]:
    out = {}
    for line in log.read_text().splitlines():
        address, seq, t = line.split()
        out[(address, int(seq))] = int(t)
    return out


async def _baseline(devices: list) -> tuple[float, list[tuple[str, int, int]]]:
    from bleak import BleakClient

    from myokinetics.devices.gatt import HEART_RATE_MEASUREMENT

    received: list[tuple[str, int, int]] = []
    clients = []
    for device in devices:
        client = BleakClient(device.ble_device)
        await client.connect()

        def callback(_, data: bytearray, address: str = device.address) -> None:
            received.append((address, data[2] | data[3] << 8, time.monotonic_ns()))

        await client.start_notify(HEART_RATE_MEASUREMENT, callback)
        clients.append(client)
    cpu, _ = await _measure()
    received_window = [r for r in received if r[2] >= _measure.start_ns]
    for client in clients:
        await client.disconnect()
    return cpu, received_window


async def _measure(worker: Any = None) -> tuple[float, float]:
    """CPU share of one core (this process, the analysis worker) over the measured window."""
    await asyncio.sleep(WARMUP_S)
    _measure.start_ns = time.monotonic_ns()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    worker0 = worker.call("cpu") if worker else 0.0
    await asyncio.sleep(MEASURE_S)
    wall = time.perf_counter() - wall0
    worker1 = worker.call("cpu") if worker else 0.0
    return (time.process_time() - cpu0) / wall, (worker1 - worker0) / wall


_measure.start_ns = 0  # type: ignore[attr-defined]


async def _myokinetics(devices: list, out: Path) -> tuple[float, float, list]:
    from myokinetics.athlete import Athlete
    from myokinetics.devices.analysis_worker import AnalysisWorker
    from myokinetics.devices.capture import refresh_loop
    from myokinetics.devices.connection import StrapConnection
    from myokinetics.devices.dashboard import Dashboard
    from myokinetics.devices.recorder import RecordingWriter
    from myokinetics.devices.session import LiveSession
    from myokinetics.ingest.recording import RecordingHeader
    from myokinetics.ingest.strap_events import Notification

    received: list[tuple[str, int, int]] = []
    sessions, tasks = [], []
    stop = asyncio.Event()
    worker = AnalysisWorker()  # as capture() does by default
    athlete = Athlete().resolved()
    for device in devices:
        writer = RecordingWriter(out, RecordingHeader(created=time.time(),
                                                      device_name=device.name,
                                                      device_address=device.address))
        session = LiveSession(device.label, writer, worker.analysis(device.address, athlete))
        sessions.append(session)

        def feed(event, session=session, address=device.address) -> None:
            session.feed(event)
            if isinstance(event, Notification):
                received.append((address, event.data[2] | event.data[3] << 8,
                                 time.monotonic_ns()))

        tasks.append(asyncio.create_task(StrapConnection(device, feed).run(stop)))
    gc.freeze()  # as capture() does once set up
    refresher = asyncio.create_task(refresh_loop(sessions, Dashboard(io.StringIO()), 1.0, stop))
    cpu, worker_cpu = await _measure(worker)
    window = [r for r in received if r[2] >= _measure.start_ns]
    stop.set()
    await asyncio.gather(*tasks, refresher)
    for session in sessions:
        session.close()
    worker.close()
    return cpu, worker_cpu, window


def _latencies_ms(received: list[tuple[str, int, int]], sent: dict) -> np.ndarray:
    return np.array([(t - sent[(a, s)]) / 1e6 for a, s, t in received if (a, s) in sent])


async def _run(out: Path, log: Path) -> None:
    from myokinetics.devices.scanner import find_device

    devices = [await find_device(f"HR strap {i:02d}", 10) for i in range(STRAPS)]
    base_cpu, base_received = await _baseline(devices)
    await asyncio.sleep(1.0)
    ours_cpu, worker_cpu, ours_received = await _myokinetics(devices, out)
    sent = _sent(log)
    base = _latencies_ms(base_received, sent)
    ours = _latencies_ms(ours_received, sent)
    print(f"{STRAPS} straps at {RATE_HZ:g} Hz, {MEASURE_S:g} s measured after {WARMUP_S:g} s "
          f"warm-up, fake BlueZ on a private dbus-daemon, real bleak")
    print(f"{'':32}{'median':>10}{'p99':>10}{'n':>7}")
    print(f"{'latency bare bleak (ms)':32}{np.median(base):10.2f}{np.percentile(base, 99):10.2f}"
          f"{len(base):7d}")
    print(f"{'latency myokinetics (ms)':32}{np.median(ours):10.2f}"
          f"{np.percentile(ours, 99):10.2f}{len(ours):7d}")
    print(f"{'  ratio to bare bleak':32}{np.median(ours) / np.median(base):10.2f}"
          f"{np.percentile(ours, 99) / np.percentile(base, 99):10.2f}")
    total = ours_cpu + worker_cpu
    print(f"CPU, % of one core: bare bleak {100 * base_cpu:.2f}; myokinetics {100 * total:.2f} "
          f"= capture {100 * ours_cpu:.2f} + analysis worker {100 * worker_cpu:.2f} "
          f"(ratio {total / base_cpu:.1f}); target <= 5 %")


def main() -> None:
    sys.path.insert(0, str(REPO))
    from tests.devices.privbus import PrivateBus

    warnings.simplefilter("ignore")  # population-default notices for the anonymous athlete
    with PrivateBus() as bus, tempfile.TemporaryDirectory() as folder:
        os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = bus.address
        log = Path(folder) / "sent.log"
        fake = subprocess.Popen([sys.executable, "-m", "tests.devices.fake_bluez", "--bus",
                                 bus.address, "--straps", str(STRAPS), "--rate", str(RATE_HZ),
                                 "--log", str(log)], cwd=REPO)
        try:
            time.sleep(1.0)
            asyncio.run(_run(Path(folder) / "recordings", log))
        finally:
            fake.terminate()
            fake.wait(timeout=10)


if __name__ == "__main__":
    main()
