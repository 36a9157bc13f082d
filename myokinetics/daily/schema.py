"""The JSON Schema of a day document, and a small validator for the subset it uses.

The schema (draft 2020-12 keywords: ``type``, ``properties``, ``required``,
``additionalProperties``, ``items``, ``const``) is the contract of ``YYYY-MM-DD.json``; the
validator checks documents against it without a third-party dependency.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DAY_SCHEMA", "validate"]

_NUMBER = {"type": "number"}
_NUMBER_OR_NULL = {"type": ["number", "null"]}
_TEXT = {"type": "string"}
_LOAD = {"type": "object", "required": ["duration_s", "trimp", "hrss", "energy_kcal", "epoc_l"],
         "additionalProperties": _NUMBER}

#: JSON Schema of one day (``schema`` = "myokinetics-daily/1").
DAY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "myokinetics daily summary",
    "type": "object",
    "required": ["schema", "date", "utc_offset_s", "window", "code_version", "note",
                 "activities", "skipped", "load", "zones", "hrv", "pmc", "estimates"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": "myokinetics-daily/1"},
        "date": _TEXT,
        "utc_offset_s": {"type": "integer"},
        "window": {"type": "object", "required": ["start", "end", "hours"],
                   "properties": {"start": _TEXT, "end": _TEXT, "hours": _NUMBER}},
        "code_version": _TEXT,
        "note": _TEXT,
        "activities": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "sha256", "sport", "start", "start_local", "offset_known",
                         "duration_s", "status", "totals"],
            "properties": {"id": _TEXT, "sha256": _TEXT, "sport": _TEXT, "start": _TEXT,
                           "start_local": _TEXT, "offset_known": {"type": "boolean"},
                           "duration_s": _NUMBER, "status": _TEXT,
                           "also_recorded_by": {"type": "array", "items": _TEXT},
                           "totals": {"type": "object"}}}},
        "skipped": {"type": "array", "items": _TEXT},
        "load": {"type": "object", "required": ["total", "by_sport", "variants"],
                 "properties": {"total": _LOAD,
                                "by_sport": {"type": "object", "additionalProperties": _LOAD},
                                "variants": {"type": "object",
                                             "additionalProperties": _TEXT}}},
        "zones": {"type": "object", "required": ["time_s", "no_hr_s", "bounds_bpm"],
                  "properties": {
                      "time_s": {"type": "object", "required": ["z1", "z2", "z3", "z4", "z5"],
                                 "additionalProperties": _NUMBER},
                      "no_hr_s": _NUMBER,
                      "bounds_bpm": {"type": ["array", "null"], "items": _NUMBER}}},
        "hrv": {"type": ["object", "null"],
                "properties": {"windows": {"type": "integer"}, "statistic": _TEXT}},
        "pmc": {"type": "object",
                "required": ["load_metric", "variant", "load", "ctl", "atl", "tsb"],
                "properties": {"load_metric": _TEXT, "variant": _TEXT},
                "additionalProperties": _NUMBER_OR_NULL},
        "estimates": {"type": ["object", "null"],
                      "additionalProperties": {"type": "object",
                                               "additionalProperties": {
                                                   "type": ["number", "string", "null"]}}},
    },
}

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "integer": (int,), "number": (int, float), "null": (type(None),),
}


def _is(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    return isinstance(value, _TYPES[name])


def validate(document: Any, schema: dict[str, Any] = DAY_SCHEMA, path: str = "$") -> list[str]:
    """Every way ``document`` breaks ``schema``, one line each (empty when it conforms)."""
    errors: list[str] = []
    if "const" in schema and document != schema["const"]:
        errors.append(f"{path}: expected {schema['const']!r}, got {document!r}")
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(document, k) for k in kinds):
            return [*errors, f"{path}: expected {'/'.join(kinds)}, got {type(document).__name__}"]
    if isinstance(document, dict):
        properties = schema.get("properties", {})
        errors += [f"{path}: missing {key!r}" for key in schema.get("required", [])
                   if key not in document]
        extra = schema.get("additionalProperties", True)
        for key, value in document.items():
            if key in properties:
                errors += validate(value, properties[key], f"{path}.{key}")
            elif extra is False:
                errors.append(f"{path}: unexpected {key!r}")
            elif isinstance(extra, dict):
                errors += validate(value, extra, f"{path}.{key}")
    if isinstance(document, list) and "items" in schema:
        for i, item in enumerate(document):
            errors += validate(item, schema["items"], f"{path}[{i}]")
    return errors
