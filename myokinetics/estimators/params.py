"""Parameter tables of the estimators: load the TOML data files and sample the band.

Each parameter lives in ``data/parameters.toml`` with its value, unit, distribution and source;
values fitted by :mod:`tools.calibrate` live in ``data/calibrated.toml`` and
replace the ``value`` of the same key. :func:`sample_parameters` draws ``n_draws`` parameter sets
(one per simulated individual) from those distributions.
"""

from __future__ import annotations

import tomllib
import zlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from myokinetics.errors import InputError

__all__ = ["CALIBRATED_FILE", "PARAMETER_FILE", "parameter_table", "sample_parameters"]

DATA_DIR = Path(__file__).with_name("data")
PARAMETER_FILE = DATA_DIR / "parameters.toml"
CALIBRATED_FILE = DATA_DIR / "calibrated.toml"

_REQUIRED = ("value", "unit", "distribution", "source", "certainty")


def _shared_value(key: str, entry: dict[str, Any]) -> dict[str, Any]:
    """An entry whose point value is a processing constant (``value_from = "section.name"`` in
    presets.toml) gets that value, so the two never drift apart."""
    if "value_from" not in entry:
        return entry
    from myokinetics.processing.params import presets

    section, name = entry["value_from"].split(".")
    return {**entry, "value": float(presets()[section][name])}


def _flatten(tree: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for section, entries in tree.items():
        for name, entry in entries.items():
            table[f"{section}.{name}"] = dict(entry)
    return table


@cache
def parameter_table() -> dict[str, dict[str, Any]]:
    """Every parameter as ``{"section.name": {value, unit, distribution, source, ...}}``.

    Values from ``calibrated.toml`` (written by the calibration) replace the defaults, and the
    entry gains ``calibrated = True``.
    """
    with PARAMETER_FILE.open("rb") as handle:
        table = _flatten(tomllib.load(handle))
    table = {key: _shared_value(key, entry) for key, entry in table.items()}
    for key, entry in table.items():
        missing = [field for field in _REQUIRED if field not in entry]
        if missing:
            raise InputError(PARAMETER_FILE, f"{key} lacks {', '.join(missing)}",
                             "every parameter needs a value, unit, distribution and source")
    if CALIBRATED_FILE.exists():
        with CALIBRATED_FILE.open("rb") as handle:
            fitted = _flatten(tomllib.load(handle))
        for key, entry in fitted.items():
            if key not in table:
                raise InputError(CALIBRATED_FILE, f"unknown parameter {key}",
                                 "rerun `python -m tools.calibrate --fit`")
            table[key] = {**table[key], "value": float(entry["value"]), "calibrated": True}
    return table


def _draw(entry: Mapping[str, Any], rng: np.random.Generator, n: int) -> np.ndarray:
    value = float(entry["value"])
    kind = entry["distribution"]
    if kind == "fixed":
        return np.full(n, value)
    if kind == "lognormal":
        sigma = np.sqrt(np.log1p(float(entry["cv"]) ** 2))
        return value * np.exp(sigma * rng.standard_normal(n))
    if kind == "normal":
        draws = value + float(entry["sd"]) * rng.standard_normal(n)
        return np.clip(draws, entry.get("min", -np.inf), entry.get("max", np.inf))
    if kind == "uniform":
        return rng.uniform(float(entry["low"]), float(entry["high"]), n)
    raise InputError(PARAMETER_FILE, f"unknown distribution {kind!r}",
                     "use fixed, lognormal, normal or uniform")


def sample_parameters(n_draws: int, seed: int = 0,
                      overrides: Mapping[str, float] | None = None) -> dict[str, np.ndarray]:
    """Parameter sets for ``n_draws`` simulated individuals.

    Parameters
    ----------
    n_draws : int
        Number of draws. With 1 the model runs at the point values (``value``) of every
        parameter; with more, every draw comes from the parameter's distribution.
    seed : int
        Seed of the random generator; the same seed gives the same draws.
    overrides : mapping, optional
        ``{"section.name": value}`` replacing point values (used by the calibration).

    Returns
    -------
    dict of str to ndarray of shape (n_draws,)
    """
    if n_draws < 1:
        raise InputError("n_draws", f"{n_draws} is below 1", "give at least 1 draw")
    table = parameter_table()
    if overrides:
        unknown = set(overrides) - set(table)
        if unknown:
            raise InputError("parameter overrides", f"unknown parameters {sorted(unknown)}",
                             "use the section.name keys of parameters.toml")
        table = {k: ({**v, "value": overrides[k]} if k in overrides else v)
                 for k, v in table.items()}
    if n_draws == 1:
        return {key: np.array([float(entry["value"])]) for key, entry in table.items()}
    # One stream per parameter, keyed by its name: adding a parameter moves no other draws.
    return {key: _draw(entry, np.random.default_rng([seed, zlib.crc32(key.encode())]), n_draws)
            for key, entry in table.items()}
