"""After a capture: a FIT copy, the analysis as ``myokinetics analyze`` would write it, and the
library import (not for a replay: its file is already somewhere, often in the library)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from myokinetics.errors import MyokineticsError

if TYPE_CHECKING:
    from myokinetics.activity import Activity

__all__ = ["REPLAY_NOT_IMPORTED", "analysis_folder", "finish_recording", "fit_path",
           "import_recording", "is_replay"]


#: The line that says a replay was not imported (``live --replay --import`` replaces it).
REPLAY_NOT_IMPORTED = ("library: not imported (a replay of a file; `live --replay FILE --import` "
                       "imports it)")


def analysis_folder(out: Path, recording: Path) -> Path:
    """Where ``myokinetics analyze RECORDING --out OUT`` puts its files: ``OUT/<name stem>``."""
    return out / (recording.name.split(".")[0] or "activity")


def fit_path(recording: Path) -> Path:
    """The FIT copy beside a recording: ``<name stem>.fit``, readable by any FIT tool."""
    return recording.with_name((recording.name.split(".")[0] or "activity") + ".fit")


def is_replay(recording: Path) -> bool:
    """Whether the recording is a replay of a file (its header says ``source: "replay:..."``)."""
    try:
        with recording.open("rb") as handle:
            header = json.loads(handle.readline())
    except (OSError, ValueError):
        return False
    return isinstance(header, dict) and str(header.get("source", "")).startswith("replay:")


def finish_recording(recording: Path, athlete: Any, out: Path,
                     library: Path | None = None) -> tuple[list[str], list[str]]:
    """Write a FIT copy and the full analysis of ``recording`` beside it and, unless it is a
    replay, add it to the library.

    Parameters
    ----------
    recording : Path
        A closed recording.
    athlete : Athlete
        The resolved profile the live numbers used.
    out : Path
        The capture folder; the analysis goes into :func:`analysis_folder`.
    library : Path, optional
        Library folder (default: ``MYOKINETICS_LIBRARY``, else the user data folder).

    Returns
    -------
    lines : list of str
        One line per step that worked: the FIT copy, where the analysis went, the library
        entry (or why there is none).
    failures : list of str
        One line per step that failed, and why. A failure here never touches the recording,
        which is already closed.
    """
    from myokinetics.analysis import analyze
    from myokinetics.ingest import read
    from myokinetics.report import write_analysis

    lines: list[str] = []
    failures: list[str] = []
    activity = read(recording)
    _write_fit(recording, activity, lines, failures)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the resolved athlete's defaults were announced
            analysis = analyze(activity, athlete)
        folder = analysis_folder(out, recording)
        write_analysis(analysis, folder)
        lines.append(f"analysis: {folder}")
    except MyokineticsError as error:
        failures.append(f"analysis of {recording} failed: {error.one_line()}")
    if is_replay(recording):
        lines.append(REPLAY_NOT_IMPORTED)
        return lines, failures
    import_recording(recording, library, activity, lines, failures)
    return lines, failures


def import_recording(recording: Path, library: Path | None, activity: Activity | None = None,
                     lines: list[str] | None = None,
                     failures: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Add ``recording`` (read unless ``activity`` is given) to the library; the outcome is
    appended to ``lines`` or ``failures`` (new lists when not given), which are returned."""
    from myokinetics.ingest import read
    from myokinetics.library import Library

    lines = [] if lines is None else lines
    failures = [] if failures is None else failures
    try:
        with Library(library) as store:
            activity_id, added = store.add(activity if activity is not None else read(recording))
        lines.append(f"library: {'added' if added else 'already there'} as {activity_id}")
    except MyokineticsError as error:
        failures.append(f"import of {recording} into the library failed: {error.one_line()}")
    return lines, failures


def _write_fit(recording: Path, activity: Activity, lines: list[str],
               failures: list[str]) -> None:
    """Write the FIT copy of the recording; say where, or why not."""
    from myokinetics.export.fit_writer import fit_bytes

    target = fit_path(recording)
    try:
        target.write_bytes(fit_bytes(activity))
    except ValueError as error:  # nothing recorded that FIT can hold
        failures.append(f"FIT copy of {recording} not written: {error}")
        return
    except OSError as error:
        failures.append(f"FIT copy {target} not written ({error.strerror or error}) — the "
                        "recording is kept; `myokinetics export` can write it later")
        return
    lines.append(f"FIT: {target}")
