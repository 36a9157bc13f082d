"""Run a cohort on a ``dask.distributed`` client: one task per participant, then the summary.

Participants are independent, so each is one task (its days are sequential inside it: the
carried athlete state goes from day to day). Tasks are submitted with retries, so a task that
raised (a worker's disk hiccup) is run again; a task whose worker process died is rescheduled
by the scheduler on another worker. Both are safe because a participant's outputs are renamed
into place only when complete (:mod:`myokinetics.cohort.participant`).

A run holds the output folder's lock (:mod:`myokinetics.cohort.lock`) throughout; it first
removes the outputs of participants no longer in the manifest and last gives both datasets one
schema (:mod:`myokinetics.cohort.dataset`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import myokinetics
from myokinetics.cohort.dataset import remove_participants, unify_dataset
from myokinetics.cohort.lock import run_lock
from myokinetics.cohort.manifest import Participant
from myokinetics.cohort.participant import (
    ACTIVITIES,
    DAYS,
    TEMP,
    CohortSettings,
    process_participant,
)
from myokinetics.errors import MyokineticsError
from myokinetics.progress import Progress

__all__ = ["RETRIES", "run_cohort"]

#: Re-runs of a participant's task after it raised.
RETRIES = 2


def run_cohort(client: Any, participants: list[Participant], out: Path,
               settings: CohortSettings, progress: bool = True,
               on_done: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Process every participant on ``client`` (a ``distributed.Client``); write
    ``OUT/cohort.json`` and ``OUT/overview.png``; return the cohort document.

    ``on_done`` is called with each participant's summary as it arrives (in completion
    order). Raises :class:`~myokinetics.errors.OutputBusyError` when another run holds
    ``out``.
    """
    with run_lock(out):
        return _run(client, participants, out, settings, progress, on_done)


def _run(client: Any, participants: list[Participant], out: Path, settings: CohortSettings,
         progress: bool, on_done: Callable[[dict[str, Any]], None] | None) -> dict[str, Any]:
    from distributed import as_completed

    started = time.monotonic()
    shutil.rmtree(out / TEMP, ignore_errors=True)  # left by a run that was killed
    removed = remove_participants(out, {p.id for p in participants})
    futures = {client.submit(process_participant, p, out, settings, key=f"participant-{p.id}",
                             retries=RETRIES, pure=False): p for p in participants}
    summaries: list[dict[str, Any]] = []
    with Progress(len(futures), "cohort", unit="participants", enabled=progress) as bar:
        for future in as_completed(futures):
            summary = _result(future, futures[future])
            summaries.append(summary)
            if on_done is not None:
                on_done(summary)
            bar.advance()
    summaries.sort(key=lambda s: s["participant"])
    for name in (DAYS, ACTIVITIES):
        unify_dataset(out / name)
    document = _document(summaries, removed, settings, time.monotonic() - started,
                         len(client.scheduler_info()["workers"]))
    _write_atomic(out / "cohort.json", json.dumps(document, indent=1).encode())
    if any(s["status"] != "failed" for s in summaries):
        from myokinetics.cohort.overview import overview_png

        _write_atomic(out / "overview.png", overview_png(out / "days"))
    return document


def _result(future: Any, person: Participant) -> dict[str, Any]:
    """The participant's summary; a failed summary when the task raised after its retries."""
    try:
        return future.result()
    except Exception as error:  # any failure of one participant is reported, not raised
        text = error.one_line() if isinstance(error, MyokineticsError) \
            else f"{type(error).__name__}: {' '.join(str(error).split())}"
        return {"participant": person.id, "status": "failed", "files": 0, "activities": 0,
                "days": 0, "problems": [], "error": text}


def _document(summaries: list[dict[str, Any]], removed: list[str], settings: CohortSettings,
              elapsed_s: float, workers: int) -> dict[str, Any]:
    """cohort.json: counts, failures, per-participant summaries, participants whose outputs
    were removed (no longer in the manifest) and settings."""
    def count(status: str) -> int:
        return sum(s["status"] == status for s in summaries)

    return {
        "schema": "myokinetics-cohort/1",
        "code_version": myokinetics.__version__,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "elapsed_s": round(elapsed_s, 3),
        "workers": workers,
        "settings": settings.as_dict(),
        "counts": {"participants": len(summaries), "computed": count("computed"),
                   "unchanged": count("unchanged"), "failed": count("failed"),
                   "removed": len(removed),
                   "activities": sum(s["activities"] for s in summaries),
                   "days": sum(s["days"] for s in summaries)},
        "failures": [{"participant": s["participant"], "error": s["error"]}
                     for s in summaries if s["status"] == "failed"],
        "removed": removed,
        "participants": summaries,
    }


def _write_atomic(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    temp.write_bytes(data)
    os.replace(temp, path)
