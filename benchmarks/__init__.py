"""Benchmarks: `python -m benchmarks` measures side by side in one run and prints a table."""
