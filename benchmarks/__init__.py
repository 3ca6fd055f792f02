"""Reproducible performance runs of Deskcore: ``python -m benchmarks run --help``."""
