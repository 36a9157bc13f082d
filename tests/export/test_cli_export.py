"""``myokinetics export``: a file or a library id out as FIT, TCX or CSV, read back by read()."""

from __future__ import annotations

import numpy as np
import pytest

from myokinetics import Library, read
from myokinetics.cli import main
from tests.conftest import SAMPLE_FIT


@pytest.mark.parametrize("fmt", ["fit", "tcx", "csv"])
def test_export_a_file(tmp_path, capsys, fmt) -> None:
    out = tmp_path / f"run.{fmt}"
    assert main(["export", str(SAMPLE_FIT), "--format", fmt, "--out", str(out)]) == 0
    source, back = read(SAMPLE_FIT), read(out)
    assert back.samples.index.equals(source.samples.index)
    assert np.allclose(back.samples["heart_rate"], source.samples["heart_rate"])
    if fmt != "tcx":  # TCX has no place for RR
        rr = back.rr if fmt == "fit" else read(tmp_path / "run-rr.csv").rr
        assert rr.index.equals(source.rr.index)
        assert np.array_equal(rr.to_numpy(), source.rr.to_numpy())
    assert f"wrote {out}" in capsys.readouterr().out


def test_export_a_library_id(tmp_path) -> None:
    with Library(tmp_path / "lib") as library:
        identifier, _ = library.add(read(SAMPLE_FIT))
    out = tmp_path / "out.fit"
    assert main(["export", str(identifier), "--library", str(tmp_path / "lib"),
                 "--out", str(out)]) == 0
    assert len(read(out).rr) == len(read(SAMPLE_FIT).rr)


def test_unknown_id_is_one_line(tmp_path, capsys) -> None:
    status = main(["export", "999", "--library", str(tmp_path / "lib"),
                   "--out", str(tmp_path / "x.fit")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and "999" in err[0]
