"""The canonical activity: what every reader returns and every later stage consumes.

Units are part of the column names' meaning (see docs/data-contracts.md):

========== ============ ========== ============
column     unit         column     unit
========== ============ ========== ============
heart_rate beats/min    power      W
cadence    1/min        speed      m/s
distance   m (cumul.)   altitude   m
latitude   degrees      longitude  degrees
temperature °C
========== ============ ========== ============
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import pandas as pd

__all__ = ["SAMPLE_COLUMNS", "Activity", "ActivityMeta", "empty_pauses", "empty_rr",
           "empty_samples"]

#: Canonical sample columns, in display order, all float64.
SAMPLE_COLUMNS: tuple[str, ...] = (
    "heart_rate",
    "power",
    "cadence",
    "speed",
    "distance",
    "altitude",
    "latitude",
    "longitude",
    "temperature",
)

Status = Literal["ok", "partial"]


@dataclass(frozen=True)
class ActivityMeta:
    """Provenance and context of one activity.

    ``start`` is UTC; ``utc_offset`` is local time minus UTC (None when the file does not say).
    ``time_base`` is ``"absolute"`` for wall-clock timestamps, ``"relative"`` when the device
    only knew seconds since power-on and the times could not be anchored.
    ``decoder_fallback`` is why the fast FIT decoder left the file to fitdecode (None when it
    did not).
    """

    sport: str = "generic"
    sub_sport: str | None = None
    start: pd.Timestamp | None = None
    utc_offset: dt.timedelta | None = None
    manufacturer: str | None = None
    product: str | None = None
    serial: str | None = None
    source: str | None = None
    sha256: str | None = None
    format: str | None = None
    decoder: str | None = None
    decoder_version: str | None = None
    decoder_fallback: str | None = None
    time_base: Literal["absolute", "relative"] = "absolute"

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view: timestamps as ISO 8601, the offset in seconds."""
        out = asdict(self)
        out["start"] = None if self.start is None else self.start.isoformat()
        out["utc_offset"] = None if self.utc_offset is None else self.utc_offset.total_seconds()
        return out

    @property
    def local_start(self) -> pd.Timestamp | None:
        """Start in the activity's own local time (tz-aware), or UTC when the offset is unknown."""
        if self.start is None:
            return None
        if self.utc_offset is None:
            return self.start
        return self.start.tz_convert(dt.timezone(self.utc_offset))


def empty_samples() -> pd.DataFrame:
    """A samples frame with no rows and the canonical (UTC) index."""
    return pd.DataFrame(index=pd.DatetimeIndex([], tz="UTC", name="time"), dtype="float64")


def empty_rr() -> pd.Series:
    """An RR series (ms) with no beats."""
    return pd.Series([], index=pd.DatetimeIndex([], tz="UTC", name="time"), name="rr",
                     dtype="float64")


def empty_pauses() -> pd.DataFrame:
    """A pauses frame with no rows: columns ``start`` and ``end`` (UTC)."""
    utc = pd.DatetimeTZDtype("ns", "UTC")
    return pd.DataFrame({"start": pd.Series(dtype=utc), "end": pd.Series(dtype=utc)})


@dataclass
class Activity:
    """One recorded activity in canonical form.

    Attributes
    ----------
    samples : DataFrame
        One row per recorded instant; UTC ``DatetimeIndex`` named ``time``; float64 columns
        from :data:`SAMPLE_COLUMNS` that the source has; NaN where missing.
    rr : Series
        Beat-to-beat intervals (ms), indexed by the UTC time of the beat that ends each one.
    laps, sessions : DataFrame
        One row per lap / session (``start``, ``end`` in UTC, ``sport``, and the summary
        fields the file gives). ``sessions`` has one row per sport of a multisport file.
    pauses : DataFrame
        Spans while the device's timer was stopped (``start``, ``end`` in UTC), from FIT
        timer events; empty when the source has none.
    developer : DataFrame
        Developer (Connect IQ) fields, one column ``dev.<data index>.<name>`` each, indexed
        like ``samples``. Kept apart so they never shadow native fields of the same name.
    meta : ActivityMeta
    warnings : list of str
        Everything the reader recovered from or dropped, one human-readable line each.
    status : "ok" or "partial"
        "partial" when the source was damaged and only part of it could be read.
    """

    samples: pd.DataFrame = field(default_factory=empty_samples)
    rr: pd.Series = field(default_factory=empty_rr)
    laps: pd.DataFrame = field(default_factory=pd.DataFrame)
    sessions: pd.DataFrame = field(default_factory=pd.DataFrame)
    developer: pd.DataFrame = field(default_factory=pd.DataFrame)
    pauses: pd.DataFrame = field(default_factory=empty_pauses)
    meta: ActivityMeta = field(default_factory=ActivityMeta)
    warnings: list[str] = field(default_factory=list)
    status: Status = "ok"

    @property
    def duration_s(self) -> float:
        """Elapsed time from the first to the last sample (s); 0 without samples."""
        if len(self.samples.index) < 2:
            return 0.0
        return (self.samples.index[-1] - self.samples.index[0]).total_seconds()

    @property
    def heart_rate_coverage(self) -> float:
        """Fraction of samples (0–1) that carry a heart rate."""
        if "heart_rate" not in self.samples or len(self.samples) == 0:
            return 0.0
        return float(self.samples["heart_rate"].notna().mean())

    @property
    def has_power(self) -> bool:
        """True when at least one sample carries power."""
        return "power" in self.samples and bool(self.samples["power"].notna().any())
