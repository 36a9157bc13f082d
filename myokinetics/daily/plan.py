"""The incremental plan: which days must be recomputed, recorded in a manifest.

The output folder holds ``manifest.json``: for every computed day, a hash of its inputs (the
activities' content hashes and placement, the athlete profile, the settings, the code) and
the hashes of the carried state it started from and ended with. A day is reused when its
inputs hash and its starting state hash both match and its files are present; otherwise it is
recomputed, and so is every later day whose starting state then changes. The state carried out
of each day is kept in ``.state/`` so a run can resume in the middle of the range.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from myokinetics.daily.calendar import Day
from myokinetics.daily.serialize import atomic_write_bytes, canonical_json

__all__ = [
    "MANIFEST_FORMAT",
    "DayRecord",
    "Manifest",
    "day_inputs_hash",
    "state_bytes",
    "state_hash",
]

MANIFEST_FORMAT = "myokinetics-daily-manifest/1"
MANIFEST_NAME = "manifest.json"
STATE_DIR = ".state"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def day_inputs_hash(day: Day, fingerprint: dict[str, Any]) -> str:
    """Hash of everything a day's result depends on, apart from the state carried into it.

    Parameters
    ----------
    day : Day
        Its date, window and activities (each by id, content hash, sport, start and offset).
    fingerprint : dict
        Athlete profile, settings and code version (from the day computer).
    """
    entries = [[str(e.id), e.sha256, e.sport, e.start.isoformat(), e.utc_offset_s,
                e.offset_known, e.status, list(e.duplicates)] for e in day.entries]
    document = {"date": day.date.isoformat(), "utc_offset_s": day.utc_offset_s,
                "window": [day.start.isoformat(), day.end.isoformat()], "entries": entries,
                "fingerprint": fingerprint}
    return _sha256(canonical_json(document))


def state_bytes(state: Any) -> bytes:
    """The carried state as bytes (pickle protocol 5); the same state gives the same bytes."""
    return pickle.dumps(state, protocol=5)


def state_hash(data: bytes) -> str:
    """Hash of serialised carried state."""
    return _sha256(data)


@dataclass(frozen=True)
class DayRecord:
    """What the manifest remembers about one computed day."""

    inputs: str
    state_in: str
    state_out: str
    problems: int
    files: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"inputs": self.inputs, "state_in": self.state_in, "state_out": self.state_out,
                "problems": self.problems, "files": list(self.files)}


class Manifest:
    """The manifest and carried-state store of one output folder.

    Parameters
    ----------
    out : Path
        The daily output folder.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.days: dict[str, DayRecord] = {}
        self._load()

    def _load(self) -> None:
        path = self.out / MANIFEST_NAME
        try:
            document = json.loads(path.read_bytes())
            if document.get("format") != MANIFEST_FORMAT:
                return
            self.days = {key: DayRecord(inputs=v["inputs"], state_in=v["state_in"],
                                        state_out=v["state_out"], problems=int(v["problems"]),
                                        files=tuple(v["files"]))
                         for key, v in document["days"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            # A missing or unreadable manifest only costs a full recomputation.
            self.days = {}

    def save(self) -> None:
        """Write the manifest atomically."""
        document = {"format": MANIFEST_FORMAT,
                    "days": {key: rec.as_dict() for key, rec in sorted(self.days.items())}}
        atomic_write_bytes(self.out / MANIFEST_NAME, canonical_json(document), durable=True)

    def state_path(self, key: str) -> Path:
        """Where the state carried out of day ``key`` (ISO date) is kept."""
        return self.out / STATE_DIR / f"{key}.pkl"

    def reusable(self, key: str, inputs: str, state_in: str, need_files: bool) -> bool:
        """True when day ``key`` computed before from the same inputs and starting state."""
        record = self.days.get(key)
        if record is None or record.inputs != inputs or record.state_in != state_in:
            return False
        if record.problems or not self.state_path(key).exists():
            return False
        return not need_files or (bool(record.files)
                                   and all((self.out / n).exists() for n in record.files))

    def load_state(self, key: str) -> Any:
        """The state carried out of day ``key``; None when missing or not the recorded one."""
        record = self.days.get(key)
        try:
            data = self.state_path(key).read_bytes()
        except OSError:
            return None
        if record is None or state_hash(data) != record.state_out:
            return None
        return pickle.loads(data)  # our own file, written by state_bytes()

    def store_state(self, key: str, data: bytes) -> None:
        """Keep the state carried out of day ``key``."""
        atomic_write_bytes(self.state_path(key), data)
