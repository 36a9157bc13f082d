"""The curve quantities: names, units and the organ that sends or receives each signal."""

from __future__ import annotations

__all__ = ["AXIS_UNITS", "CURVES", "CURVE_COLUMNS", "LABELS", "MODEL_NOTE", "ORGANS",
           "band_columns"]

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

#: Curve name -> the name a person reads in legends and titles.
LABELS: dict[str, str] = {
    "il6": "IL-6", "il10": "IL-10", "il1ra": "IL-1ra", "il15": "IL-15", "irisin": "irisin",
    "bdnf": "BDNF", "lactate": "lactate", "glycogen": "muscle glycogen",
    "glucose_uptake": "muscle glucose uptake", "hepatic_glucose_output": "liver glucose output",
    "insulin_sensitivity": "insulin sensitivity", "ffa": "free fatty acids",
    "fat_oxidation": "fat oxidation", "cho_oxidation": "carbohydrate oxidation",
    "energy_expenditure": "energy expenditure", "epoc": "EPOC",
    "osteocalcin": "osteocalcin (uc)",
}

#: Curve name -> the short unit printed on an axis (the long form is :data:`CURVES`).
AXIS_UNITS: dict[str, str] = {
    "il6": "pg/mL", "il10": "pg/mL", "il1ra": "pg/mL", "il15": "pg/mL", "irisin": "ng/mL",
    "bdnf": "ng/mL", "lactate": "mmol/L", "glycogen": "fraction of rested",
    "glucose_uptake": "mg/kg/min", "hepatic_glucose_output": "mg/kg/min",
    "insulin_sensitivity": "ratio to rested", "ffa": "mmol/L", "fat_oxidation": "g/min",
    "cho_oxidation": "g/min", "energy_expenditure": "kcal/min", "epoc": "L O₂",
    "osteocalcin": "ratio to rested",
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
