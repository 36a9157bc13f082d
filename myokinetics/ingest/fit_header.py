"""FIT file header checks and the repair of unfinished recordings.

A watch that dies mid-activity leaves a header whose data size is 0 or larger than the file
(fitdecode issue #27, ``sportslib__empty-activities.fit``). Every decoder then reads nothing. The
repair declares the bytes that are actually there, on a copy, so the decoder reads up to the
truncated end.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = ["FitHeaderInfo", "parse_header", "repair_data_size"]

CRC_BYTES = 2


@dataclass(frozen=True)
class FitHeaderInfo:
    """The first FIT header of a file."""

    header_size: int
    data_size: int
    file_size: int

    @property
    def declared_end(self) -> int:
        """Byte offset where the first FIT file's CRC ends, as the header declares it."""
        return self.header_size + self.data_size + CRC_BYTES

    @property
    def needs_repair(self) -> bool:
        """True when the header declares no data, or more data than the file holds."""
        return self.data_size == 0 or self.declared_end > self.file_size


def parse_header(data: bytes) -> FitHeaderInfo | None:
    """The first header of ``data``, or None when it is not a FIT header."""
    if len(data) < 12 or data[8:12] != b".FIT" or data[0] not in (12, 14):
        return None
    (data_size,) = struct.unpack_from("<I", data, 4)
    return FitHeaderInfo(header_size=data[0], data_size=data_size, file_size=len(data))


def repair_data_size(data: bytes, header: FitHeaderInfo) -> bytes:
    """A copy of ``data`` whose header declares every byte after it as data (CRC zeroed).

    A 0x0000 header CRC means "not computed" in the FIT protocol, so the patched header is valid.
    """
    patched = bytearray(data)
    struct.pack_into("<I", patched, 4, len(data) - header.header_size)
    if header.header_size == 14:
        patched[12:14] = b"\x00\x00"
    return bytes(patched)
