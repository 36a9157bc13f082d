"""The constants of the load pipeline, read once from ``presets.toml`` beside this module."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["presets", "sex_key"]

_PRESETS_FILE = Path(__file__).with_name("presets.toml")


@cache
def presets() -> dict[str, Any]:
    """The parsed ``presets.toml`` (do not mutate)."""
    with _PRESETS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def sex_key(sex: str | None) -> str:
    """Preset key for a sex: ``"male"``, ``"female"`` or ``"neutral"`` when unknown."""
    return sex if sex in ("male", "female") else "neutral"
