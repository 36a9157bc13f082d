"""``read(path)``: sniff the content (never the extension), pick the reader, stamp provenance."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import zlib
from collections.abc import Callable
from os import PathLike
from pathlib import Path

from myokinetics.activity import Activity
from myokinetics.errors import InputError, UnsupportedFormatError

__all__ = ["FORMAT_READERS", "read", "sniff_format"]

#: Largest decompressed size accepted from a .gz (bytes); a single activity is far smaller.
MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024

#: Format name -> "module:function"; each function takes ``(data: bytes, source: str)`` and
#: returns an Activity whose ``meta.format`` and ``meta.decoder`` are set. The FIT reader
#: also takes ``backend``.
FORMAT_READERS: dict[str, str] = {
    "fit": "myokinetics.ingest.fit:read_fit",
    "tcx": "myokinetics.ingest.tcx:read_tcx",
    "gpx": "myokinetics.ingest.gpx:read_gpx",
    "csv": "myokinetics.ingest.csvfile:read_csv",
    "recording": "myokinetics.ingest.recording:read_recording",
}

RECORDING_MAGIC = b'{"format": "myokinetics-recording"'


def sniff_format(data: bytes) -> str | None:
    """The format of ``data`` judged from its first bytes, or None when unknown."""
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    if data.startswith(RECORDING_MAGIC):
        return "recording"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        lowered = head.lower()
        if b"trainingcenterdatabase" in lowered:
            return "tcx"
        if b"<gpx" in lowered:
            return "gpx"
        return None
    first_line = head.split(b"\n", 1)[0].lower()
    if b"," in first_line and (b"time" in first_line):
        return "csv"
    return None


def decompress_gzip(data: bytes, source: str) -> tuple[bytes, bool]:
    """Inflate a gzip member, refusing output over :data:`MAX_DECOMPRESSED_BYTES`.

    Returns the content and whether the gzip stream was cut short (what came before the cut
    is returned, not lost).
    """
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, MAX_DECOMPRESSED_BYTES + 1)
    except zlib.error as error:
        raise InputError(source, f"damaged gzip data ({error})",
                         "re-download or re-export the file") from None
    if len(out) > MAX_DECOMPRESSED_BYTES:
        raise InputError(source, "gzip content larger than 512 MiB",
                         "this is not a single activity; unpack it and import the parts")
    return out, not inflater.eof


def _reader(format_name: str) -> Callable[..., Activity]:
    module_name, function_name = FORMAT_READERS[format_name].split(":")
    return getattr(importlib.import_module(module_name), function_name)


def read_bytes(data: bytes, source: str, backend: str = "fitdecode") -> Activity:
    """Read one activity from bytes; ``source`` names it in errors and provenance."""
    if not data:
        raise InputError(source, "empty file (0 bytes)", "re-export the activity from the device")
    truncated = False
    if data[:2] == b"\x1f\x8b":
        data, truncated = decompress_gzip(data, source)
        if not data:
            raise InputError(source, "empty gzip content" if not truncated else
                             "gzip data cut off before any content", "re-download or re-export "
                             "the file")
    format_name = sniff_format(data)
    if format_name is None and truncated:
        raise InputError(source, "gzip data cut off too early to tell what it holds",
                         "re-download or re-export the file")
    if format_name is None:
        if data[:4] == b"PK\x03\x04":
            raise UnsupportedFormatError(source, "is a zip archive, not one activity",
                                         "use `myokinetics import` for archives")
        raise UnsupportedFormatError(source, "not a FIT, TCX, GPX, CSV or recording file",
                                     "check that this is an activity export")
    reader = _reader(format_name)
    activity = reader(data, source, backend=backend) if format_name == "fit" else reader(
        data, source)
    meta = dataclasses.replace(activity.meta, source=source,
                               sha256=hashlib.sha256(data).hexdigest())
    if truncated:
        return dataclasses.replace(
            activity, meta=meta, status="partial",
            warnings=["gzip data cut off: read what came before the cut", *activity.warnings])
    return dataclasses.replace(activity, meta=meta)


def read(path: str | PathLike[str], backend: str = "fitdecode") -> Activity:
    """Read one activity file (FIT, .fit.gz, TCX, GPX, CSV or a live recording).

    Parameters
    ----------
    path : path-like
        The file. Its content decides the format; the extension is ignored.
    backend : {"fitdecode", "fitparse"}
        FIT decoder. fitdecode (default) streams and tolerates more damage; fitparse is held
        to the same tests.

    Returns
    -------
    Activity
        ``meta.sha256`` hashes the decompressed content, so a .fit and its .fit.gz agree.

    Raises
    ------
    InputError
        Missing, empty or unreadable file (one-line message naming the file).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file", "check the path") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file",
                         "use `myokinetics import` for folders") from None
    except OSError as error:
        raise InputError(path, f"cannot be opened ({error.strerror})",
                         "check permissions") from None
    return read_bytes(data, str(path), backend=backend)


