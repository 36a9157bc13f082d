"""The terminal dashboard: plain text, one block per device, redrawn once a second."""

from __future__ import annotations

import math
import sys
from typing import Any, TextIO

from myokinetics.devices.session import DeviceState

__all__ = ["Dashboard", "render"]

_CLEAR = "\x1b[H\x1b[2J"


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600:d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _num(value: Any, digits: int = 0, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value:.{digits}f}{unit}"


def render(state: DeviceState) -> list[str]:
    """The dashboard lines of one device (see DeviceState for units)."""
    a = state.analysis
    battery = f"  battery {state.battery_percent}%" if state.battery_percent is not None else ""
    contact = "  no skin contact" if state.contact is False else ""
    lines = [f"{state.label}  [{state.link}]  {_clock(state.elapsed_s)}{battery}{contact}",
             f"  HR {_num(state.bpm, 0, ' bpm')}   zone {_num(a.get('zone'), 0)}   "
             f"%HRR {_num(a.get('pct_hrr'), 0, '%')}"]
    if a:
        lines.append(f"  load   {a.get('trimp_label', 'TRIMP')} {_num(a.get('trimp'), 1)}   "
                     f"{a.get('hrss_label', 'HRSS')} {_num(a.get('hrss'), 1)}   "
                     f"energy {_num(a.get('kcal'), 0, ' kcal')}")
    hrv = (f"  HRV    RMSSD {_num(a.get('rmssd'), 1, ' ms')}   DFA α1 {_num(a.get('dfa_a1'), 2)}"
           if state.beats else "  HRV    waiting for RR intervals")
    lines.append(f"{hrv}   (beats {state.beats}, rejected {state.rr_rejected})")
    if "il6" in a:
        lines.append(f"  IL-6   {_num(a.get('il6'), 2, ' pg/mL')} now, peak "
                     f"{_num(a.get('il6_projected'), 2, ' pg/mL')} if you stop now")
        lines.append(f"  glycogen {_num(_pct(a.get('glycogen')), 0, '%')} now, "
                     f"{_num(_pct(a.get('glycogen_projected')), 0, '%')} {_hours(a)} after "
                     "stopping   (model estimates, not measurements)")
    if "analysis_error" in a:
        lines.append(f"  live numbers stopped ({a['analysis_error']}); still recording")
    if state.gaps or state.reconnects:
        lines.append(f"  link   {state.gaps} gaps, {state.reconnects} reconnects")
    return lines


def _hours(values: dict[str, Any]) -> str:
    from myokinetics.devices.live_analysis import PROJECTION_HORIZON

    return f"{PROJECTION_HORIZON.total_seconds() / 3600:g} h"


def _pct(fraction: Any) -> float | None:
    return None if fraction is None else 100.0 * float(fraction)


class Dashboard:
    """Draws the states on a terminal (redrawn in place) or a pipe (appended blocks)."""

    def __init__(self, stream: TextIO | None = None, title: str = "myokinetics live") -> None:
        self.stream = stream or sys.stdout
        self.title = title
        self.tty = self.stream.isatty()

    def draw(self, states: list[DeviceState]) -> None:
        lines = [f"{self.title} — Ctrl-C ends the capture and saves it"]
        for state in states:
            lines.extend(render(state))
        text = "\n".join(lines) + "\n"
        self.stream.write(_CLEAR + text if self.tty else text)
        self.stream.flush()
