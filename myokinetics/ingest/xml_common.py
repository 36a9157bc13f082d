"""Lenient, safe XML parsing shared by the TCX and GPX readers.

Parsing goes through :mod:`defusedxml` (no entity expansion, no external entities, no DTD
retrieval). Two defects common in real exports are repaired, each with a warning, and only
when a strict parse has failed:

* whitespace or a byte-order mark before the ``<?xml ...?>`` declaration (Garmin Connect TCX);
* namespace prefixes used without being declared (Strava GPX via mapstogpx writes
  ``<gpxdata:cadence>``): each unbound prefix is bound to ``urn:myokinetics:unbound:<prefix>``
  on the root element, so the element keeps its local name.

Readers then match elements by *local name* only, which makes ``gpxtpx:hr``, ``ns3:hr`` and an
un-namespaced ``<Watts>`` look the same.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence

import defusedxml
import defusedxml.ElementTree as SafeET
import numpy as np
import pandas as pd

from myokinetics.errors import InputError
from myokinetics.ingest.time_bounds import EARLIEST, parse_utc

__all__ = [
    "ParsedXml",
    "children",
    "element_text",
    "first",
    "local_name",
    "parse_start",
    "parse_times",
    "parse_xml",
    "text_float",
    "utc_offset_of",
]

_BOM = b"\xef\xbb\xbf"
_NAME = rb"[A-Za-z_][\w.-]*"
#: A prefix used on an element (``<p:x``, ``</p:x``) or on an attribute (`` p:x=``).
_PREFIX_USE = re.compile(rb"</?(" + _NAME + rb"):[A-Za-z_]|\s(" + _NAME + rb"):" + _NAME + rb"\s*=")
_PREFIX_DECL = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")
_ROOT_TAG = re.compile(rb"<(?![?!])[^\s/>]+")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})$")


class ParsedXml:
    """The root element of a parsed document and the repairs that were needed."""

    __slots__ = ("root", "warnings")

    def __init__(self, root: ET.Element, warnings: list[str]) -> None:
        self.root = root
        self.warnings = warnings


def local_name(tag: str) -> str:
    """``{namespace}name`` or ``name`` -> ``name``."""
    return tag.rsplit("}", 1)[-1]


def children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    """Direct children of ``element`` whose local name is ``name``, any namespace."""
    for child in element:
        if local_name(child.tag) == name:
            yield child


def first(element: ET.Element | None, *path: str) -> ET.Element | None:
    """Follow ``path`` (local names of direct children) from ``element``; None when absent."""
    for name in path:
        if element is None:
            return None
        element = next(children(element, name), None)
    return element


def element_text(element: ET.Element | None) -> str | None:
    """The element's stripped text; None when the element or any text is missing."""
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def text_float(element: ET.Element | None) -> float:
    """The element's text as a float; NaN when the element or a number is missing."""
    if element is None or element.text is None:
        return np.nan
    try:
        return float(element.text.strip())
    except ValueError:
        return np.nan


def parse_times(texts: Sequence[str | None], source: str) -> tuple[pd.DatetimeIndex, list[str]]:
    """ISO 8601 strings -> UTC index; unparseable or missing entries become NaT.

    Times without a zone designator are read as UTC and announced in the returned warnings.
    """
    warnings: list[str] = []
    values = pd.Series(list(texts), dtype="object")
    naive = values.dropna().map(lambda s: not (s.endswith(("Z", "z")) or _OFFSET.search(s)))
    if bool(naive.any()):
        warnings.append(f"{int(naive.sum())} time stamps carry no time zone; read as UTC")
    index, implausible = parse_utc(values, format="ISO8601")
    # DatetimeIndex.isna() is an ndarray (the stubs say Index)
    bad = int(np.asarray(index.isna()).sum() - values.isna().sum()) - implausible
    if bad:
        warnings.append(f"{bad} time stamps could not be parsed and were dropped")
    if implausible:
        warnings.append(f"{implausible} time stamps outside {EARLIEST:%Y}..now were dropped")
    return index, warnings


