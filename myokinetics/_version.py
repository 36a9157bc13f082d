"""The package version, in one place (read by the package, the recordings and pyproject)."""

__version__ = "0.1.0"
