"""Pages of a library: the range page of written daily summaries with its activities' pages,
and single pages on demand (``myokinetics report``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from myokinetics.athlete import Athlete
from myokinetics.errors import InputError, MyokineticsError

__all__ = ["activity_html", "range_html", "write_daily_pages"]

#: Folder of the activity pages inside a daily output folder.
ACTIVITIES = "activities"


def _documents(out: Path, days: Sequence[dt.date]) -> list[dict[str, Any]]:
    return [json.loads((out / f"{day.isoformat()}.json").read_text(encoding="utf-8"))
            for day in days]


def _inputs(activity: Mapping[str, Any], athlete: Athlete) -> str:
    """Hash of what an activity page depends on: the file, the athlete and the code."""
    import myokinetics

    profile = asdict(athlete)
    profile.pop("defaulted", None)
    text = json.dumps([activity["sha256"], profile, myokinetics.__version__], sort_keys=True,
                      default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _analysis(library: Any, activity_id: str, athlete: Athlete) -> Any:
    from myokinetics.analysis import analyze

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the defaults were announced by the command
        analysis = analyze(library.load(activity_id), athlete)
    if not len(analysis.intensity):
        raise InputError(f"library entry {activity_id}", "has no timed samples",
                         "nothing to draw for it (a settings or monitoring file?)")
    return analysis


def write_daily_pages(out: Path, days: Sequence[dt.date], library: Any, athlete: Athlete
                      ) -> tuple[Path, list[str]]:
    """Write ``out/report.html`` for the written ``days`` and one page per activity in
    ``out/activities/<id>/`` (tables, PNGs, report.html), recomputed only when the file,
    the athlete or the code changed.

    Returns
    -------
    (Path, list of str)
        The range page, and one line per activity whose page could not be made.
    """
    from myokinetics.report.files import write_analysis
    from myokinetics.report.page import PLOTLY_JS, write_plotly_js
    from myokinetics.report.range_page import range_page

    documents = _documents(out, days)
    write_plotly_js(out)
    problems: list[str] = []
    pages: dict[str, str] = {}
    for activity in (a for doc in documents for a in doc["activities"]):
        folder = out / ACTIVITIES / str(activity["id"])
        stamp, inputs = folder / ".inputs", _inputs(activity, athlete)
        page = folder / "report.html"
        if not (page.is_file() and stamp.is_file() and stamp.read_text() == inputs):
            try:
                write_analysis(_analysis(library, str(activity["id"]), athlete), folder,
                               js_folder=out)
            except (MyokineticsError, OSError, ValueError) as error:
                text = error.one_line() if isinstance(error, MyokineticsError) else str(error)
                problems.append(f"no page for activity {activity['id']}: {text}")
                continue
            stamp.write_text(inputs)
        pages[str(activity["id"])] = f"{ACTIVITIES}/{activity['id']}/report.html"
    path = out / "report.html"
    path.write_text(range_page(documents, lambda a: pages.get(str(a["id"])), PLOTLY_JS),
                    encoding="utf-8")
    return path, problems


def activity_html(library: Any, activity_id: str, athlete: Athlete) -> str:
    """One activity of the library as a self-contained page (plotly.js embedded)."""
    from myokinetics.report.activity_page import activity_page

    return activity_page(_analysis(library, activity_id, athlete))


def range_html(library: Any, first: dt.date | None, last: dt.date | None,
               athlete: Athlete) -> str:
    """The range page of ``first``..``last`` as one self-contained file, computed from the
    library (daily summaries without PNGs in a temporary folder); activities are named, not
    linked (``--activity ID`` makes their pages)."""
    from myokinetics.daily import DailySettings, write_daily
    from myokinetics.report.range_page import range_page

    with tempfile.TemporaryDirectory(prefix="myokinetics-report-") as folder, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = write_daily(library, folder, first, last, athlete,
                             settings=DailySettings(plots=False))
        if not report.days:
            raise InputError(library.path, "has no activities in the range asked for",
                             "import activities or widen --from/--to")
        documents = _documents(Path(folder), report.days)
    return range_page(documents, lambda _: None)
