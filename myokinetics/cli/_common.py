"""What several sub-commands share: output folders, positive numbers, the athlete profile."""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from myokinetics.athlete import Athlete, MyokineticsDefaultWarning
from myokinetics.errors import InputError, LibraryError, MyokineticsError

if TYPE_CHECKING:
    from myokinetics.library import Library

__all__ = ["JSON_HELP", "LIBRARY_HELP", "activity_ids", "announce_defaults", "existing_library",
           "load_profile", "output_folder", "positive", "print_json", "resolved_athlete"]

#: Version of every ``--json`` document (docs/json.md); raised when a field changes meaning.
JSON_VERSION = 1
JSON_HELP = "print one JSON document on stdout instead of text (schema: docs/json.md)"
LIBRARY_HELP = "library folder (default: $MYOKINETICS_LIBRARY or the user data folder)"


def activity_ids(parser: argparse.ArgumentParser) -> None:
    """Add the ``ID...`` arguments and ``--library`` of a command that changes activities."""
    parser.add_argument("ids", nargs="+", metavar="ID",
                        help="catalog id (see `myokinetics list`) or a sha256 prefix")
    parser.add_argument("--library", type=Path, metavar="DIR", help=LIBRARY_HELP)


def existing_library(path: Path | None) -> Library:
    """The library at ``path`` (``--library``, else the default), which must exist: a command
    that reads a library never creates one at a mistyped path.

    Raises
    ------
    LibraryError
        The folder has no catalog.
    """
    from myokinetics.library import Library
    from myokinetics.library.core import CATALOG_NAME, ENV_VAR, default_library_path

    folder = Path(path).expanduser() if path else default_library_path()
    if not (folder / CATALOG_NAME).exists():
        raise LibraryError(folder, "no library here (no catalog)",
                           f"check --library or ${ENV_VAR}, or create one with "
                           "`myokinetics import PATH`")
    return Library(folder)


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


def resolved_athlete(path: str | Path | None, verbose: int = 0) -> Athlete:
    """The profile at ``path`` (else the config one) with population defaults filled, announced
    by :func:`announce_defaults` at once."""
    athlete, notices = load_profile(path)
    announce_defaults(athlete, notices, verbose)
    return athlete


def load_profile(path: str | Path | None) -> tuple[Athlete, list[warnings.WarningMessage]]:
    """The resolved profile and the notices its resolution raised (not yet shown)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        athlete = Athlete.load(path).resolved()
    return athlete, caught


def announce_defaults(athlete: Athlete, notices: list[warnings.WarningMessage],
                      verbose: int = 0) -> None:
    """Print the defaults used in one line on stderr (each with its source under
    ``--verbose``), with the commands that show and fix them; other notices as they are."""
    for notice in notices:
        if verbose or not issubclass(notice.category, MyokineticsDefaultWarning):
            print(f"myokinetics: {notice.message}", file=sys.stderr)
    if athlete.defaulted and not verbose:
        print(f"myokinetics: population defaults used for {', '.join(athlete.defaulted)} — "
              "`myokinetics athlete show` lists them with their sources, `myokinetics athlete "
              "init` writes your profile", file=sys.stderr)


def print_json(kind: str, payload: dict[str, Any]) -> None:
    """One JSON document on stdout: ``{"schema": "myokinetics-<kind>/1", ...payload}`` with
    NaN and infinities as null and times as ISO 8601 (docs/json.md)."""
    from myokinetics.report import plain

    document = {"schema": f"myokinetics-{kind}/{JSON_VERSION}", **plain(payload)}
    print(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False))
