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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fitdecode
import numpy as np

from myokinetics import read
from myokinetics.athlete import Athlete
from myokinetics.errors import MyokineticsError
from myokinetics.processing.energy import cycling_power
from myokinetics.processing.params import sex_key
from myokinetics.stream import AthleteStream, StreamOptions

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "fit-corpus"
WITHIN = (0.75, 1.33)
#: Group of the activities whose device calories had no heart rate to go on.
NO_HR_GROUP = "device kcal without HR"
#: FIT profile fields -> Athlete fields (a value the profile rejects is left to the defaults).
PROFILE_FIELDS = {"gender": "sex", "age": "age", "weight": "body_mass_kg",
                  "resting_heart_rate": "hr_rest", "max_heart_rate": "hr_max",
                  "default_max_heart_rate": "hr_max", "threshold_heart_rate": "hr_threshold",
                  "functional_threshold_power": "ftp_w"}
#: FIT session field 168 ("training_load_peak" in FIT profile 21.x; GoldenCheetah PR #3860
#: imports it as EPOC) and its scale.
LOAD_PEAK_FIELD = 168
LOAD_PEAK_SCALE = 65536.0


@dataclass
class DeviceFigures:
    """What a FIT file says of its athlete and of the device's own totals."""

    profile: dict[str, Any] = field(default_factory=dict)
    calories: float = 0.0
    #: Session field 168 (Firstbeat peak EPOC, mL/kg; raw / 65536), the highest over the
    #: file's sessions (a multisport file carries the running peak from session to session);
    #: None when no session has it.
    load_peak: float | None = None
    #: record messages, and those with a heart rate: the heart rate the device had while it
    #: accumulated its calories (a swim strap's stored heart rate comes after the session, in
    #: ``hr`` messages, and reaches our samples but not the device's calories)
    records: int = 0
    records_with_hr: int = 0

    @property
    def calories_without_hr(self) -> bool:
        """Whether fewer than half of the records carried a heart rate."""
        return self.records_with_hr < 0.5 * self.records


def device_figures(path: Path) -> DeviceFigures:
    """The file's own athlete fields, the sum of its sessions' total_calories (kcal) and the
    highest session field 168 (mL/kg), read with fitdecode: the reader keeps no session totals."""
    figures = DeviceFigures()
    try:
        with fitdecode.FitReader(path, check_crc=fitdecode.CrcCheck.DISABLED) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name in ("user_profile", "zones_target"):
                    for item in frame.fields:
                        target = PROFILE_FIELDS.get(item.name)
                        if target and item.value not in (None, 0) \
                                and target not in figures.profile:
                            figures.profile[target] = item.value
                elif frame.name == "session":
                    _add_session(figures, frame)
                elif frame.name == "record":
                    figures.records += 1
                    figures.records_with_hr += frame.get_value(
                        "heart_rate", fallback=None) is not None
    except (fitdecode.FitError, ValueError, EOFError):
        pass  # a damaged tail: keep what was read before it, as myokinetics.read does
    return figures


def _add_session(figures: DeviceFigures, frame: Any) -> None:
    if frame.has_field("total_calories"):
        figures.calories += float(frame.get_value("total_calories") or 0)
    # by number: older profiles name field 168 unknown_168 and leave it unscaled
    raw = next((item.raw_value for item in frame.fields
                if item.def_num == LOAD_PEAK_FIELD and item.raw_value is not None), None)
    if isinstance(raw, int):
        value = raw / LOAD_PEAK_SCALE
        figures.load_peak = value if figures.load_peak is None else max(figures.load_peak, value)


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


