"""After a capture: analyse the recording as ``myokinetics analyze`` would, import it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from myokinetics.errors import MyokineticsError

__all__ = ["finish_recording"]


def finish_recording(recording: Path, athlete: Any, out: Path,
                     library: Path | None = None) -> list[str]:
    """Analyse ``recording`` into ``out`` and add it to the library.

    Returns
    -------
    list of str
        One line per output written (or per step that could not run, with the reason).
        A failure here never loses the recording, which is already closed on disk.
    """
    import myokinetics

    lines: list[str] = []
    activity = myokinetics.read(recording)
    analyze = getattr(myokinetics, "analyze", None)
    if analyze is None:
        lines.append("analysis: skipped (myokinetics.analyze is not part of this build)")
    else:
        try:
            lines.extend(_write_analysis(analyze, recording, athlete, out))
        except MyokineticsError as error:
            lines.append(f"analysis: failed — {error.one_line()}")
    library_class = getattr(myokinetics, "Library", None)
    if library_class is None:
        lines.append("library: skipped (myokinetics.Library is not part of this build)")
    else:
        try:
            activity_id, added = library_class(library).add(activity)
            lines.append(f"library: {'added' if added else 'already there'} as {activity_id}")
        except MyokineticsError as error:
            lines.append(f"library: failed — {error.one_line()}")
    return lines


def _write_analysis(analyze: Any, recording: Path, athlete: Any, out: Path) -> list[str]:
    from myokinetics.analysis import write_analysis  # type: ignore[attr-defined]

    analysis = analyze(recording, athlete=athlete)
    written = write_analysis(analysis, out)
    return [f"analysis: {path}" for path in written]
