"""End of a capture: the analysis and the library import, and how their failures are told."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numpy as np

import myokinetics
from myokinetics.devices.capture import CaptureOptions, capture
from myokinetics.devices.finish import (
    REPLAY_NOT_IMPORTED,
    analysis_folder,
    finish_recording,
    fit_path,
    is_replay,
)
from tests.conftest import SAMPLE_FIT


def _recording(tmp_path: Path, athlete) -> Path:
    options = CaptureOptions(replay=SAMPLE_FIT, out=tmp_path / "capture", speed=0, finish=False,
                             analysis=False, athlete=athlete)
    result, = asyncio.run(capture(options, asyncio.Event()))
    return result.recording


def _as_capture(recording: Path) -> Path:
    """The replay's recording as a strap capture would have written it (header source)."""
    header, rest = recording.read_bytes().split(b"\n", 1)
    fields = json.loads(header)
    fields["source"] = "ble"
    recording.write_bytes(json.dumps(fields).encode() + b"\n" + rest)
    return recording


def test_finish_writes_a_fit_copy_the_analysis_and_imports(tmp_path, athlete):
    recording = _as_capture(_recording(tmp_path, athlete))
    assert not is_replay(recording)
    lines, failures = finish_recording(recording, athlete.resolved(), tmp_path / "capture",
                                       tmp_path / "library")
    assert failures == []
    assert (analysis_folder(tmp_path / "capture", recording) / "summary.json").exists()
    assert len(myokinetics.Library(tmp_path / "library").activities()) == 1
    assert any(line.startswith("library: added") for line in lines)
    fit = fit_path(recording)
    assert f"FIT: {fit}" in lines and fit.parent == recording.parent
    captured, copy = myokinetics.read(recording), myokinetics.read(fit)
    assert copy.meta.format == "fit" and copy.status == "ok"
    assert len(copy.rr) == len(captured.rr) > 0
    assert np.allclose(copy.rr.to_numpy(), captured.rr.to_numpy(), atol=1.0)  # 1 ms in FIT
    assert copy.meta.start == captured.meta.start.floor("s")


def test_a_replay_is_analysed_but_not_imported(tmp_path, athlete):
    recording = _recording(tmp_path, athlete)
    assert is_replay(recording)
    lines, failures = finish_recording(recording, athlete.resolved(), tmp_path / "capture",
                                       tmp_path / "library")
    assert failures == [] and REPLAY_NOT_IMPORTED in lines
    assert fit_path(recording).exists()
    assert not (tmp_path / "library").exists()


def test_a_failed_import_is_a_failure_not_an_output_line(tmp_path, athlete):
    recording = _as_capture(_recording(tmp_path, athlete))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    lines, failures = finish_recording(recording, athlete.resolved(), tmp_path / "capture",
                                       blocker / "library")
    assert any(line.startswith("analysis: ") for line in lines)  # the analysis still happened
    assert len(failures) == 1 and "library" in failures[0] and str(recording) in failures[0]
    assert recording.exists() and myokinetics.read(recording).status == "ok"
