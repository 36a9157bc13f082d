"""The terminal dashboard: one block per device, redrawn in place once a second (rich)."""

from __future__ import annotations

import math
import sys
from typing import Any, TextIO

from myokinetics.devices.session import DeviceState

__all__ = ["Dashboard", "render", "summary_line"]


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


#: Heart-rate zone colours 1-5 (Okabe & Ito's colour-blind-safe palette, cool to hot).
ZONE_COLOURS = ("#56B4E9", "#009E73", "#F0E442", "#E69F00", "#D55E00")
#: Seconds between the one-line summaries written when the output is not a terminal.
PIPE_EVERY_S = 10.0


def summary_line(state: DeviceState) -> str:
    """One line per device for logs and pipes: elapsed, heart rate, zone, load, HRV."""
    a = state.analysis
    return (f"{_clock(state.elapsed_s)} {state.label} [{state.link}] "
            f"HR {_num(state.bpm, 0, ' bpm')} zone {_num(a.get('zone'), 0)} "
            f"{a.get('trimp_label', 'TRIMP')} {_num(a.get('trimp'), 1)} "
            f"energy {_num(a.get('kcal'), 0, ' kcal')} RMSSD {_num(a.get('rmssd'), 1, ' ms')} "
            f"DFA a1 {_num(a.get('dfa_a1'), 2)}")


class Dashboard:
    """Draws the states: redrawn in place on a terminal (rich), one line per device every
    :data:`PIPE_EVERY_S` seconds otherwise. Colours follow the terminal and ``NO_COLOR``."""

    def __init__(self, stream: TextIO | None = None, title: str = "myokinetics live") -> None:
        from rich.console import Console

        self.stream = stream or sys.stdout
        self.title = title
        self.console = Console(file=self.stream, highlight=False)
        self.tty = self.console.is_terminal
        self._live: Any = None
        self._printed_at: dict[str, float] = {}
        self._last: list[DeviceState] = []

    def draw(self, states: list[DeviceState]) -> None:
        self._last = states
        if self.tty:
            self._draw_live(states)
            return
        for state in states:  # pipes: a line per device when 10 s of data have passed
            last = self._printed_at.get(state.label)
            if last is None or state.elapsed_s - last >= PIPE_EVERY_S or state.link == "saved":
                self.stream.write(summary_line(state) + "\n")
                self._printed_at[state.label] = state.elapsed_s
        self.stream.flush()

    def close(self) -> None:
        """Stop redrawing (the last frame stays on the screen); a pipe gets the final block."""
        if self._live is not None:
            self._live.stop()
            self._live = None
        elif not self.tty and self._last:
            lines = [f"{self.title} — final"]
            for state in self._last:
                lines.extend(render(state))
            self.stream.write("\n".join(lines) + "\n")
            self.stream.flush()

    def _draw_live(self, states: list[DeviceState]) -> None:
        from rich.console import Group
        from rich.live import Live
        from rich.text import Text

        parts: list[Any] = [Text(f"{self.title} — Ctrl-C ends the capture and saves it",
                                 style="bold", overflow="ellipsis", no_wrap=True)]
        for state in states:
            lines = render(state)
            zone = state.analysis.get("zone")
            colour = (ZONE_COLOURS[int(min(max(zone, 1), 5)) - 1]
                      if isinstance(zone, float) and math.isfinite(zone) else None)
            parts.append(Text(lines[0], style="bold", overflow="ellipsis", no_wrap=True))
            parts.append(Text(lines[1], style=colour or "", overflow="ellipsis", no_wrap=True))
            parts.extend(Text(line, overflow="ellipsis", no_wrap=True) for line in lines[2:])
        frame = Group(*parts)
        if self._live is None:
            self._live = Live(frame, console=self.console, auto_refresh=False)
            self._live.start()
        self._live.update(frame, refresh=True)
