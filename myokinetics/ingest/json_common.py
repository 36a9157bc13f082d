"""Safe reading of JSON activity exports (Suunto app, Polar Flow) and their content sniffing.

Exports are parsed whole with :func:`json.loads`; a document that is not a JSON object, or
that nests too deeply for the decoder (a hostile ``[[[[...``), is refused with one line.
Values are then taken with :func:`mapping` and :func:`items`, which turn a member of the
wrong type into an empty one, so a mutated export never raises a ``TypeError``.
"""

from __future__ import annotations

import json
from typing import Any

from myokinetics.errors import InputError

__all__ = ["has_keys", "items", "load_object", "mapping", "number"]

_BOM = b"\xef\xbb\xbf"


def load_object(data: bytes, source: str, kind: str) -> dict[str, Any]:
    """The top-level JSON object of ``data``.

    Raises
    ------
    InputError
        Not UTF-8 JSON, nested too deeply, or not an object at the top.
    """
    try:
        document = json.loads(data.removeprefix(_BOM).decode("utf-8"))
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise InputError(source, f"{kind} file is not readable JSON ({type(error).__name__})",
                         "the file is damaged; export it again") from None
    if not isinstance(document, dict):
        raise InputError(source, f"{kind} file holds no JSON object",
                         "the file is damaged; export it again")
    return document


def mapping(value: object) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def items(value: object) -> list[Any]:
    """``value`` when it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def number(value: object) -> float:
    """A JSON number as a float; NaN for anything else (text, null, true, an int beyond float)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return float("nan")
    try:
        return float(value)
    except OverflowError:
        return float("nan")


def has_keys(head: bytes, *keys: bytes) -> bool:
    """Whether a document head is a JSON object that names every one of ``keys`` (quoted)."""
    text = head.removeprefix(_BOM).lstrip(b" \t\r\n")
    return text.startswith(b"{") and all(b'"' + key + b'"' in text for key in keys)
