"""Write a synthetic cohort: FIT activities per participant and ``OUT/manifest.csv``.

Usage::

    python -m tools.cohortgen N_PARTICIPANTS DAYS OUT [SEED]

Each participant gets a drawn profile (sex, age, body mass, resting/maximal/threshold heart rate,
VO2max, FTP), a folder ``OUT/pNNN/`` and on about 70 % of the ``DAYS`` days one activity:
an easy, tempo or interval run or ride of 20-50 min with heart rate every second, speed and
distance (runs) or power (rides). Files are written by the project's FIT writer
(:func:`tools.fitgen.write_fit`); the same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from tools.fitgen import Lap, WorkoutSpec, write_fit
from tools.fitgen_signal import ar1, first_order_lag

__all__ = ["MANIFEST_FIELDS", "cohort", "main", "participant_activities"]

#: Columns of the written manifest (the profile fields of :class:`myokinetics.Athlete`).
MANIFEST_FIELDS = ("participant", "export", "sex", "age", "body_mass_kg", "hr_rest", "hr_max",
                   "hr_threshold", "vo2max", "ftp_w")
_FIRST_DAY = dt.date(2025, 3, 3)
_ACTIVE_SHARE = 0.7  # share of days with an activity
#: Session kinds: (name, steady %HRR of the work parts, interval on/off seconds or None)
_KINDS = (("easy", 0.60, None), ("tempo", 0.78, None), ("intervals", 0.88, (180, 120)))


def _profile(rng: np.random.Generator) -> dict[str, float | str]:
    """One drawn participant profile (bpm, kg, mL/kg/min, W)."""
    sex = str(rng.choice(["male", "female"]))
    age = int(rng.integers(20, 66))
    hr_max = round(208 - 0.7 * age + rng.normal(0, 4))
    hr_rest = int(rng.integers(45, 70))
    mass = round(float(rng.normal(76 if sex == "male" else 63, 8)), 1)
    vo2max = round(float(np.clip(rng.normal(50 if sex == "male" else 43, 6) - 0.2 * (age - 35),
                                 25, 75)), 1)
    return {"sex": sex, "age": age, "body_mass_kg": mass, "hr_rest": hr_rest, "hr_max": hr_max,
            "hr_threshold": round(hr_rest + 0.85 * (hr_max - hr_rest)), "vo2max": vo2max,
            "ftp_w": round(mass * float(rng.uniform(2.2, 3.8)))}


def _activity(rng: np.random.Generator, profile: dict[str, float | str],
              start: pd.Timestamp) -> WorkoutSpec:
    """One run or ride of 20-50 min for ``profile`` starting at ``start`` (UTC)."""
    sport = str(rng.choice(["running", "cycling"]))
    _, level, on_off = _KINDS[int(rng.integers(len(_KINDS)))]
    seconds = int(rng.integers(20, 51)) * 60
    t = np.arange(seconds)
    warm = np.minimum(1.0, t / 300.0)
    target = 0.45 + (level - 0.45) * warm
    if on_off is not None:
        on, off = on_off
        target = np.where((t >= 300) & ((t - 300) % (on + off) >= on), 0.55, target)
    hr_rest, hr_max = float(profile["hr_rest"]), float(profile["hr_max"])
    hrr = first_order_lag(target, tau_s=35.0, first=0.25) + ar1(rng, seconds, 0.8, 0.01)
    heart_rate = np.round(np.clip(hr_rest + hrr * (hr_max - hr_rest), 60, 220))
    columns: dict[str, np.ndarray] = {"elapsed_s": t, "heart_rate": heart_rate}
    if sport == "running":
        speed = np.round(np.clip(1.2 + 4.0 * target + ar1(rng, seconds, 0.9, 0.05), 0.5, None), 3)
        columns["speed"] = speed
        columns["distance"] = np.round(np.concatenate([[0.0], np.cumsum(speed[1:])]), 2)
    else:
        ftp = float(profile["ftp_w"])
        columns["power"] = np.round(np.clip(ftp * (target + 0.15) + rng.normal(0, 12, seconds),
                                            0, None))
    return WorkoutSpec(start=start, utc_offset=dt.timedelta(hours=1),
                       records=pd.DataFrame(columns), rr_ms=np.array([], dtype=np.int64),
                       laps=(Lap(0, seconds),), sport=sport)


def participant_activities(seed: int, days: int) -> tuple[dict[str, float | str],
                                                           list[WorkoutSpec]]:
    """The profile and activities of the participant drawn from ``seed`` over ``days`` days."""
    rng = np.random.default_rng(seed)
    profile = _profile(rng)
    specs = []
    for day in range(days):
        if rng.random() < _ACTIVE_SHARE:
            hour = int(rng.integers(6, 19))
            start = pd.Timestamp(_FIRST_DAY + dt.timedelta(days=day), tz="UTC") \
                + pd.Timedelta(hours=hour, minutes=int(rng.integers(60)))
            specs.append(_activity(rng, profile, start))
    return profile, specs


def cohort(participants: int, days: int, out: Path, seed: int = 1) -> Path:
    """Write ``participants`` folders of FIT files under ``out`` and return the manifest path."""
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for number in range(1, participants + 1):
        name = f"p{number:03d}"
        profile, specs = participant_activities(seed * 100_003 + number, days)
        folder = out / name
        folder.mkdir(exist_ok=True)
        for spec in specs:
            write_fit(spec, folder / f"{spec.start:%Y-%m-%d-%H%M}.fit")
        rows.append({"participant": name, "export": name, **profile})
    manifest = out / "manifest.csv"
    with manifest.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=MANIFEST_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return manifest


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.cohortgen N_PARTICIPANTS DAYS OUT [SEED]``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (3, 4) or not args[0].isdigit() or not args[1].isdigit():
        print("usage: python -m tools.cohortgen N_PARTICIPANTS DAYS OUT [SEED]", file=sys.stderr)
        return 2
    seed = int(args[3]) if len(args) == 4 else 1
    manifest = cohort(int(args[0]), int(args[1]), Path(args[2]), seed)
    print(f"{manifest}: {args[0]} participants x {args[1]} days")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
