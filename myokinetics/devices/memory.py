"""Remembers the last strap used, so `myokinetics live` finds it again without --device."""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

__all__ = ["DEVICE_FILE_ENV", "last_device_path", "recall_device", "remember_device"]

#: Environment variable that overrides where the last device is remembered (tests use it).
DEVICE_FILE_ENV = "MYOKINETICS_DEVICE_FILE"


def last_device_path() -> Path:
    """``$MYOKINETICS_DEVICE_FILE``, else ``last-device.json`` in the user config folder."""
    override = os.environ.get(DEVICE_FILE_ENV)
    if override:
        return Path(override)
    return platformdirs.user_config_path("myokinetics") / "last-device.json"


def remember_device(address: str, name: str | None) -> None:
    """Store the device (atomically: a crash never leaves half a file)."""
    path = last_device_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"address": address, "name": name}) + "\n")
    os.replace(temporary, path)


def recall_device() -> dict[str, str | None] | None:
    """The remembered ``{"address", "name"}``, or None (never stored, or unreadable)."""
    try:
        stored = json.loads(last_device_path().read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or not isinstance(stored.get("address"), str):
        return None
    return {"address": stored["address"], "name": stored.get("name")}
