"""A plain install (no extras) reads, analyses and writes daily summaries without bleak; the
live commands then say in one line which extra to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_FIT

REPO = Path(__file__).resolve().parents[1]

#: Runs the command line in a fresh interpreter where importing bleak fails, as it does when
#: the package is not installed.
_WITHOUT_BLEAK = ("import sys; sys.modules['bleak'] = None; "
                  "from myokinetics.cli import main; sys.exit(main(sys.argv[1:]))")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _WITHOUT_BLEAK, *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def test_analyze_import_and_daily_need_no_bleak(tmp_path: Path) -> None:
    athlete = str(REPO / "samples" / "athlete.toml")
    analyzed = _cli("analyze", str(SAMPLE_FIT), "--athlete", athlete, "--out",
                    str(tmp_path / "out"))
    assert analyzed.returncode == 0, analyzed.stderr
    imported = _cli("import", str(SAMPLE_FIT), "--library", str(tmp_path / "lib"), "--quiet")
    assert imported.returncode == 0, imported.stderr
    daily = _cli("daily", "--library", str(tmp_path / "lib"), "--athlete", athlete, "--out",
                 str(tmp_path / "daily"), "--no-plots")
    assert daily.returncode == 0, daily.stderr
    assert list((tmp_path / "daily").glob("20*.json"))


def test_live_commands_name_the_extra() -> None:
    result = _cli("devices", "--timeout", "1")
    assert result.returncode == 2
    assert result.stderr.strip() == ("myokinetics: bluetooth: the Bluetooth LE library bleak is "
                                     "not installed — install the live-capture extra: pip "
                                     "install 'myokinetics[live]'")
