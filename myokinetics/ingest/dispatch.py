"""``read(path)``: sniff the content (never the extension), pick the reader, stamp provenance.

The formats, their readers and sniffers are one table, :data:`myokinetics.ingest.formats.FORMATS`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import itertools
import logging
import zipfile
import zlib
from collections.abc import Iterator
from os import PathLike
from pathlib import Path

from myokinetics.activity import Activity
from myokinetics.errors import InputError, UnsupportedFormatError
from myokinetics.ingest.formats import RECORDING_MAGIC, Format, sniff
from myokinetics.ingest.gzip_stream import gunzip

__all__ = ["RECORDING_MAGIC", "read", "read_bytes", "read_many_bytes", "sniff_format"]

_LOG = logging.getLogger(__name__)

#: Largest decompressed size accepted from a .gz (bytes); a single activity is far smaller.
MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024


def sniff_format(data: bytes) -> str | None:
    """The name of the format of ``data`` judged from its first bytes, or None when unknown."""
    found = sniff(data)
    return None if found is None else found.name


def decompress_gzip(data: bytes, source: str) -> tuple[bytes, bool]:
    """Inflate gzip content (every member), refusing output over :data:`MAX_DECOMPRESSED_BYTES`.

    Returns the content and whether the gzip stream was cut short (what came before the cut
    is returned, not lost).
    """
    try:
        out, cut = gunzip(data, MAX_DECOMPRESSED_BYTES)
    except zlib.error as error:
        raise InputError(source, f"damaged gzip data ({error})",
                         "re-download or re-export the file") from None
    if len(out) > MAX_DECOMPRESSED_BYTES:
        raise InputError(source, "gzip content larger than 512 MiB",
                         "this is not a single activity; unpack it and import the parts")
    return out, cut


def _prepare(data: bytes, source: str) -> tuple[bytes, Format, bool]:
    """Gunzip, open a single-file zip, sniff; return the content, its format, whether cut."""
    if not data:
        raise InputError(source, "empty file (0 bytes)", "re-export the activity from the device")
    truncated = False
    if data[:2] == b"\x1f\x8b":
        data, truncated = decompress_gzip(data, source)
        if not data:
            raise InputError(source, "empty gzip content" if not truncated else
                             "gzip data cut off before any content", "re-download or re-export "
                             "the file")
    found = sniff(data)
    if found is None and data[:4] == b"PK\x03\x04":
        data = _single_member(data, source)
        found = sniff(data)
    if found is None and truncated:
        raise InputError(source, "gzip data cut off too early to tell what it holds",
                         "re-download or re-export the file")
    if found is None:
        raise UnsupportedFormatError(source, "not a FIT, TCX, GPX, CSV or other activity file "
                                     "myokinetics reads",
                                     "see docs/import.md for the formats myokinetics reads")
    return data, found, truncated


def _single_member(data: bytes, source: str) -> bytes:
    """The content of a zip holding exactly one file (``ride.fit.zip``), within the size cap."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise UnsupportedFormatError(
                    source, f"is a zip archive of {len(members)} files, not one activity",
                    "use `myokinetics import` for archives")
            if members[0].file_size > MAX_DECOMPRESSED_BYTES:
                raise InputError(source, "zip member larger than 512 MiB",
                                 "this is not a single activity; unpack it and import the parts")
            with archive.open(members[0]) as stream:
                return stream.read(MAX_DECOMPRESSED_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise InputError(source, f"damaged zip archive ({error})",
                         "re-download the export") from None


def _stamped(activity: Activity, source: str, data: bytes, truncated: bool) -> Activity:
    meta = dataclasses.replace(activity.meta, source=source,
                               sha256=activity.meta.sha256 or hashlib.sha256(data).hexdigest())
    if truncated:
        return dataclasses.replace(
            activity, meta=meta, status="partial",
            warnings=["gzip data cut off: read what came before the cut", *activity.warnings])
    return dataclasses.replace(activity, meta=meta)


def _activities(data: bytes, found: Format, source: str, truncated: bool,
                backend: str) -> Iterator[Activity]:
    """Every activity of the content, stamped with provenance.

    A lone activity is named ``source`` and keyed by the hash of the whole content; each of
    several is named ``<source>#<n>`` (n from 1) and keyed by the hash its reader gives its
    own part of the file, so a later export of the same history finds the ones already held.
    """
    _LOG.info("%s: %s, %d bytes%s", source, found.label, len(data),
              " (gzip cut off)" if truncated else "")
    if found.name == "fit":
        yield _stamped(found.reader(data, source, backend=backend), source, data, truncated)
        return
    if not found.many:
        yield _stamped(found.reader(data, source), source, data, truncated)
        return
    activities = found.reader(data, source)
    first = next(activities)  # a many-reader yields at least one activity or raises
    second = next(activities, None)
    if second is None:
        first = dataclasses.replace(first, meta=dataclasses.replace(first.meta, sha256=None))
        yield _stamped(first, source, data, truncated)
        return
    for number, activity in enumerate(itertools.chain((first, second), activities), start=1):
        yield _stamped(activity, f"{source}#{number}", data, truncated)


def read_bytes(data: bytes, source: str, backend: str = "fast") -> Activity:
    """Read one activity from bytes; ``source`` names it in errors and provenance.

    A file holding several activities (an Apple Health export with several workouts, a TCX
    with several runs) is refused with a one-line message pointing to ``myokinetics import``,
    which reads each of them (:func:`read_many_bytes`).
    """
    data, found, truncated = _prepare(data, source)
    activities = _activities(data, found, source, truncated, backend)
    activity = next(activities)
    if next(activities, None) is not None:
        raise InputError(source, f"{found.label} file holds several activities",
                         "use `myokinetics import` to get one activity each")
    return activity


def read_many_bytes(data: bytes, source: str, backend: str = "fast",
                    cut: bool = False) -> Iterator[Activity]:
    """Every activity in ``data``: one for most files, one per workout or run for the rest.

    ``cut``: ``data`` is what came before the end of a gzip stream cut short elsewhere (an
    archive member); the activities are then partial, as for a cut ``.gz`` read here.
    """
    data, found, truncated = _prepare(data, source)
    yield from _activities(data, found, source, truncated or cut, backend)


def read(path: str | PathLike[str], backend: str = "fast") -> Activity:
    """Read one activity file of any format in :data:`~myokinetics.ingest.formats.FORMATS`.

    Parameters
    ----------
    path : path-like
        The file, also gzipped or alone in a zip. Its content decides the format; the
        extension is ignored.
    backend : {"fast", "fitdecode", "fitparse"}
        FIT decoder. ``"fast"`` (default) decodes records column-wise and gives the same
        Activity as fitdecode, falling back to it (``meta.decoder_fallback`` says why) on what
        it does not handle; fitdecode streams and tolerates more damage; fitparse is held to
        the same tests.

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


