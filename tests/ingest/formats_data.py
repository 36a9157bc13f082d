"""Where the written-from-the-documentation sample files live (tests/data/formats/)."""

from __future__ import annotations

from pathlib import Path

FORMATS_DATA = Path(__file__).resolve().parents[1] / "data" / "formats"
