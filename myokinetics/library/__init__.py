"""The local activity library: import watch exports once, load activities by id.

``Library(path)`` is the entry point; see :mod:`myokinetics.library.core` for the folder
layout, :mod:`.store` for the per-activity Parquet file, :mod:`.catalog` for the SQLite
catalog and :mod:`.importer` for batch import.
"""

from myokinetics.library.core import Library, default_library_path
from myokinetics.library.importer import ImportReport, Outcome

__all__ = ["ImportReport", "Library", "Outcome", "default_library_path"]
