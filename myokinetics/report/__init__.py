"""What a person opens: the files written from an analysis (tables, summary JSON, PNG plots)."""

from myokinetics.report.files import plain, plot_load, summary, write_analysis

__all__ = ["plain", "plot_load", "summary", "write_analysis"]
