"""The progress line used by import (and by anyone else)."""

from __future__ import annotations

import io

from myokinetics.progress import Progress, format_duration


def test_plain_stream_gets_a_final_line_with_count_rate_and_elapsed() -> None:
    stream = io.StringIO()
    with Progress(2, "import", stream=stream) as progress:
        progress.add_total(1)
        for _ in range(3):
            progress.advance()
    last = stream.getvalue().splitlines()[-1]
    assert last.startswith("import: 3/3 files, ") and last.endswith(" elapsed")
    assert " files/s, " in last
    assert progress.rate > 0


def test_disabled_progress_writes_nothing() -> None:
    stream = io.StringIO()
    with Progress(None, "x", stream=stream, enabled=False) as progress:
        progress.advance(5)
    assert stream.getvalue() == "" and progress.done == 5
    assert progress.line().startswith("x: 5 files")


def test_format_duration() -> None:
    assert format_duration(75.2) == "1:15"
    assert format_duration(3725) == "1:02:05"
