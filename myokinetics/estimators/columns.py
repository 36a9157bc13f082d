"""The curve quantities: names, units and the organ that sends or receives each signal."""

from __future__ import annotations

__all__ = ["CURVES", "CURVE_COLUMNS", "MODEL_NOTE", "ORGANS", "band_columns"]

#: Curve name -> unit, exactly as in DESIGN.md (the column order of every curves frame).
CURVES: dict[str, str] = {
    "il6": "pg/mL plasma",
    "il10": "pg/mL plasma",
    "il1ra": "pg/mL plasma",
    "il15": "pg/mL plasma",
    "irisin": "ng/mL plasma",
    "bdnf": "ng/mL serum",
    "lactate": "mmol/L blood",
    "glycogen": "fraction of rested muscle glycogen",
    "glucose_uptake": "mg/kg/min (muscle)",
    "hepatic_glucose_output": "mg/kg/min",
    "insulin_sensitivity": "ratio to the athlete's rested baseline",
    "ffa": "mmol/L plasma free fatty acids",
    "fat_oxidation": "g/min",
    "cho_oxidation": "g/min",
    "energy_expenditure": "kcal/min",
    "epoc": "L O2, cumulative since the bout began",
    "osteocalcin": "undercarboxylated osteocalcin, ratio to the rested baseline",
}

#: Organ grouping used by summaries and plots (DESIGN.md, "Curves").
ORGANS: dict[str, tuple[str, ...]] = {
    "working muscle": ("glycogen", "glucose_uptake", "lactate", "il6"),
    "adipose tissue": ("ffa", "fat_oxidation"),
    "liver": ("hepatic_glucose_output",),
    "bone": ("osteocalcin", "irisin"),
    "brain": ("bdnf",),
    "immune balance": ("il6", "il10", "il1ra", "il15"),
    "whole body": ("insulin_sensitivity", "energy_expenditure", "epoc", "cho_oxidation"),
}

MODEL_NOTE = ("model estimates for a population like the athlete, not measurements: central "
              "column = median of the parameter draws, _lo/_hi = 5th/95th percentiles "
              "(see docs/science.md)")


def band_columns() -> list[str]:
    """All column names of a curves frame: ``name, name_lo, name_hi`` per quantity."""
    return [f"{name}{suffix}" for name in CURVES for suffix in ("", "_lo", "_hi")]


CURVE_COLUMNS: tuple[str, ...] = tuple(band_columns())
