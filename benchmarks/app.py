"""The app's server side: a cached page rerun (AppTest), and how many bytes of charts a page sends."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ENTRY = str(Path(__file__).resolve().parents[1] / "explorer_app.py")


def _lab() -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=300).run()
    at.switch_page("pages/lab.py")
    return at


def cached_rerun(repeats: int = 7) -> list[tuple[str, str, str]]:
    """Rerun the default lab page once its run is cached: the server time a reader waits per click."""
    at = _lab()
    started = time.perf_counter()
    at.run()  # computes (or finds) the default run
    first = time.perf_counter() - started
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        at.run()
        samples.append(time.perf_counter() - started)
    return [
        ("lab page, first run in this process (AppTest)", f"{first * 1000:.0f} ms", ""),
        (
            "lab page rerun, run cached (AppTest, median)",
            f"{statistics.median(samples) * 1000:.0f} ms",
            "goal <= 150 ms",
        ),
    ]


def chart_bytes() -> list[tuple[str, str, str]]:
    """Bytes of the chart messages (Vega-Lite spec + inline data) of every page at its defaults."""
    from explorer.app.navigation import PAGES

    paths = [path for entries in PAGES.values() for path, *_ in entries]
    rows = []
    largest = 0
    for path in paths:
        at = AppTest.from_file(ENTRY, default_timeout=300).run()
        at.switch_page(path)
        at.run()
        total = sum(chart.proto.ByteSize() for chart in at.get("vega_lite_chart"))
        largest = max(largest, total)
        rows.append((f"chart data sent by {path}", f"{total / 1024:.0f} KB", ""))
    rows.append(("largest page's chart data", f"{largest / 1024:.0f} KB", "goal <= 1024 KB"))
    return rows
