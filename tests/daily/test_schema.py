"""The day schema validator catches what it claims to."""

from __future__ import annotations

import copy

from myokinetics.daily.schema import validate

LOAD = {"duration_s": 3600, "trimp": 80.5, "hrss": 70.0, "energy_kcal": 700.0, "epoc_l": 12.0}
DAY = {
    "schema": "myokinetics-daily/1", "date": "2024-03-01", "utc_offset_s": 3600,
    "window": {"start": "a", "end": "b", "hours": 24.0}, "code_version": "0.1.0", "note": "n",
    "activities": [{"id": "1", "sha256": "ab", "sport": "running", "start": "s",
                    "start_local": "s", "offset_known": True, "duration_s": 3600.0,
                    "status": "ok", "totals": {"trimp": 80.5}}],
    "skipped": [],
    "load": {"total": dict(LOAD), "by_sport": {"running": dict(LOAD)}, "variants": {}},
    "zones": {"time_s": {f"z{z}": 60.0 for z in range(1, 6)}, "no_hr_s": 0.0,
              "bounds_bpm": None},
    "hrv": None,
    "pmc": {"load_metric": "trimp", "variant": "pmc_exp ctl=42d atl=7d tsb=next_day",
            "load": 80.5, "ctl": 1.9, "atl": 10.0, "tsb": 0.0, "monotony": None},
    "estimates": {"il6": {"peak": 5.0, "peak_time": "t", "area": 20.0}},
}


def test_a_valid_day_passes_and_each_break_is_named():
    assert validate(DAY) == []
    broken = copy.deepcopy(DAY)
    broken["utc_offset_s"] = "3600"
    del broken["pmc"]["ctl"]
    broken["activities"][0]["offset_known"] = 1
    broken["load"]["by_sport"]["running"]["trimp"] = "high"
    broken["surprise"] = 1
    errors = validate(broken)
    assert len(errors) == 5
    assert "$.utc_offset_s: expected integer, got str" in errors
    assert "$.pmc: missing 'ctl'" in errors
    assert "$: unexpected 'surprise'" in errors
    assert validate({**DAY, "schema": "other"}) == [
        "$.schema: expected 'myokinetics-daily/1', got 'other'"]
