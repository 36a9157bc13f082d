"""Inflating gzip content: every member, within a size limit, keeping what came before a cut."""

from __future__ import annotations

import zlib

__all__ = ["GZIP_MAGIC", "gunzip"]

GZIP_MAGIC = b"\x1f\x8b"
#: Compressed bytes fed to the inflater at a time, so a damaged stream keeps what came before.
_CHUNK = 1 << 20


def gunzip(data: bytes, limit: int) -> tuple[bytes, bool]:
    """Inflate a gzip stream of one or more members (as ``gzip -d`` does).

    Parameters
    ----------
    data : bytes
        The compressed stream.
    limit : int
        Largest content accepted (bytes). Inflating stops one byte past it, whatever the
        stream declares: a result longer than ``limit`` means "too large" to the caller.

    Returns
    -------
    (bytes, bool)
        The content, and whether the stream was cut short or damaged after some content
        (what came before the cut is returned, not lost).

    Raises
    ------
    zlib.error
        When the stream is damaged before any content.
    """
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=31)
        position = 0
        try:
            while position < len(rest) and not inflater.eof:
                chunk = rest[position:position + _CHUNK]
                position += len(chunk)
                out += inflater.decompress(chunk, limit + 1 - len(out))
                if len(out) > limit:
                    return bytes(out), False
        except zlib.error:
            if not out:
                raise
            return bytes(out), True
        if not inflater.eof:
            return bytes(out), True
        rest = inflater.unused_data + rest[position:]
        if not rest.startswith(GZIP_MAGIC):  # trailing bytes after the last member
            break
    return bytes(out), False
