"""A TCX file holding several recorded activities (3 runs over 4 days): one Activity each.

Several ``<Activity>`` directly under ``<Activities>`` are separate recordings (Garmin Training
Center and SportTracks export a history that way). The legs of a multisport recording sit
under ``<MultiSportSession>`` instead and stay one activity (:func:`read_tcx` makes them
sessions).
"""

from __future__ import annotations

import dataclasses
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from myokinetics.activity import Activity
from myokinetics.ingest.tcx import read_tcx
from myokinetics.ingest.xml_common import children, parse_xml

__all__ = ["read_tcx_activities"]


def read_tcx_activities(data: bytes, source: str) -> Iterator[Activity]:
    """Every recorded activity of a TCX document, in file order.

    Each is read by :func:`~myokinetics.ingest.tcx.read_tcx` from a document holding only it;
    ``meta.sha256`` hashes that document, so the same run found in another export matches.
    A file with one activity (or a multisport one) gives :func:`read_tcx` of the whole file.
    """
    parsed = parse_xml(data, source, "TCX")
    activities = [a for block in children(parsed.root, "Activities")
                  for a in children(block, "Activity")]
    if len(activities) <= 1:
        yield read_tcx(data, source)
        return
    for activity in activities:
        root = ET.Element(parsed.root.tag)
        ET.SubElement(root, next(children(parsed.root, "Activities")).tag).append(activity)
        part = ET.tostring(root, encoding="utf-8")
        read = read_tcx(part, source)
        meta = dataclasses.replace(read.meta, sha256=hashlib.sha256(part).hexdigest())
        yield dataclasses.replace(read, meta=meta, warnings=[*parsed.warnings, *read.warnings])
