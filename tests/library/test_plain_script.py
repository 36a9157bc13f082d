"""``Library.import_paths`` from a plain script: without a ``__main__`` guard it decodes in
this process (spawned workers would re-run the script) and says so; with one it uses workers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_FIT

REPO = Path(__file__).resolve().parents[2]

BODY = f"""import myokinetics
library = myokinetics.Library({{library!r}})
report = library.import_paths([{str(SAMPLE_FIT)!r}], workers=2, progress=False)
print("workers", report.workers, "imported", report.imported)
"""


def _run(tmp_path: Path, guarded: bool) -> subprocess.CompletedProcess[str]:
    body = BODY.format(library=str(tmp_path / "library"))
    if guarded:
        body = "if __name__ == '__main__':\n" + "".join(f"    {line}\n"
                                                      for line in body.splitlines())
    script = tmp_path / "script.py"
    script.write_text(body)
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def test_a_script_without_a_main_guard_imports_in_process(tmp_path: Path) -> None:
    result = _run(tmp_path, guarded=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "workers 1 imported 1"
    assert 'script.py: decoding in this process' in result.stderr
    assert "if __name__" in result.stderr


def test_a_guarded_script_uses_workers(tmp_path: Path) -> None:
    result = _run(tmp_path, guarded=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "workers 2 imported 1"
    assert "decoding in this process" not in result.stderr
