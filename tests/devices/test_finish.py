"""End of a capture: the analysis and the library import, and how their failures are told."""

from __future__ import annotations

import asyncio
from pathlib import Path

import myokinetics
from myokinetics.devices.capture import CaptureOptions, capture
from myokinetics.devices.finish import analysis_folder, finish_recording
from tests.conftest import SAMPLE_FIT


def _recording(tmp_path: Path, athlete) -> Path:
    options = CaptureOptions(replay=SAMPLE_FIT, out=tmp_path / "capture", speed=0, finish=False,
                             analysis=False, athlete=athlete)
    result, = asyncio.run(capture(options, asyncio.Event()))
    return result.recording


def test_finish_writes_the_analysis_and_imports(tmp_path, athlete):
    recording = _recording(tmp_path, athlete)
    lines, failures = finish_recording(recording, athlete.resolved(), tmp_path / "capture",
                                       tmp_path / "library")
    assert failures == []
    assert (analysis_folder(tmp_path / "capture", recording) / "summary.json").exists()
    assert len(myokinetics.Library(tmp_path / "library").activities()) == 1
    assert any(line.startswith("library: added") for line in lines)


def test_a_failed_import_is_a_failure_not_an_output_line(tmp_path, athlete):
    recording = _recording(tmp_path, athlete)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    lines, failures = finish_recording(recording, athlete.resolved(), tmp_path / "capture",
                                       blocker / "library")
    assert any(line.startswith("analysis: ") for line in lines)  # the analysis still happened
    assert len(failures) == 1 and "library" in failures[0] and str(recording) in failures[0]
    assert recording.exists() and myokinetics.read(recording).status == "ok"
