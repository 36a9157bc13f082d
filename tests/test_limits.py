"""One table of plausible ranges: every row sourced, and every stage reads it."""

from __future__ import annotations

import tomllib

from myokinetics.ingest import csvfile, hrm, quality
from myokinetics.limits import _FILE, limit
from myokinetics.processing.grid import SecondGrid
from myokinetics.processing.rr import FatMaxxerFilter


def test_every_row_is_a_sourced_range() -> None:
    table = tomllib.loads(_FILE.read_text())
    rows = [(stage, name, row) for stage, names in table.items() for name, row in names.items()]
    assert len(rows) >= 12
    for stage, name, row in rows:
        assert row["min"] < row["max"], (stage, name)
        assert len(row["source"]) > 10, (stage, name)
        assert name.rsplit("_", 1)[-1] in {"bpm", "ms", "w", "min", "s", "m", "deg", "c"}, name


def test_readers_devices_and_processing_read_the_table() -> None:
    rr = limit("reader", "rr_ms")
    assert (hrm.RR_MIN_MS, hrm.RR_MAX_MS) == rr == csvfile.RR_RANGE_MS
    assert quality.VALID_RANGES["heart_rate"] == limit("reader", "heart_rate_bpm")
    assert rr == (60000 / quality.VALID_RANGES["heart_rate"][1],
                  60000 / quality.VALID_RANGES["heart_rate"][0])
    assert (FatMaxxerFilter().rr_min, FatMaxxerFilter().rr_max) == limit("hrv", "rr_ms")
    assert SecondGrid()._hr_range == limit("cleaning", "heart_rate_bpm")
