"""The one table of file formats: name, reader, content sniffer and file-name suffixes.

``dispatch`` sniffs content with it (the first format in table order whose sniffer accepts the
first bytes wins) and ``archive`` decides from it which names inside folders and archives are
worth trying. Sniffers look at the first :data:`HEAD_BYTES` only.

A reader is ``(data: bytes, source: str) -> Activity``; for a format that can hold several
activities in one file (an Apple Health export, a TCX with several ``<Activity>``, marked
``many``) it is ``(data, source) -> Iterator[Activity]`` and yields at least one or raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from myokinetics.ingest.apple_health import read_apple_workouts
from myokinetics.ingest.csv_layouts import layout_of, read_csv_layout
from myokinetics.ingest.csvfile import looks_like_activity_csv, read_csv
from myokinetics.ingest.fit import read_fit
from myokinetics.ingest.gpx import read_gpx
from myokinetics.ingest.polar_flow import looks_like_polar_flow, read_polar_flow
from myokinetics.ingest.polar_hrm import read_hrm
from myokinetics.ingest.pwx import read_pwx
from myokinetics.ingest.recording import read_recording
from myokinetics.ingest.rr_text import looks_like_rr_text, read_rr_text
from myokinetics.ingest.sml import read_sml
from myokinetics.ingest.suunto_json import looks_like_suunto_json, read_suunto_json
from myokinetics.ingest.tcx_split import read_tcx_activities

__all__ = ["FORMATS", "HEAD_BYTES", "RECORDING_MAGIC", "Format", "by_name", "is_candidate_content",
           "is_candidate_name", "sniff", "xml_root"]

#: Bytes a sniffer is shown (enough for an XML prolog with comments and a CSV header).
HEAD_BYTES = 4096
RECORDING_MAGIC = b'{"format": "myokinetics-recording"'
_BOM = b"\xef\xbb\xbf"
_XML_ROOT = re.compile(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
_XML_SKIP = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)
#: The DOCTYPE names the root; Apple Health's internal DTD outgrows the head, so stop there.
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+(?:[\w.-]+:)?([\w.-]+)")


@dataclass(frozen=True)
class Format:
    """One file format.

    Attributes
    ----------
    name : str
        Short name, stored as ``meta.format``.
    label : str
        What people call it, for messages and docs.
    reader : callable
        Reads the activity (every activity when ``many``).
    sniff : callable
        ``(head: bytes) -> bool`` on the first :data:`HEAD_BYTES` of the (decompressed) content.
    suffixes : tuple of str
        Lower-case name endings tried inside folders and archives (each also with ``.gz``).
    many : bool
        The file may hold several activities.
    """

    name: str
    label: str
    reader: Callable[..., Any]
    sniff: Callable[[bytes], bool]
    suffixes: tuple[str, ...]
    many: bool = False


def xml_root(head: bytes) -> str | None:
    """Local name of the root element of an XML document head, or None when not XML."""
    text = head.removeprefix(_BOM)
    position = 0
    while match := _XML_SKIP.match(text, position):
        if match.end() == position:
            break
        position = match.end()
    text = text[position:].lstrip()
    doctype = _DOCTYPE.match(text)
    if doctype:
        return doctype.group(1).decode("ascii", "replace")
    if not text.startswith(b"<"):
        return None
    root = _XML_ROOT.match(text)
    return root.group(1).decode("ascii", "replace") if root else None


def _text_head(head: bytes) -> bytes:
    return head.removeprefix(_BOM).lstrip(b" \t\r\n")


def _is_fit(head: bytes) -> bool:
    return len(head) >= 12 and head[8:12] == b".FIT"


def _is_xml(*roots: str) -> Callable[[bytes], bool]:
    wanted = {r.lower() for r in roots}
    return lambda head: (xml_root(head) or "").lower() in wanted


def _is_csv(head: bytes) -> bool:
    first_line = _text_head(head).split(b"\n", 1)[0].lower()
    return b"," in first_line and b"time" in first_line


def _is_apple_zip(head: bytes) -> bool:
    # the first local file header's name (offset 30) starts with Apple's export folder
    return head.startswith(b"PK\x03\x04") and head[30:30 + 19] == b"apple_health_export"


#: Every format myokinetics reads, in sniffing order (most specific first).
FORMATS: tuple[Format, ...] = (
    Format("fit", "Garmin FIT", read_fit, _is_fit, (".fit",)),
    Format("recording", "myokinetics live recording", read_recording,
           lambda head: head.startswith(RECORDING_MAGIC), (".jsonl",)),
    Format("tcx", "Garmin TCX", read_tcx_activities, _is_xml("TrainingCenterDatabase"),
           (".tcx",), many=True),
    Format("gpx", "GPX", read_gpx, _is_xml("gpx"), (".gpx",)),
    Format("sml", "Suunto SML", read_sml, _is_xml("sml"), (".sml",)),
    Format("pwx", "TrainingPeaks PWX", read_pwx, _is_xml("pwx"), (".pwx",)),
    Format("suunto_json", "Suunto app JSON", read_suunto_json, looks_like_suunto_json,
           (".json",)),
    Format("polar_flow", "Polar Flow JSON", read_polar_flow, looks_like_polar_flow, (".json",)),
    Format("apple_health", "Apple Health export", read_apple_workouts,
           lambda head: _is_apple_zip(head) or _is_xml("HealthData")(head), (".xml",),
           many=True),
    Format("hrm", "Polar HRM", read_hrm,
           lambda head: _text_head(head).lower().startswith(b"[params]"), (".hrm",)),
    Format("csv_layout", "Wahoo / Polar Sensor Logger CSV", read_csv_layout,
           lambda head: bool(layout_of(head)), (".csv", ".txt")),
    Format("csv", "myokinetics CSV", read_csv, _is_csv, (".csv",)),
    Format("rr_text", "RR interval text (Elite HRV, Kubios, HRV4Training)", read_rr_text,
           lambda head: bool(looks_like_rr_text(head)), (".txt", ".rr", ".csv")),
)

_BY_NAME = {f.name: f for f in FORMATS}


def sniff(data: bytes) -> Format | None:
    """The format of ``data`` judged from its first bytes, or None when unknown."""
    head = data[:HEAD_BYTES]
    return next((f for f in FORMATS if f.sniff(head)), None)


def by_name(name: str) -> Format:
    """The table row of format ``name``."""
    return _BY_NAME[name]


#: Name endings other files share (Garmin's JSON summaries, Strava's ``activities.csv``, notes):
#: inside folders and archives such a file counts only when its content is a known format.
SHARED_SUFFIXES = (".csv", ".txt", ".json", ".xml", ".jsonl")
#: Parts of an Apple Health export, read with its ``export.xml``, never on their own.
_COMPANION_PARTS = ("workout-routes/",)


def is_candidate_name(name: str) -> bool:
    """Whether a file of this name, met in a folder or archive, may hold activities."""
    lowered = name.lower().replace("\\", "/").removesuffix(".gz")
    base = lowered.rsplit("/", 1)[-1]
    if base.startswith(".") or base.startswith("__macosx"):
        return False
    if any(part in lowered for part in _COMPANION_PARTS):
        return False
    return lowered.endswith((*_SUFFIXES, ".zip"))


def is_candidate_content(name: str, data: bytes) -> bool:
    """Whether a file met in a folder or archive is an activity file, judged from its content.

    Only files whose name ending other files share are judged; a damaged ``.fit`` must still
    be reported as failed, not skipped.
    """
    if not name.lower().removesuffix(".gz").endswith(SHARED_SUFFIXES):
        return True
    found = sniff(data)
    if found is None:
        return False
    if found.name == "csv":  # a time column alone is not enough: Strava's activities.csv has one
        return bool(looks_like_activity_csv(data[:HEAD_BYTES]))
    return True


_SUFFIXES = tuple(dict.fromkeys(s for f in FORMATS for s in f.suffixes))
