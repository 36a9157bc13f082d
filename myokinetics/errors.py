"""The one exception tree of myokinetics.

Every error raised to a user derives from :class:`MyokineticsError` and renders as one line:
``<where>: <what is wrong> — <what to do>``. Subclasses also derive from the built-in that fits,
so ``except ValueError`` keeps working for callers who do not know this package.
"""

from __future__ import annotations

from os import PathLike

__all__ = [
    "AthleteError",
    "DeviceError",
    "InputError",
    "LibraryError",
    "MyokineticsError",
    "OutputBusyError",
    "UnsupportedFormatError",
]


class MyokineticsError(Exception):
    """Base class: ``where`` names the file, device or setting, ``hint`` what to do."""

    def __init__(self, where: str | PathLike[str], what: str, hint: str = "") -> None:
        self.where = str(where)
        self.what = what
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message as printed on the command line (a single line)."""
        text = f"{self.where}: {self.what}"
        if self.hint:
            text += f" — {self.hint}"
        return " ".join(text.split())


class InputError(MyokineticsError, ValueError):
    """A file that cannot be read: empty, corrupt beyond recovery, or missing."""


class UnsupportedFormatError(InputError):
    """A file whose content is none of the formats myokinetics reads."""


class AthleteError(MyokineticsError, ValueError):
    """An athlete profile with a missing, malformed or implausible value."""


class LibraryError(MyokineticsError, OSError):
    """The local activity library (folder, catalog or an entry in it) is unusable."""


class OutputBusyError(MyokineticsError, OSError):
    """An output folder that another run is writing."""


class DeviceError(MyokineticsError, OSError):
    """A Bluetooth device or adapter problem: not found, not available, link lost."""
