"""RR text files (Elite HRV: header + ms per line; Kubios: seconds per line).

Samples written by hand under tests/data/formats/ from the apps' documented layouts (one
interval per line); they are not real recordings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from myokinetics import read
from myokinetics.errors import InputError
from myokinetics.ingest.rr_text import read_rr_text
from tests.ingest.formats_data import FORMATS_DATA


def test_elite_hrv_file_dated_by_its_name() -> None:
    path = FORMATS_DATA / "2024-05-01 07-30-12.txt"
    expected = [float(v) for v in path.read_text().split()[1:]]
    activity = read(path)
    assert activity.meta.format == "rr_text" and activity.meta.time_base == "absolute"
    assert activity.rr.tolist() == expected
    start = pd.Timestamp("2024-05-01T07:30:12Z")
    assert activity.rr.index[0] == start + pd.Timedelta(milliseconds=expected[0])
    assert activity.rr.index[-1] == start + pd.Timedelta(milliseconds=sum(expected))
    assert activity.samples["heart_rate"].between(55, 80).all()


def test_kubios_seconds_without_a_date_are_relative() -> None:
    activity = read(FORMATS_DATA / "kubios-seconds.txt")
    assert np.allclose(activity.rr.to_numpy(), [900, 910, 920, 905, 899, 880])
    assert activity.meta.time_base == "relative"
    assert any("seconds" in w for w in activity.warnings)


def test_a_stray_word_names_its_line() -> None:
    with pytest.raises(InputError, match=r"x\.txt: line 3 is not an RR interval"):
        read_rr_text(b"800\n810\noops\n", "x.txt")
