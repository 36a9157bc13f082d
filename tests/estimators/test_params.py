"""Parameter data files: every parameter sourced, sampling reproducible and as declared."""

from __future__ import annotations

import re

import numpy as np
import pytest

from myokinetics.estimators.params import parameter_table, sample_parameters
from tools.protocols import published

CERTAINTY = {"V", "V-code", "D", "fitted", "assumption"}
#: A source names the literature note's section (LIT §x.y), a dated publication (Author Year)
#: or a publication by its quoted title.
CITED = re.compile(r"LIT §|[A-Z][a-z]+.{0,40}(19|20)\d\d|'[^']{30,}'")


def test_every_parameter_has_value_unit_distribution_source_certainty() -> None:
    table = parameter_table()
    assert len(table) > 60
    for key, entry in table.items():
        assert entry["certainty"] in CERTAINTY, key
        assert len(entry["source"]) > 20 and entry["unit"], key
        assert entry["distribution"] in {"fixed", "lognormal", "normal", "uniform"}, key
        if entry["certainty"] == "fitted":
            assert entry.get("calibrated"), f"{key} is marked fitted but has no fitted value"
        if key.startswith("structural."):  # sized from this project's validation table
            assert "validation misses" in entry["source"], key
        elif entry["certainty"] != "assumption":  # a number taken from the literature
            assert CITED.search(entry["source"]), f"{key} cites no source"
        if entry["certainty"] == "D":  # derived: the arithmetic or the derivation is shown
            assert "[D" in entry["source"] or "value_from" in entry, key


def test_calibrated_values_are_the_ones_the_targets_fit() -> None:
    fitted = {k for k, v in parameter_table().items() if v.get("calibrated")}
    declared = {k for t in published()["target"] for k in t.get("fits", ())}
    assert fitted == declared
    assert all(t["set"] == "calibration" for t in published()["target"] if t.get("fits"))


def test_every_target_names_a_protocol_and_a_source() -> None:
    protocols = published()["protocol"]
    ids = [t["id"] for t in published()["target"]]
    assert len(ids) == len(set(ids))
    for target in published()["target"]:
        assert target["protocol"] in protocols and target["set"] in {"calibration", "validation"}
        assert target.get("reference", target["protocol"]) in protocols
        assert "mean" in target or "low" in target or "high" in target
        assert CITED.search(target["source"]), target["id"]


def test_single_draw_is_the_point_value_and_seeds_reproduce() -> None:
    point = sample_parameters(1)
    assert all(v.shape == (1,) for v in point.values())
    assert point["il6.baseline"][0] == parameter_table()["il6.baseline"]["value"]
    a, b, c = sample_parameters(500, 1), sample_parameters(500, 1), sample_parameters(500, 2)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["il6.baseline"], c["il6.baseline"])


@pytest.mark.parametrize("key", ["il6.release_gain", "lactate.gamma2", "insulin.dose50"])
def test_lognormal_draws_have_the_declared_median_and_cv(key: str) -> None:
    entry = parameter_table()[key]
    draws = sample_parameters(20000, 5)[key]
    assert np.median(draws) == pytest.approx(entry["value"], rel=0.03)
    assert np.std(draws) / np.mean(draws) == pytest.approx(entry["cv"], rel=0.08)


def test_bounded_draws_stay_in_bounds() -> None:
    draws = sample_parameters(5000, 7)
    for key, entry in parameter_table().items():
        if entry["distribution"] == "normal":
            assert draws[key].min() >= entry.get("min", -np.inf), key
            assert draws[key].max() <= entry.get("max", np.inf), key
        if entry["distribution"] == "uniform":
            assert entry["low"] <= draws[key].min() and draws[key].max() <= entry["high"], key
