"""Seeded mutations of activity files for the hostile-input tests and ``python -m bench fuzz``.

Each mutation is one thing a broken exporter or an attacker does: an edge number (1e308, inf,
nan, epoch milliseconds), an edge time (year 1, 9999, 2262, 1677), a declared encoding no
exporter writes, a flipped byte, a deleted run or a cut.
"""

from __future__ import annotations

import io
import random
import re
import tempfile
import zipfile
from pathlib import Path

from myokinetics.devices.recorder import RecordingWriter
from myokinetics.ingest.recording import RecordingHeader
from myokinetics.ingest.strap_events import DeviceEvent, Notification

__all__ = ["EDGE_NUMBERS", "EDGE_TIMES", "mutate", "mutate_zip", "seed_files"]

EDGE_NUMBERS = (b"1e308", b"-1e308", b"1e400", b"nan", b"inf", b"-5", b"0", b"2.2e12",
                b"99999999999999999999")
EDGE_TIMES = (b"0001-01-01T00:00:00Z", b"9999-12-31T23:59:59Z", b"2262-04-12T00:00:00Z",
              b"1677-09-21T00:00:00Z", b"2050-01-01T00:00:00Z", b"1970-01-01T00:00:00Z",
              b"-5-05-01T08:00:15Z")
_NUMBER = re.compile(rb"(?<![\w.])\d+(\.\d+)?(?![\w.])")
_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?")


def _recording() -> bytes:
    """Two minutes of a live recording written by the real recorder."""
    t0 = 1_790_000_000.0
    with tempfile.TemporaryDirectory() as folder:
        writer = RecordingWriter(folder, RecordingHeader(
            created=t0, device_name="Polar H10", device_address="A0:9E", sport="running",
            utc_offset_s=3600.0))
        writer.write(DeviceEvent(t0 + 0.2, "connect"))
        for i in range(1, 120):
            rr = (1000 + i).to_bytes(2, "little")
            writer.write(Notification(t0 + i + 0.3, bytes([0x16, 60 + i % 20]) + rr))
        writer.close(t0 + 121)
        return writer.path.read_bytes()


def seed_files(formats: Path) -> dict[str, bytes]:
    """Small valid files of every text format: a CSV, a live recording and the hand-written
    samples in ``formats`` (tests/data/formats), by name."""
    csv = b"time,heart_rate,power,speed\n" + b"".join(
        f"2024-05-01T08:00:{i:02d}Z,{120 + i},{200 + i},3.{i}\n".encode() for i in range(60))
    seeds = {"seed.csv": csv, "seed.mkrec.jsonl": _recording()}
    for name in ("three-runs.tcx", "gpx-with-tcx-namespace.gpx", "session.hrm", "rr-mode.hrm",
                 "2024-05-01 07-30-12.txt", "wahoo.csv", "move.sml", "ride.pwx",
                 "suunto-devicelog.json", "suunto-samples.json",
                 "training-session-2024-05-05-1234567-abcd.json"):
        seeds[name] = (formats / name).read_bytes()
    return seeds


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One mutation of ``data``, chosen by ``rng``."""
    kind = rng.randrange(6)
    if kind == 0 and (numbers := list(_NUMBER.finditer(data))):
        match = rng.choice(numbers)
        return data[:match.start()] + rng.choice(EDGE_NUMBERS) + data[match.end():]
    if kind == 1 and (times := list(_TIME.finditer(data))):
        out = data
        chosen = rng.sample(times, rng.choice([1, max(1, len(times) // 2)]))
        for match in sorted(chosen, key=lambda m: -m.start()):
            out = out[:match.start()] + rng.choice(EDGE_TIMES) + out[match.end():]
        return out
    if kind == 2:
        return re.sub(rb'encoding="[^"]*"', rng.choice(
            [b'encoding="big5"', b'encoding="nonsense"', b'encoding="utf-16"']), data, count=1)
    if kind == 3:
        i = rng.randrange(len(data))
        return data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]
    if kind == 4:
        i = rng.randrange(len(data))
        return data[:i] + data[i + rng.randrange(1, 64):]
    return data[:rng.randrange(len(data))]


def mutate_zip(members: dict[str, bytes], rng: random.Random) -> bytes:
    """A zip of ``members`` with one member mutated, or the archive's own bytes mutated."""
    buffer = io.BytesIO()
    victim = rng.choice(sorted(members))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, mutate(data, rng) if name == victim else data)
    packed = buffer.getvalue()
    return mutate(packed, rng) if rng.random() < 0.5 else packed
