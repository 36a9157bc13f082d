"""What a person opens: the files written from an analysis (tables, summary JSON, PNG plots,
the HTML pages)."""

from myokinetics.report.files import plot_load, write_analysis
from myokinetics.report.summary import plain, summary

__all__ = ["plain", "plot_load", "summary", "write_analysis"]