def parse_start(text: str | None, source: str, kind: str,
                warnings: list[str]) -> pd.Timestamp:
    """The UTC start an ISO 8601 text states (read as UTC, with a warning, without a zone).

    Raises
    ------
    InputError
        The text is missing, no time, or outside the plausible span.
    """
    times, time_warnings = parse_times([text], source)
    if pd.isna(times[0]):
        shown = (text or "")[:40]
        raise InputError(source, f"{kind} start time {shown!r} is missing or no plausible date",
                         "the file is damaged; export it again")
    warnings.extend(time_warnings)
    return pd.Timestamp(times[0])


def utc_offset_of(text: str | None) -> dt.timedelta | None:
    """The UTC offset an ISO 8601 string states (``+01:00`` -> 1 h); None for ``Z`` or none."""
    if not text:
        return None
    match = _OFFSET.search(text.strip())
    if match is None:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return sign * dt.timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))


#: Encodings that activity exporters write (and the XML parser reads from bytes).
_ENCODINGS = frozenset({"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1",
                        "windows-1252", "cp1252"})
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']{1,40})["']""")


def _check_encoding(data: bytes, source: str, kind: str) -> None:
    """Refuse a declared encoding that no exporter writes (before the parser meets it)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with its byte-order mark: the parser reads it
    match = _DECLARED.match(data[:256].removeprefix(_BOM))
    if match and match.group(1).decode("ascii", "replace").lower() not in _ENCODINGS:
        raise InputError(source, f"{kind} file declares the encoding "
                         f"{match.group(1).decode('ascii', 'replace')!r}",
                         "re-export it as UTF-8 (exporters write UTF-8, UTF-16 or Latin-1)")


def parse_xml(data: bytes, source: str, kind: str) -> ParsedXml:
    """Parse ``data`` safely, repairing the two known export defects when needed.

    Parameters
    ----------
    data : bytes
        The whole document.
    source : str
        Names the file in errors.
    kind : str
        "TCX" or "GPX", for messages.

    Raises
    ------
    InputError
        When the document is not well-formed even after the repairs, or uses forbidden
        constructs (entities, external references).
    """
    warnings: list[str] = []
    _check_encoding(data, source, kind)
    try:
        return ParsedXml(SafeET.fromstring(data), warnings)
    except defusedxml.DefusedXmlException as error:
        raise InputError(source, f"{kind} file uses forbidden XML ({type(error).__name__})",
                         "entities and DTDs are refused for safety; re-export the file") from None
    except ET.ParseError:
        pass
    repaired = data.removeprefix(_BOM)
    stripped = repaired.lstrip(b" \t\r\n")
    if len(stripped) != len(repaired):
        repaired = stripped
        warnings.append("whitespace before the XML declaration was removed")
    unbound = _unbound_prefixes(repaired)
    if unbound:
        repaired = _bind_prefixes(repaired, unbound)
        warnings.append("undeclared namespace prefixes " + ", ".join(sorted(unbound))
                        + " were bound to placeholders")
    try:
        return ParsedXml(SafeET.fromstring(repaired), warnings)
    except defusedxml.DefusedXmlException as error:
        raise InputError(source, f"{kind} file uses forbidden XML ({type(error).__name__})",
                         "entities and DTDs are refused for safety; re-export the file") from None
    except ET.ParseError as error:
        raise InputError(source, f"{kind} file is not well-formed XML ({error})",
                         "the file is damaged; re-export it") from None


def _unbound_prefixes(data: bytes) -> set[str]:
    used = {m.group(1) or m.group(2) for m in _PREFIX_USE.finditer(data)}
    declared = set(_PREFIX_DECL.findall(data)) | {b"xml", b"xmlns"}
    return {p.decode("ascii") for p in used - declared}


def _bind_prefixes(data: bytes, prefixes: set[str]) -> bytes:
    match = _ROOT_TAG.search(data)
    if match is None:
        return data
    declarations = b"".join(b' xmlns:%s="urn:myokinetics:unbound:%s"' % (p.encode(), p.encode())
                            for p in sorted(prefixes))
    return data[: match.end()] + declarations + data[match.end():]
