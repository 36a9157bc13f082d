"""The FIT CRC (CRC-16/ARC) of a byte range, vectorised with numpy.

The CRC is linear over GF(2), so the bytes are cut into equal blocks whose CRCs are computed
side by side (one numpy step per byte position), then folded: ``crc(A + B) = shift(crc(A),
len(B)) ^ crc(B)``, where ``shift`` (running a register over zero bytes) is a 16x16 bit matrix
kept as two 256-entry tables.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["fit_crc"]

#: Bytes per block; each block costs one numpy step per byte over all blocks at once.
BLOCK = 1024
#: Byte positions transposed at once (a SLICE/BLOCK share of the data is copied).
SLICE = 64


def _byte_table() -> np.ndarray:
    table = np.zeros(256, dtype=np.uint16)
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table[byte] = crc
    return table


_TABLE = _byte_table()
_TABLE_LIST = [int(v) for v in _TABLE]


def _crc_python(data: memoryview | bytes, crc: int) -> int:
    table = _TABLE_LIST
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc


@lru_cache(maxsize=1)
def _shift_tables() -> tuple[list[int], list[int]]:
    """``shift(c) = low[c & 0xFF] ^ high[c >> 8]`` runs register ``c`` over BLOCK zero bytes."""
    images = []
    for bit in range(16):
        images.append(_crc_python(bytes(BLOCK), 1 << bit))
    def table(first_bit: int) -> list[int]:
        out = []
        for value in range(256):
            image = 0
            for bit in range(8):
                if value >> bit & 1:
                    image ^= images[first_bit + bit]
            out.append(image)
        return out
    return table(0), table(8)


def fit_crc(data: bytes, start: int = 0, end: int | None = None, crc: int = 0) -> int:
    """CRC of ``data[start:end]`` continuing from ``crc`` (0 starts a FIT CRC)."""
    end = len(data) if end is None else end
    blocks = (end - start) // BLOCK
    if blocks < 4:
        return _crc_python(memoryview(data)[start:end], crc)
    grid = np.frombuffer(data, dtype=np.uint8, count=blocks * BLOCK, offset=start)
    grid = grid.reshape(blocks, BLOCK)
    registers = np.zeros(blocks, dtype=np.uint16)
    # transposed a slice at a time (one row per byte position): a whole copy would double
    # the file in memory
    for first in range(0, BLOCK, SLICE):
        for column in grid[:, first:first + SLICE].T.copy():
            registers = _TABLE[(registers ^ column) & 0xFF] ^ (registers >> 8)
    low, high = _shift_tables()
    for block_crc in registers.tolist():
        crc = low[crc & 0xFF] ^ high[crc >> 8] ^ block_crc
    return _crc_python(memoryview(data)[start + blocks * BLOCK:end], crc)
