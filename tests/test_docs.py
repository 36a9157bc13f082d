"""The documentation is executable: every Python block of README.md and docs/ runs as a plain
script from the repository root (with a throw-away library), every ``myokinetics`` command line
shown parses, and every link points at a file of the repository or a web page."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from myokinetics.cli import _parse

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _blocks(language: str) -> list[tuple[str, str]]:
    return [(f"{page.relative_to(REPO)}#{number}", body) for page in PAGES
            for number, (lang, body) in enumerate(_BLOCK.findall(page.read_text()))
            if lang == language]


@pytest.mark.parametrize(("where", "code"), _blocks("python"))
def test_python_blocks_run_as_scripts(where: str, code: str, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(code)
    env = {**os.environ, "MYOKINETICS_LIBRARY": str(tmp_path / "library"),
           "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, str(script)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{where}:\n{result.stderr[-2000:]}"


def _command_lines() -> list[tuple[str, list[str]]]:
    """``myokinetics ...`` lines of shell blocks that name real arguments (no placeholders)."""
    out = []
    for where, body in _blocks("sh") + _blocks(""):
        for line in body.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("myokinetics ") and not re.search(r"[A-Z]{2,}|\[|\.\.\.|\|", line):
                out.append((where, shlex.split(line)[1:]))
    return out


@pytest.mark.parametrize(("where", "argv"), _command_lines())
def test_command_lines_shown_parse(where: str, argv: list[str]) -> None:
    args = _parse(argv)
    assert args.command == argv[0], where


def test_commands_are_checked() -> None:
    assert len(_command_lines()) >= 8


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_point_into_the_repository_or_the_web(page: Path) -> None:
    for target in _LINK.findall(page.read_text()):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        resolved = (page.parent / target).resolve()
        assert resolved.is_relative_to(REPO) and resolved.exists(), f"{page.name}: {target}"
