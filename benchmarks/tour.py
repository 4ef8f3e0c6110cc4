"""The guided tour: server time of each step's reveal (AppTest), with its run computed, then cached."""

from __future__ import annotations

import statistics
import time

from benchmarks.app import ENTRY


def reveals() -> list[tuple[str, str, str]]:
    """Open every step, pick an answer and press the reveal button: first with the step's experiment not
    yet computed in this process, then (after "try again") with it cached."""
    from streamlit.testing.v1 import AppTest

    from explorer.lessons import tour

    at = AppTest.from_file(ENTRY, default_timeout=300).run()
    at.switch_page("pages/tour.py")
    at.run()
    cold, warm = {}, {}
    for number, step in enumerate(tour.STEPS, start=1):
        at.radio(key="tour.step").set_value(number).run()
        for times in (cold, warm):
            at.radio(key=f"tour.guess.{step.key}").set_value(0)
            started = time.perf_counter()
            at.button(key=f"tour.reveal.{step.key}").click().run()
            times[step.key] = time.perf_counter() - started
            at.button(key=f"tour.again.{step.key}").click().run()
    slowest = max(cold, key=cold.get)
    return [
        ("tour reveal, experiment not yet computed (median)", f"{statistics.median(cold.values()) * 1000:.0f} ms", ""),
        (f"tour reveal, not yet computed, slowest ({slowest})", f"{cold[slowest] * 1000:.0f} ms", ""),
        ("tour reveal, experiment cached (median)", f"{statistics.median(warm.values()) * 1000:.0f} ms", ""),
        ("tour reveal, experiment cached (slowest step)", f"{max(warm.values()) * 1000:.0f} ms", "goal <= 1000 ms"),
    ]
