"""Walking files, folders and (nested) zip archives for activity files, safely.

Nothing is ever extracted to disk: every archive member is read into memory, so no member
name can make us write anywhere. Member names that would point outside the archive
(absolute, with a drive, with a ``..`` part) and symbolic links are refused without being
read, and so are folder entries that lead outside the folder being walked. Limits
(:class:`ArchiveLimits`) bound what an archive can make us read: the member count, the size
of one member, the total over an archive and everything nested in it, the compression
ratio, and the nesting depth. A member over a limit is refused with an
:class:`ArchiveError` naming it; the walk goes on with the next member.

What counts as an activity file inside a folder or archive is judged from the name (the
suffixes of :data:`myokinetics.ingest.formats.FORMATS`, each optionally ``.gz``; ``.zip`` is
walked into unless its content is itself a format, like an Apple Health export) and, for names
other files share (``.csv``, ``.json``, ``.xml``, ...), from the content; other files (Garmin's
JSON summaries, Strava's media) are counted as skipped. A path given explicitly is always tried.
Strava bulk exports carry ``activities.csv``; its names and activity types are attached to
the entries they describe.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from myokinetics.errors import InputError
from myokinetics.ingest.formats import HEAD_BYTES, is_candidate_content, is_candidate_name, sniff
from myokinetics.ingest.gzip_stream import GZIP_MAGIC, gunzip

__all__ = ["ArchiveError", "ArchiveLimits", "Entry", "walk"]

MiB = 1024 * 1024
#: Separates an archive from a member in entry names: ``export.zip!activities/1.fit.gz``.
MEMBER_SEPARATOR = "!"


class ArchiveError(InputError):
    """An archive or member refused for safety (bomb, unsafe name, too deep) or damaged."""


@dataclass(frozen=True)
class ArchiveLimits:
    """What one top-level archive (with everything nested in it) may make us read.

    Attributes
    ----------
    max_entries : int
        Members per archive.
    max_member_bytes : int
        Uncompressed size of one member (bytes), also of a gzip's content.
    max_total_bytes : int
        Uncompressed bytes read from one top-level archive, nested ones included.
    max_ratio : float
        Uncompressed / compressed size allowed for members larger than ``ratio_floor_bytes``.
        Activity files compress 3-20×; zip bombs 1000× and more.
    ratio_floor_bytes : int
        Smaller members are not ratio-checked (tiny files compress oddly).
    max_depth : int
        Archives inside archives (1 = a zip, 2 = a zip in a zip, ...).
    """

    max_entries: int = 200_000
    max_member_bytes: int = 512 * MiB
    max_total_bytes: int = 64 * 1024 * MiB
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1 * MiB
    max_depth: int = 4


@dataclass
class Entry:
    """One candidate activity found by :func:`walk`, or one problem met on the way.

    ``data`` holds the content (decompressed when it was a ``.gz``; ``cut`` when that stream
    ended early, ``data`` then being what came before the cut); ``error`` is set instead when
    the entry was refused or unreadable. ``name`` and ``sport`` come from a
    Strava ``activities.csv`` when there is one.
    """

    source: str
    data: bytes | None = None
    error: InputError | None = None
    cut: bool = False
    name: str | None = None
    sport: str | None = None


@dataclass
class _Budget:
    limits: ArchiveLimits
    read_bytes: int = 0
    archive: str = ""

    def allowance(self, compressed: int) -> int:
        """Largest uncompressed size acceptable for a member of ``compressed`` bytes."""
        allowed = min(self.limits.max_member_bytes,
                      self.limits.max_total_bytes - self.read_bytes)
        by_ratio = max(self.limits.ratio_floor_bytes, int(compressed * self.limits.max_ratio))
        return max(0, min(allowed, by_ratio))


@dataclass
class WalkStats:
    """Counters of a walk: entries found and other files skipped."""

    found: int = 0
    skipped: int = 0
    skipped_examples: list[str] = field(default_factory=list)


def walk(paths: list[str | os.PathLike[str]], limits: ArchiveLimits | None = None,
         on_found: Callable[[int], None] | None = None,
         stats: WalkStats | None = None) -> Iterator[Entry]:
    """Yield every activity entry under ``paths``, lazily.

    Within a folder or an archive the largest files come first (so that parallel decoding
    does not end waiting for one big file); ties keep the name order.

    Parameters
    ----------
    paths : list of path-like
        Files, folders (walked recursively) and zip archives.
    limits : ArchiveLimits, optional
        Safety bounds for archives (defaults: :class:`ArchiveLimits`).
    on_found : callable, optional
        Called with the number of candidate entries each time more are discovered (a
        folder listed, an archive opened), before they are yielded, and with -1 when a
        candidate turns out to be an archive (its members are counted instead) or not an
        activity; the running sum always ends equal to the number of entries yielded.
    stats : WalkStats, optional
        Filled with the counts of found and skipped files.
    """
    limits = limits or ArchiveLimits()
    stats = stats if stats is not None else WalkStats()
    report = on_found or (lambda count: None)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk_folder(path, limits, report, stats)
        elif path.is_file():
            report(1)
            yield from _file_entry(path, str(path), limits, report, stats, explicit=True)
        else:
            report(1)
            yield Entry(str(path), error=InputError(path, "no such file or folder",
                                                    "check the path"))


def _walk_folder(root: Path, limits: ArchiveLimits, report: Callable[[int], None],
                 stats: WalkStats) -> Iterator[Entry]:
    real_root = root.resolve()
    files: list[Path] = []
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        files.extend(Path(folder) / name for name in sorted(filenames))
    candidates = []
    for path in files:
        if is_candidate_name(path.as_posix()):
            candidates.append(path)
        else:
            _skip(stats, str(path))
    candidates.sort(key=_size_descending)
    names = _strava_names_in_folder(real_root)
    report(len(candidates))
    for path in candidates:
        if not path.resolve().is_relative_to(real_root):
            yield Entry(str(path), error=ArchiveError(
                path, "link leads outside the folder being imported", "not followed"))
            continue
        relative = path.relative_to(root).as_posix()
        for entry in _file_entry(path, str(path), limits, report, stats, explicit=False):
            _attach_name(entry, names.get(relative.lower()))
            yield entry


def _file_entry(path: Path, source: str, limits: ArchiveLimits, report: Callable[[int], None],
                stats: WalkStats, explicit: bool) -> Iterator[Entry]:
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
            if head[:4] == b"PK\x03\x04" and sniff(head) is None:
                report(-1)  # counted as one entry; its members are counted instead
                handle.seek(0)
                budget = _Budget(limits, archive=source)
                yield from _walk_zip(handle, source, 1, budget, report, stats)
                return
            handle.seek(0)
            data = handle.read(limits.max_member_bytes + 1)
    except OSError as error:
        yield Entry(source, error=InputError(path, f"cannot be read ({error.strerror})",
                                             "check permissions"))
        return
    if len(data) > limits.max_member_bytes:
        yield Entry(source, error=ArchiveError(
            path, f"larger than {limits.max_member_bytes // MiB} MiB", "not an activity file"))
        return
    yield from _content_entry(source, data, _Budget(limits, archive=source), report, stats,
                              explicit=explicit)


def _content_entry(source: str, data: bytes, budget: _Budget, report: Callable[[int], None],
                   stats: WalkStats, explicit: bool, depth: int = 0) -> Iterator[Entry]:
    """An entry for ``data`` (gunzipped under the budget), or a walk into it if a zip."""
    cut = False
    if data[:2] == GZIP_MAGIC:
        try:
            data, cut = _gunzip(data, source, budget)
        except ArchiveError as error:
            yield Entry(source, error=error)
            return
    if data[:4] == b"PK\x03\x04" and sniff(data) is None:
        report(-1)
        yield from _walk_zip(io.BytesIO(data), source, depth + 1, budget, report, stats)
        return
    if not explicit and not is_candidate_content(source, data):
        report(-1)
        _skip(stats, source)
        return
    stats.found += 1
    yield Entry(source, data=data, cut=cut)


def _walk_zip(handle: io.IOBase, source: str, depth: int, budget: _Budget,
              report: Callable[[int], None], stats: WalkStats) -> Iterator[Entry]:
    limits = budget.limits
    if depth > limits.max_depth:
        report(1)  # the archive itself becomes the one (failed) entry
        yield Entry(source, error=ArchiveError(
            source, f"archive nested more than {limits.max_depth} deep",
            "refused as a possible zip bomb; unpack it by hand if you trust it"))
        return
    try:
        archive = zipfile.ZipFile(handle)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        report(1)
        yield Entry(source, error=ArchiveError(source, f"damaged zip archive ({error})",
                                               "re-download the export"))
        return
    if len(members) > limits.max_entries:
        report(1)
        yield Entry(source, error=ArchiveError(
            source, f"zip archive with {len(members)} entries (limit {limits.max_entries})",
            "refused as a possible zip bomb; split the archive"))
        return
    names = _strava_names_in_zip(archive, budget)
    chosen = [m for m in members if not m.is_dir() and is_candidate_name(m.filename)]
    chosen.sort(key=lambda m: -m.file_size)  # largest first: parallel decoding ends evenly
    for member in members:
        if not member.is_dir() and member not in chosen:
            _skip(stats, f"{source}{MEMBER_SEPARATOR}{member.filename}")
    report(len(chosen))
    with archive:
        for member in chosen:
            member_source = f"{source}{MEMBER_SEPARATOR}{member.filename}"
            try:
                data = _read_member(archive, member, member_source, budget)
            except ArchiveError as error:
                yield Entry(member_source, error=error)
                continue
            for entry in _content_entry(member_source, data, budget, report, stats,
                                        explicit=False, depth=depth):
                _attach_name(entry, names.get(member.filename.lower()))
                yield entry


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, source: str,
                 budget: _Budget) -> bytes:
    unsafe = _unsafe_name(member)
    if unsafe:
        raise ArchiveError(source, unsafe, "entry refused and not read")
    if member.flag_bits & 0x1:
        raise ArchiveError(source, "encrypted entry", "export the archive without a password")
    allowance = budget.allowance(member.compress_size)
    if member.file_size > allowance:
        raise ArchiveError(source, _bomb_text(member.file_size, member.compress_size, budget),
                           "refused as a zip bomb")
    try:
        # zipfile stops at the declared size (within the allowance) and a header that
        # understated it then fails the CRC check, caught here.
        with archive.open(member) as stream:
            data = stream.read()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
        raise ArchiveError(source, f"damaged archive entry ({error})",
                           "re-download the export") from None
    budget.read_bytes += len(data)
    return data


def _gunzip(data: bytes, source: str, budget: _Budget) -> tuple[bytes, bool]:
    """The content of a ``.gz`` within the budget, and whether its stream was cut short."""
    allowance = budget.allowance(len(data))
    try:
        out, cut = gunzip(data, allowance)
    except zlib.error as error:
        raise ArchiveError(source, f"damaged gzip data ({error})",
                           "re-download or re-export the file") from None
    if len(out) > allowance:
        raise ArchiveError(source, _bomb_text(len(out), len(data), budget),
                           "refused as a gzip bomb")
    budget.read_bytes += len(out)
    return out, cut


def _bomb_text(size: int, compressed: int, budget: _Budget) -> str:
    limits = budget.limits
    ratio = size / max(compressed, 1)
    if budget.read_bytes + size > limits.max_total_bytes:
        return (f"would take the archive past {limits.max_total_bytes // MiB} MiB "
                f"uncompressed (zip bomb?)")
    if size > limits.max_member_bytes:
        return f"inflates to over {limits.max_member_bytes // MiB} MiB (zip bomb?)"
    return f"inflates {ratio:.0f}× (over {limits.max_ratio:.0f}×; zip bomb?)"


def _unsafe_name(member: zipfile.ZipInfo) -> str | None:
    name = member.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return f"absolute path in archive entry name {member.filename!r}"
    if ".." in parts:
        return f"'..' in archive entry name {member.filename!r} (path traversal)"
    if stat.S_ISLNK(member.external_attr >> 16):
        return f"symbolic link entry {member.filename!r}"
    return None


def _size_descending(path: Path) -> int:
    """Sort key putting large files first, so parallel decoding ends evenly."""
    try:
        return -path.stat().st_size
    except OSError:
        return 0


def _skip(stats: WalkStats, source: str) -> None:
    stats.skipped += 1
    if len(stats.skipped_examples) < 5:
        stats.skipped_examples.append(source)


def _attach_name(entry: Entry, info: tuple[str, str] | None) -> None:
    if info is not None:
        entry.name, entry.sport = info


def _strava_names(text: str) -> dict[str, tuple[str, str]]:
    """``activities.csv`` of a Strava export -> {file path (lower case): (name, type)}."""
    names: dict[str, tuple[str, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        filename = (row.get("Filename") or "").strip()
        if filename:
            names[filename.lower()] = ((row.get("Activity Name") or "").strip(),
                                       (row.get("Activity Type") or "").strip())
    return names


def _strava_names_in_folder(root: Path) -> dict[str, tuple[str, str]]:
    index = root / "activities.csv"
    if not index.is_file():
        return {}
    try:
        return _strava_names(index.read_text(encoding="utf-8-sig", errors="replace"))
    except (OSError, csv.Error):
        return {}


def _strava_names_in_zip(archive: zipfile.ZipFile, budget: _Budget) -> dict[str, tuple[str, str]]:
    for member in archive.infolist():
        if member.filename.lower() == "activities.csv":
            try:
                data = _read_member(archive, member, member.filename, budget)
                return _strava_names(data.decode("utf-8-sig", errors="replace"))
            except (ArchiveError, csv.Error):
                return {}
    return {}
