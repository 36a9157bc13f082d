"""The athlete profile: what load and intensity need to know about the person.

Missing values are filled by :meth:`Athlete.resolved` from population defaults kept in
``athlete_defaults.toml`` beside this module (value, unit and source each); every default used
is announced with a :class:`MyokineticsDefaultWarning` that names it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from numbers import Real
from os import PathLike
from pathlib import Path
from typing import Any, Literal

import platformdirs

from myokinetics.errors import AthleteError

__all__ = ["Athlete", "MyokineticsDefaultWarning", "athlete_defaults", "default_athlete_path"]

Sex = Literal["male", "female"]

_DEFAULTS_FILE = Path(__file__).with_name("athlete_defaults.toml")

#: Plausible range per numeric field (inclusive); outside it the profile is rejected.
_RANGES: dict[str, tuple[float, float]] = {
    "age": (5.0, 110.0),
    "body_mass_kg": (20.0, 300.0),
    "hr_rest": (25.0, 120.0),
    "hr_max": (100.0, 240.0),
    "hr_threshold": (80.0, 230.0),
    "vo2max": (10.0, 95.0),
    "ftp_w": (30.0, 700.0),
    "w_prime_j": (1000.0, 80000.0),
}


class MyokineticsDefaultWarning(UserWarning):
    """A population default was used for a missing athlete value (the message names it)."""


@cache
def athlete_defaults() -> dict[str, Any]:
    """The population defaults table (parsed ``athlete_defaults.toml``)."""
    with _DEFAULTS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def default_athlete_path() -> Path:
    """Default profile path: ``<user config dir>/myokinetics/athlete.toml``."""
    return Path(platformdirs.user_config_dir("myokinetics")) / "athlete.toml"


@dataclass(frozen=True)
class Athlete:
    """An athlete profile; every field is optional.

    Attributes
    ----------
    sex : "male", "female" or None
    age : float or None
        Years. Takes precedence over ``birth_year``.
    birth_year : int or None
    body_mass_kg : float or None
        Body mass (kg).
    hr_rest, hr_max, hr_threshold : float or None
        Resting, maximal and lactate-threshold heart rate (beats/min).
    vo2max : float or None
        Maximal oxygen uptake (mL/kg/min).
    ftp_w : float or None
        Functional threshold power (W); also used as critical power for W'bal.
    w_prime_j : float or None
        Work capacity above critical power, W' (J).
    zones : tuple of 5 floats or None
        Upper bounds of heart-rate zones 1-5 (beats/min), increasing.
    defaulted : tuple of str
        Names of the fields :meth:`resolved` filled from population defaults.
    """

    sex: Sex | None = None
    age: float | None = None
    birth_year: int | None = None
    body_mass_kg: float | None = None
    hr_rest: float | None = None
    hr_max: float | None = None
    hr_threshold: float | None = None
    vo2max: float | None = None
    ftp_w: float | None = None
    w_prime_j: float | None = None
    zones: tuple[float, ...] | None = None
    defaulted: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.sex is not None and self.sex not in ("male", "female"):
            raise AthleteError("athlete.sex", f"unknown value {self.sex!r}",
                               'use "male" or "female", or leave it out')
        for name in (*_RANGES, "birth_year"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, Real)):
                raise AthleteError(f"athlete.{name}", f"{value!r} is not a number",
                                   "give a plain number (no quotes, no unit)")
        if self.zones is not None:
            listed = isinstance(self.zones, Iterable) and not isinstance(self.zones, str | bytes)
            if not listed or not all(isinstance(z, Real) and not isinstance(z, bool)
                                     for z in self.zones):
                raise AthleteError("athlete.zones", f"got {self.zones!r}",
                                   "give 5 increasing upper bounds in beats/min")
            object.__setattr__(self, "zones", tuple(float(z) for z in self.zones))
            if len(self.zones) != 5 or any(b <= a for a, b in zip(self.zones, self.zones[1:],
                                                                   strict=False)):
                raise AthleteError("athlete.zones", f"got {list(self.zones)}",
                                   "give 5 increasing upper bounds in beats/min")
        for name, (low, high) in _RANGES.items():
            value = getattr(self, name)
            if value is not None and not low <= float(value) <= high:
                raise AthleteError(f"athlete.{name}", f"{value} is outside {low:g}-{high:g}",
                                   "check the unit (bpm, kg, mL/kg/min, W, J)")
        if (self.hr_rest is not None and self.hr_max is not None
                and self.hr_rest >= self.hr_max):
            raise AthleteError("athlete", f"hr_rest {self.hr_rest} >= hr_max {self.hr_max}",
                               "resting heart rate must be below maximal heart rate")
        if (self.hr_threshold is not None and self.hr_max is not None
                and self.hr_threshold > self.hr_max):
            raise AthleteError("athlete", f"hr_threshold {self.hr_threshold} > hr_max "
                               f"{self.hr_max}", "threshold heart rate cannot exceed the maximum")

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_toml(cls, path: str | PathLike[str]) -> Athlete:
        """Read a profile from a TOML file (top-level keys or an ``[athlete]`` table)."""
        path = Path(path)
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except FileNotFoundError:
            raise AthleteError(path, "file not found", "check the --athlete path") from None
        except tomllib.TOMLDecodeError as error:
            raise AthleteError(path, f"not valid TOML ({error})", "fix the syntax") from None
        except UnicodeDecodeError:
            raise AthleteError(path, "not a text file (not UTF-8)",
                               "give a TOML athlete profile") from None
        except OSError as error:
            raise AthleteError(path, f"cannot be read ({error.strerror})",
                               "give a readable TOML file") from None
        data = data.get("athlete", data)
        if not isinstance(data, dict):
            raise AthleteError(path, "'athlete' is not a table",
                               "write the values under an [athlete] header")
        known = {f.name for f in dataclasses.fields(cls)} - {"defaulted"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise AthleteError(path, f"unknown keys {unknown}",
                               f"allowed keys: {', '.join(sorted(known))}")
        try:
            return cls(**data)
        except AthleteError as error:
            raise AthleteError(f"{path}: {error.where}", error.what, error.hint) from None
        except TypeError as error:
            raise AthleteError(path, str(error), "check the value types") from None

    @classmethod
    def load(cls, path: str | PathLike[str] | None = None) -> Athlete:
        """Profile from ``path``, else :func:`default_athlete_path` if it exists, else empty."""
        if path is not None:
            return cls.from_toml(path)
        default = default_athlete_path()
        return cls.from_toml(default) if default.exists() else cls()

    # ------------------------------------------------------------------ defaults
    def resolved(self, on: dt.date | None = None) -> Athlete:
        """A copy with every missing value filled by a documented population default.

        Parameters
        ----------
        on : date, optional
            Date at which ``age`` is computed from ``birth_year`` (default: today).

        Notes
        -----
        ``sex`` stays None when unknown: load formulas then use their sex-neutral constants.
        ``ftp_w`` has no population default (power metrics are skipped without it).
        Each default used emits one :class:`MyokineticsDefaultWarning`.
        """
        table = athlete_defaults()
        values = dataclasses.asdict(self)
        used: list[str] = list(self.defaulted)

        def fill(name: str, value: float, how: str) -> None:
            values[name] = value
            used.append(name)
            warnings.warn(MyokineticsDefaultWarning(
                f"athlete {name} unknown: using {value:.4g} {table[name]['unit']} ({how}; "
                f"source: {table[name]['source']})"), stacklevel=3)

        if values["age"] is None and values["birth_year"] is not None:
            age = float((on or dt.date.today()).year - int(values["birth_year"]))
            values["age"] = age
            low, high = _RANGES["age"]
            if not low <= age <= high:
                raise AthleteError("athlete.birth_year", f"{values['birth_year']} gives an age "
                                   f"of {age:g} years", f"expected {low:g}-{high:g}")
        if values["age"] is None:
            fill("age", table["age"]["value"], "population default age")
        if values["hr_max"] is None:
            entry = table["hr_max"]
            fill("hr_max", entry["intercept"] - entry["slope"] * values["age"],
                 f"{entry['intercept']:g} - {entry['slope']:g} x age")
        if values["hr_rest"] is None:
            fill("hr_rest", table["hr_rest"]["value"], "population default resting HR")
        if values["hr_threshold"] is None:
            fraction = table["hr_threshold"]["fraction_of_hr_max"]
            fill("hr_threshold", fraction * values["hr_max"], f"{fraction:g} x HRmax")
        if values["vo2max"] is None:
            factor = table["vo2max"]["factor"]
            fill("vo2max", factor * values["hr_max"] / values["hr_rest"],
                 f"{factor:g} x HRmax / HRrest")
        if values["body_mass_kg"] is None:
            fill("body_mass_kg", table["body_mass_kg"][self.sex or "unknown"],
                 f"reference body mass, sex {self.sex or 'unknown'}")
        if values["w_prime_j"] is None:
            fill("w_prime_j", table["w_prime_j"]["value"], "population default W'")
        if values["zones"] is None:
            fractions = table["zones"]["fractions_of_hr_max"]
            zones = tuple(round(f * values["hr_max"], 1) for f in fractions)
            values["zones"] = zones
            used.append("zones")
            warnings.warn(MyokineticsDefaultWarning(
                f"athlete zones unknown: using {list(zones)} bpm "
                f"({fractions} x HRmax; source: {table['zones']['source']})"), stacklevel=2)
        values["defaulted"] = tuple(dict.fromkeys(used))
        try:
            return Athlete(**values)
        except AthleteError as error:
            field_name = error.where.removeprefix("athlete.")
            if field_name not in values["defaulted"]:
                raise
            raise AthleteError(error.where, f"population default {error.what}",
                               f"give {field_name} in the profile") from None

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view of every field."""
        out = dataclasses.asdict(self)
        out["zones"] = None if self.zones is None else list(self.zones)
        out["defaulted"] = list(self.defaulted)
        return out
