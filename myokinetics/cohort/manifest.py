"""The cohort manifest: one CSV row per participant with the export path and the profile."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from myokinetics.athlete import Athlete
from myokinetics.errors import AthleteError, InputError

__all__ = ["PROFILE_FIELDS", "Participant", "read_manifest"]

#: Profile columns a manifest may carry (units of :class:`myokinetics.Athlete`: years, kg,
#: beats/min, mL/kg/min, W); ``ftp`` is accepted for ``ftp_w``.
PROFILE_FIELDS = ("sex", "age", "body_mass_kg", "hr_rest", "hr_max", "hr_threshold", "vo2max",
                  "ftp_w")
_ALIASES = {"ftp": "ftp_w"}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class Participant:
    """One manifest row.

    Attributes
    ----------
    id : str
        Participant id (letters, digits, ``_ . -``; used in folder names).
    export : Path
        File, folder or export zip (relative paths are relative to the manifest's folder).
    athlete : Athlete
        The profile from the row's fields or from its ``athlete`` TOML file (not resolved).
    row : int
        Line number in the manifest (1 is the header).
    """

    id: str
    export: Path
    athlete: Athlete
    row: int


def read_manifest(path: str | PathLike[str]) -> list[Participant]:
    """The participants of the manifest at ``path``, in file order.

    Raises
    ------
    InputError
        One line naming the file and row: missing columns, an empty or repeated id, a
        profile value that is not a number, both profile fields and ``athlete`` given.
    AthleteError
        A profile value out of range (named with the row).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, "manifest not found", "give the path of the cohort CSV") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(path, f"manifest cannot be read ({error})",
                         "give a UTF-8 CSV file") from None
    reader = csv.DictReader(text.splitlines())
    columns = {_ALIASES.get(c.strip(), c.strip()) for c in reader.fieldnames or ()}
    missing = {"participant", "export"} - columns
    if missing:
        raise InputError(path, f"no column {', '.join(sorted(missing))} in the header",
                         "the header needs participant, export and profile fields or athlete")
    unknown = sorted(columns - {"participant", "export", "athlete", *PROFILE_FIELDS})
    if unknown:
        raise InputError(path, f"unknown columns {unknown}",
                         f"allowed: participant, export, athlete, {', '.join(PROFILE_FIELDS)}")
    participants: list[Participant] = []
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        row = {_ALIASES.get(k.strip(), k.strip()): (v or "").strip()
               for k, v in raw.items() if k is not None}
        participant = _participant(path, number, row)
        if participant.id in seen:
            raise InputError(f"{path} row {number}", f"participant {participant.id!r} repeated",
                             "give every participant one row")
        seen.add(participant.id)
        participants.append(participant)
    if not participants:
        raise InputError(path, "no participant rows", "add one row per participant")
    return participants


def _participant(path: Path, number: int, row: dict[str, str]) -> Participant:
    """One row as a participant; errors name ``path`` and the row ``number``."""
    where = f"{path} row {number}"
    ident = row.get("participant", "")
    if not _ID.fullmatch(ident):
        raise InputError(where, f"participant id {ident!r} is not usable",
                         "use 1-64 letters, digits, '_', '.' or '-', starting with a letter "
                         "or digit")
    if not row.get("export"):
        raise InputError(where, f"participant {ident!r} has no export",
                         "give a file, folder or export zip")
    export = Path(row["export"]).expanduser()
    export = export if export.is_absolute() else path.parent / export
    fields = {name: row[name] for name in PROFILE_FIELDS if row.get(name)}
    if row.get("athlete"):
        if fields:
            raise InputError(where, f"both athlete and profile fields ({', '.join(fields)})",
                             "give either an athlete TOML file or the profile fields")
        toml = Path(row["athlete"]).expanduser()
        try:
            athlete = Athlete.from_toml(toml if toml.is_absolute() else path.parent / toml)
        except AthleteError as error:
            raise AthleteError(where, f"{error.where}: {error.what}", error.hint) from None
        return Participant(ident, export, athlete, number)
    values: dict[str, str | float] = {}
    for name, text in fields.items():
        if name == "sex":
            values[name] = text.lower()
            continue
        try:
            values[name] = float(text)
        except ValueError:
            raise InputError(where, f"{name} {text!r} is not a number",
                             "give a plain number (no unit)") from None
    try:
        athlete = Athlete(**values)  # type: ignore[arg-type]
    except AthleteError as error:
        raise AthleteError(where, f"{error.where}: {error.what}", error.hint) from None
    return Participant(ident, export, athlete, number)
