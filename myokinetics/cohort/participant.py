"""One participant of a cohort: fingerprint, import, daily engine, atomic outputs.

:func:`process_participant` is what a Dask task runs. Everything is first written to a fresh
folder under ``OUT/.tmp/``; then each output folder is renamed into place
(``library/<id>``, ``activities/participant=<id>``, ``days/participant=<id>``) and last the
participant's state file ``state/<id>.json`` (the fingerprint) is replaced. A participant is
complete only when its state file carries the current fingerprint, so a task cut short by a
killed worker leaves nothing a re-run or a retry would keep.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

import myokinetics
from myokinetics.cohort.manifest import Participant
from myokinetics.daily import DailySettings, write_daily
from myokinetics.daily.settings import code_fingerprint
from myokinetics.errors import MyokineticsError
from myokinetics.library import Library

__all__ = ["CohortSettings", "participant_fingerprint", "process_participant"]

#: Folder names under the output folder.
LIBRARY, ACTIVITIES, DAYS, STATE, TEMP = "library", "activities", "days", "state", ".tmp"


@dataclass(frozen=True)
class CohortSettings:
    """What every participant's run shares; part of each fingerprint.

    Attributes
    ----------
    first, last : date or None
        Range of local days written (None: each participant's first/last activity day).
    n_draws : int or None
        Estimator parameter draws (None: the estimator's default).
    """

    first: dt.date | None = None
    last: dt.date | None = None
    n_draws: int | None = None

    def daily(self) -> DailySettings:
        """The daily engine's settings (no PNGs: the cohort writes tables)."""
        return DailySettings(n_draws=self.n_draws, plots=False)

    def as_dict(self) -> dict[str, Any]:
        return {"first": self.first and self.first.isoformat(),
                "last": self.last and self.last.isoformat(), "n_draws": self.n_draws,
                "daily": self.daily().as_dict()}


def _export_files(export: Path) -> list[Path]:
    """Every file of an export (the file itself, or a folder's files sorted)."""
    if export.is_dir():
        return sorted(p for p in export.rglob("*") if p.is_file())
    return [export] if export.is_file() else []


def participant_fingerprint(participant: Participant, settings: CohortSettings) -> str:
    """SHA-256 over the export's file names and bytes, the profile, the settings and the code
    (package version and :func:`~myokinetics.daily.settings.code_fingerprint`)."""
    digest = hashlib.sha256()
    athlete = dataclasses.asdict(participant.athlete)
    athlete.pop("defaulted", None)
    head = {"participant": participant.id, "athlete": athlete, "settings": settings.as_dict(),
            "version": myokinetics.__version__, "code": code_fingerprint()}
    digest.update(json.dumps(head, sort_keys=True, default=str).encode())
    root = participant.export
    for file in _export_files(root):
        digest.update(str(file.relative_to(root) if file != root else file.name).encode())
        with file.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def stored_state(out: Path, participant: str) -> dict[str, Any] | None:
    """The participant's state file (fingerprint and summary), None when absent or damaged."""
    try:
        return json.loads((out / STATE / f"{participant}.json").read_text())
    except (OSError, ValueError):
        return None


def process_participant(participant: Participant, out: Path,
                        settings: CohortSettings) -> dict[str, Any]:
    """Import one participant's export and compute their days; write their outputs atomically.

    Returns the participant's summary: ``status`` (``"computed"``, ``"unchanged"`` or
    ``"failed"``), counts of files, activities and days, ``problems`` (one line each) and,
    for a failure, ``error``. A damaged export is a ``"failed"`` summary, not an exception;
    with unchanged inputs it is reported again without a re-run.
    """
    fingerprint = participant_fingerprint(participant, settings)
    state = stored_state(out, participant.id)
    if state is not None and state.get("fingerprint") == fingerprint:
        summary = state["summary"]
        if summary["status"] == "failed":  # the same damaged inputs: reported again, not re-run
            return summary
        if (out / DAYS / f"participant={participant.id}").is_dir():
            return {**summary, "status": "unchanged"}
    temp = out / TEMP / f"{participant.id}-{uuid.uuid4().hex}"
    temp.mkdir(parents=True)
    try:
        summary = _compute(participant, temp, settings)
        _install(out, temp, participant.id)
        _write_json(out / STATE / f"{participant.id}.json",
                    {"fingerprint": fingerprint, "summary": summary})
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return summary


def _compute(participant: Participant, temp: Path, settings: CohortSettings) -> dict[str, Any]:
    """Import and daily run into ``temp``; the summary (``"failed"`` when nothing usable)."""
    summary: dict[str, Any] = {"participant": participant.id, "status": "computed",
                               "files": 0, "activities": 0, "days": 0, "problems": []}
    if not participant.export.exists():
        return {**summary, "status": "failed",
                "error": f"{participant.export}: export not found (manifest row "
                         f"{participant.row})"}
    with warnings.catch_warnings(), Library(temp / LIBRARY) as library:
        warnings.simplefilter("ignore")  # population defaults: listed in the summary instead
        report = library.import_paths([participant.export], workers=1, progress=False)
        summary["files"] = len(report.outcomes)
        summary["problems"] = [o.message for o in report.outcomes if o.status == "failed"]
        catalog = library.activities()
        if catalog.empty:
            first = summary["problems"][0] if summary["problems"] else "no activities"
            return {**summary, "status": "failed",
                    "error": f"{participant.export}: nothing importable ({first})"}
        athlete = participant.athlete.resolved()
        summary["defaulted"] = list(athlete.defaulted)
        try:
            daily = write_daily(library, temp / "daily", settings.first, settings.last, athlete,
                                "csv", settings.daily())
        except MyokineticsError as error:
            return {**summary, "status": "failed", "error": error.one_line()}
    summary["problems"] += daily.problems
    days = pd.read_csv(temp / "daily" / "daily.csv") if daily.days else pd.DataFrame()
    activities = _activity_rows(temp / "daily", catalog)
    for name, frame in ((DAYS, days), (ACTIVITIES, activities)):
        (temp / name).mkdir()
        _uniform(frame).to_parquet(temp / name / "part-0.parquet", index=False)
    summary.update(activities=len(activities), days=len(days))
    return summary


def _uniform(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as float64 and text as strings, so every participant's partition stores a
    column with one type (a count that is whole for one participant is not int64 there and
    float64 elsewhere, which readers of the whole dataset refuse)."""
    types = {}
    for column, dtype in frame.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
            continue
        types[column] = "float64" if pd.api.types.is_numeric_dtype(dtype) else "string"
    return frame.astype(types)


def _activity_rows(daily: Path, catalog: pd.DataFrame) -> pd.DataFrame:
    """One row per activity: the catalog's identity and the day documents' totals."""
    rows = []
    for file in sorted(daily.glob("????-??-??.json")):
        document = json.loads(file.read_text())
        for activity in document.get("activities", []):
            row = {"date": document["date"], "id": int(activity["id"]),
                   "sport": activity["sport"], "start": activity["start"],
                   "duration_s": activity["duration_s"], "status": activity["status"]}
            row.update({f"totals.{k}": v for k, v in activity["totals"].items()})
            rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["start"] = pd.to_datetime(frame["start"], utc=True)
    identity = catalog[["id", "sha256", "source", "device"]].astype({"id": "int64"})
    return frame.merge(identity, on="id", how="left").sort_values("start", kind="mergesort")


def _install(out: Path, temp: Path, participant: str) -> None:
    """Rename the finished folders of ``temp`` into place, replacing older ones (a failed
    participant has none: their older outputs are removed)."""
    for name, target in ((LIBRARY, out / LIBRARY / participant),
                         (ACTIVITIES, out / ACTIVITIES / f"participant={participant}"),
                         (DAYS, out / DAYS / f"participant={participant}")):
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.replace(target, temp / f"old-{name}")
        if (temp / name).exists():
            os.replace(temp / name, target)


def _write_json(path: Path, document: dict[str, Any]) -> None:
    """Write ``document`` to ``path`` atomically (temporary file and rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temp.write_text(json.dumps(document, indent=1, default=str))
    os.replace(temp, path)
