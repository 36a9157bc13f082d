"""RR interval text files: one interval per line (Elite HRV, Kubios, HRV4Training exports).

An optional header line (``RR``, ``RR (ms)``, ...) then one number per line, in milliseconds,
or in seconds when the median is below :data:`SECONDS_BELOW` (Kubios' ASCII input accepts
both). A trailing comma or semicolon (one value per CSV row) is allowed.

These files carry no clock. The start is taken from a date and time in the file name (Elite
HRV names its files ``2024-05-01 07-30-12.txt``), read as UTC with a warning since the zone is
unknown; without one the times are relative (``meta.time_base == "relative"``, counted from the
FIT epoch like a FIT file without a date). Beat ``i`` ends at ``start + sum(rr[:i+1])``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from myokinetics.activity import Activity, ActivityMeta
from myokinetics.errors import InputError
from myokinetics.ingest.csvfile import heart_rate_from_rr
from myokinetics.ingest.tabular import build_samples
from myokinetics.limits import limit

__all__ = ["looks_like_rr_text", "read_rr_text", "rr_activity", "rr_series"]

#: A median interval below this is in seconds (10 s would be 6 beats/min).
SECONDS_BELOW = 10.0
#: Interval range (ms) a file must stay inside to be sniffed as RR text.
SNIFF_RANGE_MS = (150.0, 6000.0)
#: Origin of relative times: the FIT epoch, as for FIT files without a date.
RELATIVE_ORIGIN = pd.Timestamp("1989-12-31T00:00:00Z")
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[,;]?\s*$")
_NAME_TIME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})[ _T-]?(\d{2})[-:._h]?(\d{2})[-:._m]?(\d{2})")


def looks_like_rr_text(head: bytes) -> bool:
    """True when the head is an optional header line and then at least 3 lone intervals."""
    lines = head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    if len(head) >= 4096:
        lines = lines[:-1]  # the last line may be cut
    lines = [line for line in lines if line.strip()]
    if lines and not _NUMBER.match(lines[0]):
        lines = lines[1:]
    if len(lines) < 3 or not all(_NUMBER.match(line) for line in lines):
        return False
    values = np.array([float(m.group(1)) for line in lines if (m := _NUMBER.match(line))])
    if np.median(values) < SECONDS_BELOW:
        values = values * 1000.0
    return bool(((values >= SNIFF_RANGE_MS[0]) & (values <= SNIFF_RANGE_MS[1])).all())


def read_rr_text(data: bytes, source: str) -> Activity:
    """Read an RR text file: intervals (ms) and the heart rate (1/min) derived from them.

    Raises
    ------
    InputError
        A line other than the first is not a number, or there is no interval.
    """
    lines = data.decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    if numbered and not _NUMBER.match(numbered[0][1]):
        numbered = numbered[1:]
    values = []
    for number, line in numbered:
        match = _NUMBER.match(line)
        if match is None:
            raise InputError(source, f"line {number} is not an RR interval ({line[:30]!r})",
                             "an RR text file holds one interval (ms or s) per line")
        values.append(float(match.group(1)))
    if not values:
        raise InputError(source, "no RR interval", "export the recording again")
    rr_ms = np.asarray(values)
    warnings: list[str] = []
    if np.median(rr_ms) < SECONDS_BELOW:
        rr_ms = rr_ms * 1000.0
        warnings.append("RR intervals are in seconds (median below 10); converted to ms")
    start = _start_from_name(source)
    if start is None:
        warnings.append("the file gives no date: times are relative to the start")
    else:
        warnings.append("start taken from the file name, read as UTC (time zone unknown)")
    return rr_activity(rr_ms, start, "rr_text", warnings, source)


def rr_activity(rr_ms: np.ndarray, start: pd.Timestamp | None, format_name: str,
                warnings: list[str], source: str) -> Activity:
    """An activity from back-to-back intervals (ms) whose first beat ends ``rr_ms[0]`` after
    ``start`` (UTC; None for relative times); heart rate derived per second.

    Raises
    ------
    InputError
        No interval is usable (see :func:`rr_series`), or they sum beyond the plausible duration.
    """
    origin = RELATIVE_ORIGIN if start is None else start
    rr = rr_series(rr_ms, origin, warnings, source)
    if not len(rr):
        rr_low, rr_high = limit("reader", "rr_ms")
        raise InputError(source, f"no usable RR interval (within {rr_low:g}-{rr_high:g} ms)",
                         "check the file's unit (ms) and export it again")
    heart_rate = heart_rate_from_rr(rr)
    warnings.append("heart rate derived from RR intervals (instantaneous, per second)")
    assert isinstance(heart_rate.index, pd.DatetimeIndex)  # a per-second time grid
    samples = build_samples(heart_rate.index, {"heart_rate": heart_rate.to_numpy()}, warnings)
    meta = ActivityMeta(start=origin, format=format_name, decoder=f"myokinetics.{format_name}",
                        decoder_version="1", time_base="relative" if start is None else "absolute")
    return Activity(samples=samples, rr=rr, meta=meta, warnings=warnings)


def rr_series(rr_ms: np.ndarray, origin: pd.Timestamp, warnings: list[str],
              source: str) -> pd.Series:
    """Back-to-back intervals (ms) as an RR series: beat ``i`` ends at
    ``origin + sum(rr_ms[:i+1])``; empty when no interval is usable.

    Intervals that are not positive finite numbers within the plausible duration are dropped
    (each shifts no beat); intervals outside the plausible RR range are left out of the series
    but keep their time. Each drop appends one line to ``warnings``.

    Raises
    ------
    InputError
        The intervals sum beyond the plausible duration of a recording.
    """
    low, high = limit("reader", "duration_s")
    usable = np.isfinite(rr_ms) & (rr_ms > low) & (rr_ms <= high * 1000.0)
    if not usable.all():
        warnings.append(f"{int((~usable).sum())} intervals are not positive numbers of at most "
                        f"{high / 86400:g} days; dropped")
        rr_ms = rr_ms[usable]
    if rr_ms.sum() > high * 1000.0:
        raise InputError(source, f"the RR intervals span more than {high / 86400:g} days",
                         "check the file's unit (ms)")
    beats = origin + pd.to_timedelta(np.cumsum(rr_ms), unit="ms")
    rr = pd.Series(rr_ms, index=pd.DatetimeIndex(beats, name="time").as_unit("ns"), name="rr",
                   dtype="float64")
    rr_low, rr_high = limit("reader", "rr_ms")
    plausible = rr.between(rr_low, rr_high)
    if not plausible.all():
        # an artifact still took its time: the beats after it keep their times
        warnings.append(f"{int((~plausible).sum())} RR intervals outside {rr_low:g}-"
                        f"{rr_high:g} ms left out of the RR series")
        rr = rr[plausible]
    return rr


def _start_from_name(source: str) -> pd.Timestamp | None:
    name = re.split(r"[/\\!]", source)[-1]
    match = _NAME_TIME.search(name)
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        return pd.Timestamp(year, month, day, hour, minute, second, tz="UTC")
    except ValueError:  # digits that are no date (month 13)
        return None