def activity_totals(path: Path, min_kcal: float = 50.0, figures: DeviceFigures | None = None
                    ) -> tuple[str, dict[str, Any], DeviceFigures] | None:
    """(sport, our stream totals, the device's figures) for a file with >= 10 min of samples,
    heart rate on >= half of them (or cycling power) and >= ``min_kcal`` device calories;
    None otherwise. The athlete is the file's own profile over the population defaults;
    ``figures`` are the file's :func:`device_figures` when the caller has read them already."""
    try:
        figures = figures or device_figures(path)
        activity = read(path)
    except (MyokineticsError, fitdecode.FitError, OSError):
        return None
    samples = activity.samples
    if figures.calories < min_kcal or len(samples) < 600:
        return None
    sport = activity.meta.sport
    hr_share = samples["heart_rate"].notna().mean() if "heart_rate" in samples else 0.0
    has_power = "power" in samples and samples["power"].notna().mean() > 0.5
    if hr_share < 0.5 and not (sport == "cycling" and has_power):
        return None
    stream = AthleteStream(athlete_from(figures.profile), StreamOptions(curves=False))
    stream.push(samples, sport=sport, pauses=activity.pauses)
    stream.finish()
    totals = stream.totals()
    totals["body_mass_kg"] = stream.athlete.body_mass_kg
    totals["sex_key"] = sex_key(stream.athlete.sex)
    return sport, totals, figures


def ratios_of(path: Path) -> tuple[str, dict[str, float]] | None:
    """(group, variant -> our total / device total) for one file, or None if not comparable.

    The group is the sport, or ``NO_HR_GROUP`` when the device's calories were not heart-rate
    based: no heart rate in its records and no cycling power (pool swims with a storing strap:
    the device sums calories per active length from swim metrics, rests at 0 kcal)."""
    row = activity_totals(path)
    if row is None:
        return None
    sport, totals, figures = row
    sex = totals["sex_key"]
    variants = {"default": totals["energy_kcal"],
                "keytel_vo2max": totals[f"energy_kcal_keytel_vo2max_{sex}"],
                "keytel_hr": totals[f"energy_kcal_keytel_hr_{sex}"]}
    group = sport
    if figures.calories_without_hr and not (cycling_power(sport) and totals["np_w"] > 0):
        group = NO_HR_GROUP
    return group, {name: value / figures.calories for name, value in variants.items()}


def summary(ratios: list[float]) -> str:
    inside = np.mean([WITHIN[0] <= r <= WITHIN[1] for r in ratios])
    return f"median {statistics.median(ratios):5.2f}  within {100 * inside:3.0f} %"


def main() -> None:
    if not CORPUS.is_dir():
        print(f"bench energy: skipped, {CORPUS} is absent")
        return
    files = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() == ".fit")
    rows: list[tuple[str, dict[str, float]]] = []
    outside: list[tuple[str, str, float]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for done, path in enumerate(files, 1):
            row = ratios_of(path)
            if row:
                rows.append(row)
                if not WITHIN[0] <= row[1]["default"] <= WITHIN[1]:
                    outside.append((row[0], path.name, row[1]["default"]))
            if done % 25 == 0 or done == len(files):
                print(f"  {done}/{len(files)} files read, {len(rows)} comparable", flush=True)
    groups: dict[str, list[dict[str, float]]] = {
        "all": [r for group, r in rows if group != NO_HR_GROUP]}
    for sport, ratio in rows:
        groups.setdefault(sport, []).append(ratio)
    print(f"our total / device total_calories, {len(groups['all'])} activities "
          f"(targets: median 0.9-1.1, >= 75 % within {WITHIN[0]}-{WITHIN[1]}); "
          f"{NO_HR_GROUP}: apart, not in 'all'")
    for group, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        cells = "   ".join(f"{name} {summary([m[name] for m in members])}"
                           for name in ("default", "keytel_vo2max", "keytel_hr"))
        print(f"  {group:22s} n={len(members):3d}   {cells}")
    print(f"default outside {WITHIN[0]}-{WITHIN[1]}:")
    for group, name, ratio in sorted(outside):
        print(f"  {group:22s} {ratio:5.2f}  {name}")
