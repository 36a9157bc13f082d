"""Sessions: one workout recorded by several devices, counted once.

A watch file and a chest-strap capture of the same run, a Zwift ride and the same ride on a
bike computer, a live capture and the watch file: each is a separate library activity, but
the body did the work once. Activities whose time spans overlap by at least
:data:`MIN_OVERLAP` of the shorter one are linked as one session (a plain touch, one activity
starting the second the last one stopped, is not an overlap). A session's load is counted
from its *primary* recording: the one with the best heart-rate data, ranked by
:func:`heart_rate_ranks` (RR intervals > chest strap > wrist > none), then the longer
recording, then the lower id.

The user overrides this in the catalog's ``session_choices`` table (``myokinetics merge``,
``unmerge``): activities given the same ``link`` are one session whatever their times,
an activity marked ``alone`` is never linked by overlap, and one marked ``is_primary`` is
counted for its session.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["MIN_OVERLAP", "heart_rate_ranks", "link_sessions"]

#: Overlap (fraction of the shorter activity's span) from which two activities are one session.
MIN_OVERLAP = 0.5

#: Device names of chest (or arm) straps: their heart rate is from the ECG or close to it.
_STRAP = re.compile(r"\b(?:h[0-9]{1,2}|hrm|tickr|strap|chest|verity|dual|wearlink|cooospo)\b",
                    re.IGNORECASE)


def heart_rate_ranks(frame: pd.DataFrame) -> pd.Series:
    """How good each activity's heart-rate data is: 3 RR intervals, 2 chest strap (a live
    capture or a strap-like device name), 1 heart rate from another device (wrist), 0 none."""
    strap = frame["format"].eq("recording") | frame["device"].fillna("").astype(str).str.contains(
        _STRAP)
    ranks = np.select([frame["rr_intervals"].to_numpy() > 0,
                       ~frame["has_heart_rate"].astype(bool).to_numpy(), strap.to_numpy()],
                      [3, 0, 2], 1)
    return pd.Series(ranks, index=frame.index, dtype=int)


def link_sessions(frame: pd.DataFrame, choices: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each activity's session and whether it is the one counted.

    Parameters
    ----------
    frame : DataFrame
        Catalog rows (``Library.activities()`` columns; ``start`` as UTC Timestamps).
    choices : DataFrame
        The ``session_choices`` rows: ``activity_id``, ``link`` (NaN when none), ``alone``,
        ``is_primary``.

    Returns
    -------
    DataFrame
        A copy with ``session`` (the lowest id among the session's activities), ``primary``
        (True for the recording counted) and ``session_size`` (recordings in the session).
    """
    out = frame.copy()
    ids = [int(i) for i in out["id"]]
    parent = {i: i for i in ids}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)

    chosen = choices.set_index("activity_id") if len(choices) else choices
    alone = {int(i) for i in chosen.index[chosen["alone"].astype(bool)]} if len(chosen) else set()
    for (a, b) in _overlapping(out, alone):
        join(a, b)
    if len(chosen):
        for _, members in chosen[chosen["link"].notna()].groupby("link"):
            known = [int(i) for i in members.index if int(i) in parent]
            for other in known[1:]:
                join(known[0], other)
    out["session"] = [root(i) for i in ids]
    out["session_size"] = out.groupby("session")["id"].transform("size").astype(int)
    picked = {int(i) for i in chosen.index[chosen["is_primary"].astype(bool)]} \
        if len(chosen) else set()
    ranks = heart_rate_ranks(out)
    order = pd.DataFrame({"id": out["id"], "session": out["session"],
                          "picked": out["id"].isin(picked), "rank": ranks,
                          "duration": out["duration_s"].fillna(0.0)})
    order = order.sort_values(["session", "picked", "rank", "duration", "id"],
                              ascending=[True, False, False, False, True], kind="mergesort")
    best = set(order.drop_duplicates("session")["id"])
    out["primary"] = out["id"].isin(best)
    return out


def _overlapping(frame: pd.DataFrame, alone: set[int]) -> list[tuple[int, int]]:
    """Pairs of ids whose spans overlap by :data:`MIN_OVERLAP` of the shorter one."""
    placed = frame["start"].notna()
    if "time_base" in frame:
        placed &= frame["time_base"].ne("relative")
    placed &= ~frame["id"].isin(alone)
    rows = frame[placed].sort_values("start", kind="mergesort")
    seconds = rows["start"].to_numpy(dtype="datetime64[ns]").astype(np.int64) / 1e9
    starts = seconds.tolist()  # plain floats: the loop below is per element
    ends = (seconds + rows["duration_s"].fillna(0.0).to_numpy(dtype="float64")).tolist()
    ids = [int(i) for i in rows["id"]]
    pairs = []
    open_: list[int] = []  # positions whose span may still reach later starts
    for j in range(len(ids)):
        open_ = [i for i in open_ if ends[i] > starts[j]]
        for i in open_:
            overlap = min(ends[i], ends[j]) - starts[j]
            shorter = min(ends[i] - starts[i], ends[j] - starts[j])
            if shorter > 0 and overlap >= MIN_OVERLAP * shorter:
                pairs.append((ids[i], ids[j]))
        open_.append(j)
    return pairs
