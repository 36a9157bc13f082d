"""Write real FIT files for tests and for the bundled sample (through ``fit-tool``).

Usage::

    python -m tools.fitgen samples/run-intervals-45min.fit

API
---
- :class:`WorkoutSpec` (+ :class:`Lap`, :class:`Session`, :class:`Device`, :class:`Sensor`,
  :class:`DevField`): what an activity contains (:mod:`tools.fitgen_spec`).
- :func:`fit_bytes` / :func:`write_fit`: encode a spec (:mod:`tools.fitgen_encode`).
- :func:`sample_run`: the bundled 45 min interval run (:mod:`tools.fitgen_sample`).
- Edge cases for the FIT reader's tests (:mod:`tools.fitgen_edge`): :func:`short_run`,
  :func:`chained_strap_bytes` (-> :class:`Chained`), :func:`strap_hr_bytes`, :func:`multisport`,
  :func:`duplicate_timestamps`, :func:`invalid_heart_rates`, :func:`shadowing_dev_fields`,
  :func:`with_power`, :func:`relative_timestamps`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tools.fitgen_edge import (
    Chained,
    chained_strap_bytes,
    duplicate_timestamps,
    invalid_heart_rates,
    multisport,
    relative_timestamps,
    shadowing_dev_fields,
    short_run,
    strap_hr_bytes,
    with_power,
)
from tools.fitgen_encode import encode
from tools.fitgen_sample import sample_run
from tools.fitgen_spec import DevField, Device, Lap, Sensor, Session, WorkoutSpec

__all__ = [
    "Chained",
    "DevField",
    "Device",
    "Lap",
    "Sensor",
    "Session",
    "WorkoutSpec",
    "chained_strap_bytes",
    "duplicate_timestamps",
    "fit_bytes",
    "invalid_heart_rates",
    "main",
    "multisport",
    "relative_timestamps",
    "sample_run",
    "shadowing_dev_fields",
    "short_run",
    "strap_hr_bytes",
    "with_power",
    "write_fit",
]


def fit_bytes(spec: WorkoutSpec) -> bytes:
    """The FIT file of ``spec`` as bytes (12-byte header ... CRC), deterministic for a spec."""
    return encode(spec)


def write_fit(spec: WorkoutSpec, path: str | Path) -> Path:
    """Write the FIT file of ``spec`` to ``path`` and return the path."""
    path = Path(path)
    path.write_bytes(fit_bytes(spec))
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.fitgen OUT.fit [SEED]``: write the bundled sample run."""
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print("usage: python -m tools.fitgen OUT.fit [SEED]", file=sys.stderr)
        return 2
    seed = int(args[1]) if len(args) == 2 else 7
    path = write_fit(sample_run(seed), args[0])
    print(f"{path}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
