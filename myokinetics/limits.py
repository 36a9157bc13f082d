"""The one table of plausible ranges (``limits.toml``), read by ingest, devices and processing."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

__all__ = ["limit"]

_FILE = Path(__file__).with_name("limits.toml")


@cache
def _table() -> dict[str, dict[str, dict[str, object]]]:
    with _FILE.open("rb") as handle:
        return tomllib.load(handle)


def limit(stage: str, name: str) -> tuple[float, float]:
    """The closed plausible range ``(min, max)`` of ``name`` (unit in its name) for ``stage``
    ("reader", "cleaning" or "hrv")."""
    row = _table()[stage][name]
    return float(row["min"]), float(row["max"])  # type: ignore[arg-type]
