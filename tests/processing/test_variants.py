"""Every load output names its variant: in its column name or in ``totals["variants"]``."""

from __future__ import annotations

from myokinetics.processing import LoadPipeline
from tests.processing.helpers import ATHLETE, intervals, rr_from_hr

#: Outputs whose names do not carry a formula or constant set, and so need a variants entry.
PLAIN = ("trimp", "trimp_avg_hr", "trimp_zonal", "hrss", "energy_kcal", "epoc_l", "epoc_end_l",
         "energy_kcal_min", "pct_vo2r", "time_in_zone", "np_w", "wbal_min_j", "rr_filter",
         "dfa_alpha1", "windows")


def test_plain_names_are_in_the_variant_map() -> None:
    samples = intervals(seconds=900)
    pipeline = LoadPipeline(ATHLETE)
    pipeline.push(samples, rr_from_hr(samples))
    pipeline.finish()
    totals = pipeline.totals()
    variants = totals["variants"]
    missing = [name for name in PLAIN if not variants.get(name)]
    assert not missing
    for alias in ("trimp", "trimp_avg_hr", "hrss", "energy_kcal", "epoc_l", "epoc_end_l"):
        column = variants[alias].split(" ")[0]
        assert totals[column] == totals[alias], alias
    assert variants["energy_kcal_min"].split(" ")[0] == variants["energy_kcal"].split(" ")[0]
