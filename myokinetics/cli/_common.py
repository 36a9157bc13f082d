"""Checks shared by several sub-commands: output folders and positive numbers.

The leading underscore keeps this module out of sub-command discovery.
"""

from __future__ import annotations

import math
from pathlib import Path

from myokinetics.errors import InputError, MyokineticsError

__all__ = ["output_folder", "positive"]


def output_folder(path: Path, flag: str) -> Path:
    """Create ``path`` (and its parents) now, so an unusable ``--out`` fails before any work.

    Raises
    ------
    MyokineticsError
        Naming the folder and the ``flag`` when it cannot be created (a file is in the way,
        no permission, read-only file system).
    """
    if path.exists() and not path.is_dir():
        raise MyokineticsError(path, "is a file, not a folder",
                               f"give {flag} a folder (new or existing)")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise MyokineticsError(
            path, f"output folder cannot be created ({error.strerror or error})",
            f"give {flag} a folder you can write to") from None
    return path


def positive(flag: str, value: float, unit: str) -> None:
    """Refuse a value that is not a finite number above zero (NaN and infinity included)."""
    if not (value > 0 and math.isfinite(value)):
        raise InputError(flag, f"{value:g} is not a positive number of {unit}",
                         f"give {unit} > 0")
