"""``--json`` on show, analyze and list: one parseable document with the documented schema
(docs/json.md), errors still one line on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from myokinetics.cli import main
from tests.conftest import SAMPLE_FIT

REPO = Path(__file__).resolve().parents[1]
ATHLETE = str(REPO / "samples" / "athlete.toml")


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


def test_show_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.fit"
    broken.write_bytes(b"not a fit file at all")
    assert main(["show", "--json", str(SAMPLE_FIT), str(broken)]) == 1
    document = _json(capsys)
    assert document["schema"] == "myokinetics-show/1"
    good, bad = document["files"]
    assert good["status"] == "ok" and good["meta"]["sport"] == "running"
    assert (good["samples"], good["rr_intervals"], good["has_power"]) == (2700, 6829, False)
    assert bad["source"] == str(broken) and bad["error"].startswith(str(broken))


def test_analyze_json_is_the_summary_written(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--json", str(SAMPLE_FIT), "--athlete", ATHLETE, "--out",
                 str(tmp_path), "--horizon", "2"]) == 0
    document = _json(capsys)
    assert document["schema"] == "myokinetics-analyze/1" and document["errors"] == []
    result, = document["results"]
    written = json.loads((Path(result["folder"]) / "summary.json").read_text())
    assert result["summary"] == written
    assert result["summary"]["variants"]["trimp"] == "trimp_banister_lit_male"


def test_list_json_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = tmp_path / "library"
    assert main(["import", str(SAMPLE_FIT), "--library", str(library), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["list", "--library", str(library), "--json"]) == 0
    document = _json(capsys)
    assert document["schema"] == "myokinetics-list/1"
    activity, = document["activities"]
    assert activity["sport"] == "running" and activity["start"].startswith("2024-05-12T05:30")
    assert main(["list", "--library", str(library), "--csv"]) == 0
    assert capsys.readouterr().out.startswith("id,")
    with pytest.raises(SystemExit):
        main(["list", "--library", str(library), "--csv", "--json"])
