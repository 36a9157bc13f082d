"""``myokinetics athlete init|show``: write the athlete profile where the tools look, and show
the profile every command resolves (with each population default and its source)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import warnings
from pathlib import Path

from myokinetics.athlete import Athlete, default_athlete_path
from myokinetics.errors import AthleteError

__all__ = ["register"]

#: The profile fields ``init`` asks for, with their unit as shown to the person.
FIELDS = (("sex", "male or female"), ("age", "years"), ("body_mass_kg", "kg"),
          ("hr_rest", "beats/min, lying down on waking"), ("hr_max", "beats/min"),
          ("hr_threshold", "beats/min, lactate threshold"), ("vo2max", "mL/kg/min"),
          ("ftp_w", "W, functional threshold power"))


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "athlete", help="write or show the athlete profile",
        description="The athlete profile (sex, age, body mass, heart rates, VO2max, FTP) that "
                    f"every command reads from --athlete FILE or, by default, "
                    f"{default_athlete_path()}.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="write a profile (asks for what the flags omit)",
                              description="Write a profile; values not given as flags are "
                              "asked for when a terminal is attached (Enter skips one).")
    for name, unit in FIELDS:
        init.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar="VALUE",
                          help=unit)
    init.add_argument("--out", metavar="FILE", type=Path, default=None,
                      help=f"where to write (default {default_athlete_path()})")
    init.add_argument("--force", action="store_true", help="replace an existing profile")
    show = actions.add_parser("show", help="the resolved profile, defaults and their sources")
    show.add_argument("--athlete", metavar="FILE", help="profile (default: the config one)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return _init(args) if args.action == "init" else _show(args)


def _value(name: str, text: str) -> float | str:
    if name == "sex":
        return text.strip().lower()
    try:
        return float(text)
    except ValueError:
        raise AthleteError(f"--{name.replace('_', '-')}", f"{text!r} is not a number",
                           "give a plain number (no unit)") from None


def _init(args: argparse.Namespace) -> int:
    path = args.out or default_athlete_path()
    if path.exists() and not args.force:
        raise AthleteError(path, "a profile exists already",
                           "edit it, or pass --force to replace it")
    values: dict[str, float | str] = {}
    for name, unit in FIELDS:
        text = getattr(args, name)
        if text is None and sys.stdin.isatty():
            text = input(f"{name} ({unit}, Enter to skip): ").strip() or None
        if text is not None:
            values[name] = _value(name, text)
    # Athlete checks every value's type and range: an implausible profile is refused here,
    # before anything is written (the values are str or float by field, not typed per field)
    Athlete(**values)  # type: ignore[arg-type]
    lines = ["# myokinetics athlete profile: every key is optional (a missing one gets a",
             "# documented population default); see `myokinetics athlete show`.", "[athlete]"]
    lines += [f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v:g}" for k, v in values.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"athlete profile written to {path}")
    return 0


def _show(args: argparse.Namespace) -> int:
    source = Path(args.athlete) if args.athlete else default_athlete_path()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        athlete = Athlete.load(args.athlete).resolved()
    found = args.athlete or source.exists()
    print(f"profile: {source}" + ("" if found else " (absent: every value is a default)"))
    notes = {str(w.message).split(" unknown:")[0].removeprefix("athlete "): str(w.message)
             for w in caught}
    for field in dataclasses.fields(Athlete):
        if field.name in ("defaulted", "birth_year"):
            continue
        value = getattr(athlete, field.name)
        shown = "-" if value is None else (list(value) if field.name == "zones" else
                                          f"{value:g}" if isinstance(value, float) else value)
        print(f"  {field.name:<13} {shown}")
        if field.name in notes:
            print(f"  {'':<13} default: {notes[field.name].split(': using ', 1)[-1]}")
    return 0
