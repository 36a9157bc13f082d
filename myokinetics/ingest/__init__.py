"""Reading watch exports into the canonical :class:`~myokinetics.activity.Activity`."""

from myokinetics.ingest.dispatch import read

__all__ = ["read"]
