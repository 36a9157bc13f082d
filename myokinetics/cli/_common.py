"""Checks shared by several sub-commands: output folders and the athlete profile.

The leading underscore keeps this module out of sub-command discovery.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from myokinetics.errors import AthleteError, InputError, MyokineticsError

if TYPE_CHECKING:
    from myokinetics.athlete import Athlete

__all__ = ["load_athlete", "output_folder", "positive"]


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


def load_athlete(path: Path | str | None) -> Athlete:
    """:meth:`Athlete.load`, with every unreadable profile turned into one :class:`AthleteError`.

    ``Athlete.load`` reports missing files, bad TOML syntax and out-of-range values itself;
    this adds what reaches the command line as a bare library error: a folder or an unreadable
    file given as the profile, a binary (non UTF-8) file, a non-number where a number belongs
    and an ``athlete`` key that is not a table.
    """
    from myokinetics.athlete import Athlete, default_athlete_path

    where = path if path is not None else default_athlete_path()
    try:
        return Athlete.load(path)
    except MyokineticsError:
        raise
    except OSError as error:
        raise AthleteError(where,
                           f"cannot be read ({error.strerror or error})",
                           "give --athlete a TOML file, e.g. samples/athlete.toml") from None
    except (ValueError, TypeError, AttributeError) as error:
        raise AthleteError(where,
                           f"not a usable athlete profile ({type(error).__name__}: {error})",
                           "write a UTF-8 TOML [athlete] table with numbers as values, "
                           "e.g. samples/athlete.toml") from None


def positive(flag: str, value: float, unit: str) -> None:
    """Refuse a value that is not a finite number above zero (NaN and infinity included)."""
    if not (value > 0 and math.isfinite(value)):
        raise InputError(flag, f"{value:g} is not a positive number of {unit}",
                         f"give {unit} > 0")
