"""FIT bytes: the file header, definition and data messages, and the CRC.

Follows the FIT protocol (Garmin FIT SDK, "Flexible and Interoperable Data Transfer Protocol",
sections 3.2-3.3): a 14-byte header, then for each local message type one definition message
(record header ``0x40 | local``, reserved byte, architecture 0 = little endian, global message
number, field count, then ``(field number, size, base type)`` per field) followed by data
messages (record header ``local``, the field values in definition order), then a CRC-16 of
everything before it. Whole columns are packed at once through numpy structured arrays.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

__all__ = ["BASE_TYPES", "Field", "MessageBlock", "crc16", "fit_file"]

#: FIT base type name -> (base type byte, numpy dtype, invalid value).
BASE_TYPES: dict[str, tuple[int, str, int]] = {
    "enum": (0x00, "<u1", 0xFF),
    "sint8": (0x01, "<i1", 0x7F),
    "uint8": (0x02, "<u1", 0xFF),
    "sint16": (0x83, "<i2", 0x7FFF),
    "uint16": (0x84, "<u2", 0xFFFF),
    "sint32": (0x85, "<i4", 0x7FFFFFFF),
    "uint32": (0x86, "<u4", 0xFFFFFFFF),
    "uint32z": (0x8C, "<u4", 0),
}
PROTOCOL_VERSION = 0x20  # 2.0
PROFILE_VERSION = 21_218  # the FIT SDK profile the message layouts were taken from

_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)


def crc16(data: bytes, crc: int = 0) -> int:
    """The FIT CRC-16 (FIT protocol section 3.3.2) of ``data``."""
    for byte in data:
        for nibble in (byte & 0x0F, byte >> 4):
            tmp = _CRC_TABLE[crc & 0x0F]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[nibble]
    return crc


@dataclass(frozen=True)
class Field:
    """One field of a message: FIT field number, base type, count (>1 for arrays) and values.

    ``values`` are already in FIT units (scaled, offset, rounded) as floats; NaN becomes the
    base type's invalid value. For arrays ``values`` has shape ``(rows, count)``.
    """

    number: int
    base_type: str
    values: np.ndarray
    count: int = 1


@dataclass(frozen=True)
class MessageBlock:
    """Data messages of one global message number, all with the same fields."""

    global_number: int
    fields: tuple[Field, ...]

    def rows(self) -> int:
        return len(self.fields[0].values)

    def definition(self, local: int) -> bytes:
        """The definition message announcing these fields under local type ``local``."""
        out = struct.pack("<BBBHB", 0x40 | local, 0, 0, self.global_number, len(self.fields))
        for field in self.fields:
            code, dtype, _ = BASE_TYPES[field.base_type]
            out += struct.pack("<BBB", field.number, np.dtype(dtype).itemsize * field.count, code)
        return out

    def packed(self, local: int) -> np.ndarray:
        """Each data message as one row of bytes, shape ``(rows, message size)``."""
        layout: list[tuple[str, str] | tuple[str, str, tuple[int]]] = [("header", "<u1")]
        for field in self.fields:
            dtype = BASE_TYPES[field.base_type][1]
            layout.append((f"f{field.number}", dtype, (field.count,)) if field.count > 1
                          else (f"f{field.number}", dtype))
        table = np.zeros(self.rows(), dtype=np.dtype(layout))
        table["header"] = local
        for field in self.fields:
            _, dtype, invalid = BASE_TYPES[field.base_type]
            values = np.asarray(field.values, dtype="float64")
            info = np.iinfo(np.dtype(dtype))
            bad = ~np.isfinite(values) | (values < info.min) | (values > info.max)
            table[f"f{field.number}"] = np.where(bad, invalid, np.round(
                np.where(bad, 0, values))).astype(dtype)
        return table.view(np.uint8).reshape(self.rows(), -1)


def fit_file(body: bytes) -> bytes:
    """A complete FIT file: 14-byte header (with its CRC), ``body``, file CRC."""
    header = struct.pack("<BBHI4s", 14, PROTOCOL_VERSION, PROFILE_VERSION, len(body), b".FIT")
    header += struct.pack("<H", crc16(header))
    return header + body + struct.pack("<H", crc16(body, crc16(header)))
