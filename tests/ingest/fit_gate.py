"""The fast FIT decoder's gate: its Activity equals the fitdecode path's."""

from __future__ import annotations

import pandas as pd

from myokinetics import Activity, MyokineticsError
from myokinetics.ingest.dispatch import read_bytes

#: Meta fields that name the decoder, so differ by design.
DECODER_FIELDS = ("decoder", "decoder_version", "decoder_fallback")


def read_or_error(data: bytes, backend: str) -> Activity | str:
    """The activity, or the one-line error."""
    try:
        return read_bytes(data, "gate.fit", backend=backend)
    except MyokineticsError as error:
        return error.one_line()


def assert_same_activity(fast: Activity | str, reference: Activity | str) -> None:
    """Equal frames (NaNs equal), RR, meta (decoder aside), status and number of warnings;
    or the same error."""
    if isinstance(fast, str) or isinstance(reference, str):
        assert fast == reference
        return
    for name in ("samples", "developer", "laps", "sessions", "pauses"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(reference, name),
                                      check_exact=True, obj=name)
    pd.testing.assert_series_equal(fast.rr, reference.rr, check_exact=True, obj="rr")
    ours, theirs = fast.meta.as_dict(), reference.meta.as_dict()
    for name in DECODER_FIELDS:
        ours.pop(name), theirs.pop(name)
    assert ours == theirs
    assert fast.status == reference.status
    assert len(fast.warnings) == len(reference.warnings), (fast.warnings, reference.warnings)
