"""Without the cohort extra (dask), ``myokinetics cohort`` says in one line what to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_FIT

REPO = Path(__file__).resolve().parents[2]

#: The command line in a fresh interpreter where importing dask or distributed fails, as it
#: does when the extra is not installed.
_WITHOUT_DASK = ("import sys; sys.modules['dask'] = None; sys.modules['distributed'] = None; "
                 "from myokinetics.cli import main; sys.exit(main(sys.argv[1:]))")


def test_cohort_names_the_extra(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"participant,export\ns1,{SAMPLE_FIT}\n")
    result = subprocess.run([sys.executable, "-c", _WITHOUT_DASK, "cohort", str(manifest),
                             "--out", str(tmp_path / "out"), "--quiet"], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == ("myokinetics: myokinetics cohort: dask.distributed is not "
                                     "installed — pip install 'myokinetics[cohort]'")
    assert result.stdout == ""
