"""Benchmarks: each ``bench_*.py`` module has ``main() -> None`` and prints medians and ratios."""
