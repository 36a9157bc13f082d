"""After a capture: analyse the recording as ``myokinetics analyze`` would, then import it."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from myokinetics.errors import MyokineticsError

__all__ = ["analysis_folder", "finish_recording"]


def analysis_folder(out: Path, recording: Path) -> Path:
    """Where ``myokinetics analyze RECORDING --out OUT`` puts its files: ``OUT/<name stem>``."""
    return out / (recording.name.split(".")[0] or "activity")


def finish_recording(recording: Path, athlete: Any, out: Path,
                     library: Path | None = None) -> tuple[list[str], list[str]]:
    """Write the full analysis of ``recording`` beside it and add it to the library.

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
        One line per step that worked: where the analysis went, the library entry.
    failures : list of str
        One line per step that failed, and why. A failure here never touches the recording,
        which is already closed.
    """
    from myokinetics.analysis import analyze
    from myokinetics.ingest import read
    from myokinetics.library import Library
    from myokinetics.report import write_analysis

    lines: list[str] = []
    failures: list[str] = []
    activity = read(recording)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the resolved athlete's defaults were announced
            analysis = analyze(activity, athlete)
        folder = analysis_folder(out, recording)
        write_analysis(analysis, folder)
        lines.append(f"analysis: {folder}")
    except MyokineticsError as error:
        failures.append(f"analysis of {recording} failed: {error.one_line()}")
    try:
        with Library(library) as store:
            activity_id, added = store.add(activity)
        lines.append(f"library: {'added' if added else 'already there'} as {activity_id}")
    except MyokineticsError as error:
        failures.append(f"import of {recording} into the library failed: {error.one_line()}")
    return lines, failures
