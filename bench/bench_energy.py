"""``python -m bench energy``: our energy totals against the devices' own calories.

For every FIT file of ../shared/fit-corpus whose session messages give ``total_calories``
(>= 50 kcal, >= 10 min, heart rate on >= half the seconds or a cycling power meter), the
athlete profile is read from the file itself (``user_profile``: sex, age, weight, resting HR;
``zones_target``: max and threshold HR, FTP); what the file does not give takes the
population defaults, as for a new user. Each energy variant's total (the stream's load totals,
moving time: timer pauses left out as the devices do) is divided by the sum of the device's
session calories. Printed: per sport and
overall, the median ratio and the share of activities within 0.75-1.33 (targets: 0.9-1.1 and
>= 75 %), for the default and the Keytel variants.
"""

from __future__ import annotations

import statistics
import warnings
from pathlib import Path
from typing import Any

import fitdecode
import numpy as np

from myokinetics import read
from myokinetics.athlete import Athlete
from myokinetics.errors import MyokineticsError
from myokinetics.processing.params import sex_key
from myokinetics.stream import AthleteStream, StreamOptions

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "fit-corpus"
WITHIN = (0.75, 1.33)
#: FIT profile fields -> Athlete fields (a value the profile rejects is left to the defaults).
PROFILE_FIELDS = {"gender": "sex", "age": "age", "weight": "body_mass_kg",
                  "resting_heart_rate": "hr_rest", "max_heart_rate": "hr_max",
                  "default_max_heart_rate": "hr_max", "threshold_heart_rate": "hr_threshold",
                  "functional_threshold_power": "ftp_w"}


def device_figures(path: Path) -> tuple[dict[str, Any], float]:
    """The file's own athlete fields and the sum of its sessions' total_calories (kcal)."""
    profile: dict[str, Any] = {}
    calories = 0.0
    try:
        with fitdecode.FitReader(path, check_crc=fitdecode.CrcCheck.DISABLED) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name in ("user_profile", "zones_target"):
                    for field in frame.fields:
                        target = PROFILE_FIELDS.get(field.name)
                        if target and field.value not in (None, 0) and target not in profile:
                            profile[target] = field.value
                elif frame.name == "session" and frame.has_field("total_calories"):
                    calories += float(frame.get_value("total_calories") or 0)
    except (fitdecode.FitError, ValueError, EOFError):
        pass  # a damaged tail: keep what was read before it, as myokinetics.read does
    return profile, calories


def athlete_from(profile: dict[str, Any]) -> Athlete:
    """An Athlete with every profile value that passes the profile's own checks."""
    kept: dict[str, Any] = {}
    for name, value in profile.items():
        if name == "sex" and value not in ("male", "female"):
            continue
        candidate = {**kept, name: value if name == "sex" else float(value)}
        try:
            Athlete(**candidate).resolved()
        except MyokineticsError:
            continue
        kept = candidate
    return Athlete(**kept)


def ratios_of(path: Path) -> tuple[str, dict[str, float]] | None:
    """(sport, variant -> our total / device total) for one file, or None if not comparable."""
    try:
        profile, device_kcal = device_figures(path)
        activity = read(path)
    except (MyokineticsError, fitdecode.FitError, OSError):
        return None
    samples = activity.samples
    if device_kcal < 50 or len(samples) < 600:
        return None
    sport = activity.meta.sport
    hr_share = samples["heart_rate"].notna().mean() if "heart_rate" in samples else 0.0
    has_power = "power" in samples and samples["power"].notna().mean() > 0.5
    if hr_share < 0.5 and not (sport == "cycling" and has_power):
        return None
    stream = AthleteStream(athlete_from(profile), StreamOptions(curves=False))
    stream.push(samples, sport=sport, pauses=activity.pauses)
    stream.finish()
    totals = stream.totals()
    sex = sex_key(stream.athlete.sex)
    variants = {"default": totals["energy_kcal"],
                "keytel_vo2max": totals[f"energy_kcal_keytel_vo2max_{sex}"],
                "keytel_hr": totals[f"energy_kcal_keytel_hr_{sex}"]}
    return sport, {name: value / device_kcal for name, value in variants.items()}


def summary(ratios: list[float]) -> str:
    inside = np.mean([WITHIN[0] <= r <= WITHIN[1] for r in ratios])
    return f"median {statistics.median(ratios):5.2f}  within {100 * inside:3.0f} %"


def main() -> None:
    if not CORPUS.is_dir():
        print(f"bench energy: skipped, {CORPUS} is absent")
        return
    files = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() == ".fit")
    rows: list[tuple[str, dict[str, float]]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for done, path in enumerate(files, 1):
            row = ratios_of(path)
            if row:
                rows.append(row)
            if done % 25 == 0 or done == len(files):
                print(f"  {done}/{len(files)} files read, {len(rows)} comparable", flush=True)
    groups: dict[str, list[dict[str, float]]] = {"all": [r for _, r in rows]}
    for sport, ratio in rows:
        groups.setdefault(sport, []).append(ratio)
    print(f"our total / device total_calories, {len(rows)} activities "
          f"(targets: median 0.9-1.1, >= 75 % within {WITHIN[0]}-{WITHIN[1]})")
    for group, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        cells = "   ".join(f"{name} {summary([m[name] for m in members])}"
                           for name in ("default", "keytel_vo2max", "keytel_hr"))
        print(f"  {group:18s} n={len(members):3d}   {cells}")
