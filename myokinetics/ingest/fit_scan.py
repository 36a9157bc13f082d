"""Walk the record headers of FIT bytes in one tight loop: where every message is.

The scan reads no field values. It finds each chained FIT file (header, data, CRC), each
definition message and, for every data message, the byte offset of its record header and the
definition it uses. Anything fitdecode would stop on (an undefined local message, a record
running past the data, trailing bytes, an odd header) raises :class:`Unsupported`: the caller
then decodes the file with fitdecode instead.
"""

from __future__ import annotations

import struct
from array import array
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = ["Definition", "FitFileSpan", "Scan", "Unsupported", "scan"]


class Unsupported(Exception):
    """A structure the fast decoder leaves to fitdecode; the message says which."""


@dataclass(frozen=True)
class Definition:
    """One definition message."""

    sequence: int  # position among all messages of the file chain
    file_number: int  # 1 for the first chained FIT file
    local: int
    global_number: int
    start: int  # byte offset of its record header
    end: int  # byte offset after it
    size: int  # payload bytes of the data messages it defines
    endian: str  # "<" or ">"
    fields: tuple[tuple[int, int, int], ...]  # (field number, size, base type number)
    developer: tuple[tuple[int, int, int], ...]  # (field number, size, developer data index)


@dataclass(frozen=True)
class FitFileSpan:
    """One FIT file of a chain: byte offsets and stored CRCs."""

    start: int
    header_size: int
    body_end: int  # the data CRC is at body_end..body_end+2
    header_crc: int  # 0 when absent or "not computed"


@dataclass
class Scan:
    """Where everything is, in stream order."""

    files: list[FitFileSpan]
    definitions: list[Definition]
    header_offsets: np.ndarray  # int32, record header of each data message
    definition_ids: np.ndarray  # int32, index into definitions of each data message

    def sequences(self, messages: np.ndarray) -> np.ndarray:
        """Position of these data messages among all messages (definitions included)."""
        starts = np.array([d.start for d in self.definitions], dtype=np.int64)
        return messages + np.searchsorted(starts, self.header_offsets[messages])


def _definition(data: bytes, p: int, file_number: int, sequence: int) -> Definition:
    """The definition message whose record header is at ``p``."""
    header = data[p]
    if p + 6 > len(data):
        raise Unsupported("definition message cut by the end of the file")
    endian = ">" if data[p + 2] else "<"
    (global_number,) = struct.unpack_from(endian + "H", data, p + 3)
    count = data[p + 5]
    fields_end = p + 6 + 3 * count
    fields = _triples(data, p + 6, fields_end)
    developer: tuple[tuple[int, int, int], ...] = ()
    end = fields_end
    if header & 0x20:
        if end >= len(data):
            raise Unsupported("developer definition cut by the end of the file")
        end += 1 + 3 * data[end]
        developer = _triples(data, fields_end + 1, end)
    size = sum(f[1] for f in fields) + sum(f[1] for f in developer)
    return Definition(sequence, file_number, header & 0x0F, global_number, p, end, size,
                      endian, fields, developer)


def _triples(data: bytes, start: int, end: int) -> tuple[tuple[int, int, int], ...]:
    if end > len(data):
        raise Unsupported("definition message cut by the end of the file")
    return _parsed_triples(data[start:end])


@lru_cache(maxsize=256)
def _parsed_triples(raw: bytes) -> tuple[tuple[int, int, int], ...]:
    # shared between definitions: some devices repeat one layout thousands of times
    return tuple(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))


def _file_header(data: bytes, start: int) -> FitFileSpan:
    if len(data) - start < 12 or data[start + 8 : start + 12] != b".FIT":
        raise Unsupported(f"bytes after FIT file ending at byte {start} are not a FIT file")
    header_size = data[start]
    if header_size not in (12, 14):
        raise Unsupported(f"FIT header of {header_size} bytes")
    (body_size,) = struct.unpack_from("<I", data, start + 4)
    body_end = start + header_size + body_size
    if body_end + 2 > len(data):
        raise Unsupported("FIT data or its CRC cut by the end of the file")
    header_crc = struct.unpack_from("<H", data, start + 12)[0] if header_size == 14 else 0
    return FitFileSpan(start, header_size, body_end, header_crc)


def scan(data: bytes) -> Scan:
    """Locate every file, definition and data message of (possibly chained) FIT bytes."""
    files: list[FitFileSpan] = []
    definitions: list[Definition] = []
    # 4-byte machine integers: a 100,000-record file needs no int objects (FIT files are
    # far below 2 GiB)
    offsets = array("i")
    ids = array("i")
    sequence = 0
    start = 0
    while start < len(data):
        span = _file_header(data, start)
        files.append(span)
        local_ids: list[int] = [-1] * 16
        local_sizes: list[int] = [-1] * 16
        p, end = start + span.header_size, span.body_end
        while p < end:
            header = data[p]
            if header & 0x80:
                local = (header >> 5) & 0x03
            elif header & 0x40:
                definition = _definition(data, p, len(files), sequence)
                local_ids[definition.local] = len(definitions)
                local_sizes[definition.local] = definition.size
                definitions.append(definition)
                sequence += 1
                p = definition.end
                continue
            else:
                local = header & 0x0F
            size = local_sizes[local]
            if size < 0:
                raise Unsupported(f"local message {local} used before its definition")
            offsets.append(p)
            ids.append(local_ids[local])
            sequence += 1
            p += 1 + size
        if p != end:
            raise Unsupported("a message runs past the declared end of the FIT data")
        start = end + 2
    return Scan(files, definitions, np.frombuffer(offsets, dtype=np.int32),
                np.frombuffer(ids, dtype=np.int32))
