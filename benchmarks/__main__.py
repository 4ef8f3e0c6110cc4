"""python -m benchmarks: every figure measured in this one process (and its children), printed as a table."""

from __future__ import annotations

import os
import platform
import sys

from benchmarks import app, browser, engine, pool, tour


def main() -> None:
    if sys.argv[1:2] in (["load"], ["bound"]):  # the slow ones, on their own
        import importlib

        importlib.import_module(f"benchmarks.{sys.argv[1]}").main(sys.argv[2:])
        return
    rows = []
    sections = (
        engine.overhead,
        engine.overhead_wide,
        engine.threads,
        engine.cold_default,
        engine.bounded_runs,
        pool.worker_start,
        app.cached_rerun,
        app.chart_bytes,
        tour.reveals,
        browser.first_chart,
    )
    if sys.argv[1:2] == ["engine"]:  # the engine's own figures only (about a minute)
        sections = (engine.overhead, engine.overhead_wide, engine.cold_default)
    if sys.argv[1:2] == ["pool"]:  # the worker pool's start and recovery (under half a minute)
        sections = (pool.worker_start,)
    for section in sections:
        rows.extend(section())
    print(f"# machine: {os.cpu_count()} cores, Python {platform.python_version()}")
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure'.ljust(width)} | value | note |")
    print(f"|{'-' * (width + 2)}|-------|------|")
    for name, value, note in rows:
        print(f"| {name.ljust(width)} | {value} | {note} |")


if __name__ == "__main__":
    main()
