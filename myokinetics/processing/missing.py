"""Which figures a recording cannot give, and what input would give them.

A ride recorded without heart rate has no TRIMP, HRSS, zones, EPOC or model curves; they are
reported as not computed (None), never as 0, and this module words the one-line note that
``analyze``, ``show`` and summary.json carry, so the user knows what to record or set.
"""

from __future__ import annotations

__all__ = ["HR_FIGURES", "not_computed", "not_computed_line"]

#: Figures that need heart rate (the plain totals; their variants follow them).
HR_FIGURES = ("trimp", "hrss", "zones", "EPOC", "the model curves")


def not_computed(has_heart_rate: bool, has_power: bool, power_energy: bool,
                 ftp_known: bool | None) -> list[str]:
    """One entry per group of figures that cannot be computed: what is missing, what gives it.

    Parameters
    ----------
    has_heart_rate : bool
        Any heart rate in the recording.
    has_power : bool
        Any power in the recording.
    power_energy : bool
        Energy comes from power where there is power (a cycling activity).
    ftp_known : bool or None
        The athlete's FTP is set (None: not known here, e.g. ``show``).
    """
    missing = []
    if not has_heart_rate:
        missing.append("TRIMP, HRSS, zones, EPOC and the model curves need heart rate (record "
                       "with a chest strap or the watch's heart-rate sensor on)")
        if not (has_power and power_energy):
            missing.append("energy needs heart rate, or power in a cycling activity")
    if has_power and ftp_known is False:
        missing.append("TSS and IF need your FTP (set ftp_w with `myokinetics athlete init`)")
    return missing


def not_computed_line(missing: list[str]) -> str:
    """The note as one line, or '' when everything was computed."""
    return ("not computed: " + "; ".join(missing)) if missing else ""
