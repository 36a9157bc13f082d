"""Writing activities out: FIT (for other tools and watches), TCX and CSV."""

from myokinetics.export.writers import FORMATS, export

__all__ = ["FORMATS", "export"]
