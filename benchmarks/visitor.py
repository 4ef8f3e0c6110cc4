"""The load benchmark's 13th visitor: a new Chromium context opening a cached view while N readers compute,
timed to its first chart and to its last, with the CPU each side used meanwhile (`cpu_share`); and the same
visit to a page of one small chart, Streamlit's floor on this host.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time

from benchmarks import cpu_share
from benchmarks.serving import REPO, Server, background_load

_SEEDS = iter(range(1000, 10**6, 100))  # runs not cached yet, new ones on each call


def thirteenth_visitor(
    base: str,
    probe_query: str,
    sessions: int,
    readers_niceness: int = 0,
    visits: int = 3,
    page: str = "lab",
    server_pid: int | None = None,
    browser_niceness: int = 0,
) -> list[tuple[float, float, dict]] | str | None:
    """Seconds until a 13th visitor's browser draws the first chart of a cached view, and until it has
    drawn every chart, while N compute: one pair per visit, each a first visit (a new browser context:
    empty cache) under a load of its own. N = 0 is the same visit on an idle server: the floor the load
    adds to.

    `readers_niceness` is the priority of the N simulated readers' clients on this host (0: the same as
    the server and the browser; 19: as if their browsers ran elsewhere, as in a classroom). A negative
    `browser_niceness` puts the visitor's browser first on the host (as if it had a machine of its own);
    if that cannot be set, the reason is returned instead of timings. With `server_pid`, each visit also
    reports the CPU seconds the browser, the server and its workers used until the first chart."""
    from playwright.sync_api import sync_playwright

    from benchmarks.browser import ALL_CHARTS_JS, FIRST_CHART_JS
    from tests.e2e import browser_missing, launch

    if browser_missing():
        return None
    context = multiprocessing.get_context("spawn")
    timings = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        refused = cpu_share.browser_first(browser_niceness) if browser_niceness else None
        if refused:
            browser.close()
            return refused
        for _ in range(visits):
            readers = None
            if sessions:
                readers = context.Process(
                    target=background_load, args=(base, probe_query, sessions, readers_niceness, next(_SEEDS))
                )
                readers.start()
                time.sleep(3.0)
            visitor = browser.new_context(viewport={"width": 1400, "height": 1000})
            tab = visitor.new_page()
            roles = cpu_share.processes(server_pid) if server_pid else {}
            before = cpu_share.cpu_seconds(roles)
            started = time.monotonic()
            tab.goto(f"{base}/{page}?{probe_query}", wait_until="domcontentloaded")
            tab.wait_for_function(FIRST_CHART_JS, timeout=300_000)
            first = time.monotonic() - started
            cpu = cpu_share.used(before, cpu_share.cpu_seconds(roles))
            tab.wait_for_function(ALL_CHARTS_JS, timeout=300_000)
            timings.append((first, time.monotonic() - started, cpu))
            visitor.close()
            if readers is not None:
                readers.join()
        browser.close()
    return timings


def floor_rows(port: int) -> list[tuple[str, str, str]]:
    """The same visit, idle, to a Streamlit page of one small chart (benchmarks/floor_app.py, served from this
    checkout): what the browser takes for any Streamlit page here, which the lab's figures include."""
    floor = Server(REPO, "benchmarks/floor_app.py", port)
    try:
        timings = thirteenth_visitor(floor.base, "", 0, page="", server_pid=floor.process.pid)
    finally:
        floor.stop()
    if not isinstance(timings, list):
        return []
    firsts = [visit[0] for visit in timings]
    shown = ", ".join(f"{v:.1f}" for v in firsts)
    name = "Streamlit's floor: first chart of a page with one small chart, idle"
    cpu = cpu_share.summary([visit[2] for visit in timings])
    return [(name, f"{statistics.median(firsts):.1f} s ({shown})", f"any Streamlit page on this host; {cpu}")]


def visitor_rows(timings: list[tuple[float, float, dict]] | str | None, what: str) -> list[tuple[str, str, str]]:
    """The 13th visitor's first chart and last chart, median of the visits, each visit shown, and who used
    the CPU until the first chart."""
    if not isinstance(timings, list):
        return [(f"13th visitor's first chart (cached view, browser), {what}", timings or "no browser", "")]
    rows = []
    for index, (name, goal) in enumerate((("first chart", "goal <= 3 s (median of the visits)"), ("every chart", ""))):
        values = [pair[index] for pair in timings]
        shown = ", ".join(f"{v:.1f}" for v in values)
        rows.append(
            (
                f"13th visitor's {name} (cached view, browser), {what}",
                f"{statistics.median(values):.1f} s ({shown})",
                goal,
            )
        )
    if all(visit[2] for visit in timings):
        rows.append(
            (f"  CPU used until its first chart, {what} (median)", cpu_share.summary([v[2] for v in timings]), "")
        )
    return rows
