"""Benchmarks for clopos_async; run each with ``python -m benchmarks.<name>``."""
