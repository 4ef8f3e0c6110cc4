"""Load and fault tests of a shared demo (issues 6 and 10): twelve readers at once, and a server restart.

Twelve sessions with different small lab configs, all computing at once: their runs queue in front of
the server's worker processes, and every tab ends with its own charts and no error. How long that takes
(and a 13th visitor's first chart) is measured by `python -m benchmarks load`, not asserted here.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from explorer import RunConfig
from tests.app_registry import page
from tests.e2e import VIEWPORT, serve

pytestmark = pytest.mark.browser
MEMORY_BUDGET_MB = 2500
MIN_CHARTS = 2  # the lab opens on its first section: the per-layer norms and the theory
# the page is idle and every lab chart is present and drawn (SVG marks, or a canvas for the large ones)
DONE_JS = """
(least) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const embeds = [...document.querySelectorAll('.vega-embed')];
  return embeds.length >= least && embeds.every(e => e.querySelector('canvas') || e.querySelector('svg g.role-mark'));
}
"""
ALL_DONE_S = 600  # all twelve tabs, together; how long they take is the benchmark's business
CONFIGS = [
    RunConfig(depth=d, width=32, activation=a, init=i, steps=120, seed=s)
    for d, a, i, s in [
        (12, "sigmoid", "lecun", 1),
        (20, "relu", "he", 2),
        (8, "tanh", "xavier", 3),
        (16, "elu", "lecun", 4),
        (24, "leaky_relu", "he", 5),
        (10, "gelu", "orthogonal", 6),
        (14, "sigmoid", "xavier", 7),
        (18, "tanh", "lecun", 8),
        (22, "relu", "orthogonal", 9),
        (6, "elu", "he", 10),
        (26, "gelu", "he", 11),
        (9, "leaky_relu", "xavier", 12),
    ]
]


def server_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                command = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(command) and port.encode() in command:
                return int(proc.name)
    raise AssertionError(f"no streamlit process on port {port}")


def peak_memory_mb(pid: int) -> float:
    """VmHWM: the process's peak resident memory since it started, summed over it and its children (the
    compute workers), each at its own peak: an upper bound of what they held at once."""
    import psutil

    total = 0.0
    for proc in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
        except OSError:
            continue
        total += int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024
    return total


def open_all(browser, urls: list[str]) -> list[dict]:
    """Open every URL in its own session at once, then watch them all until each is idle and drawn twice
    in a row, half a second apart (the first idle can come before the entry's rerun), reading and closing
    each tab as soon as it is done: a finished tab's animation then stops taking the host's CPU from the
    others. Fails only if some tab is not done after ALL_DONE_S."""
    pending = {}
    for index, url in enumerate(urls):
        context = browser.new_context(viewport=VIEWPORT)
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        tab.goto(url, wait_until="commit", timeout=ALL_DONE_S * 1000)
        pending[index] = (context, tab, errors)
    results: dict[int, dict] = {}
    seen_done: set[int] = set()
    deadline = time.monotonic() + ALL_DONE_S
    while pending and time.monotonic() < deadline:
        for index, (context, tab, errors) in list(pending.items()):
            if not tab.evaluate(DONE_JS, MIN_CHARTS):
                seen_done.discard(index)
                continue
            if index not in seen_done:  # done once: look again on the next round
                seen_done.add(index)
                continue
            results[index] = {
                "exceptions": len(tab.query_selector_all('[data-testid="stException"]')),
                "errors": errors,
                "charts": len(tab.query_selector_all(".vega-embed")),
                "metrics": [m.inner_text() for m in tab.query_selector_all('[data-testid="stMetricValue"]')],
            }
            context.close()
            del pending[index]
        time.sleep(0.5)
    for context, _, _ in pending.values():
        context.close()
    assert not pending, f"tabs {sorted(pending)} not drawn after {ALL_DONE_S} s"
    return [results[index] for index in range(len(urls))]


def test_twelve_concurrent_sessions_render_within_the_memory_budget(chromium, app_url):
    lab = page("lab")
    urls = [f"{app_url}/{lab.url}?" + "&".join(f"{k}={v}" for k, v in c.to_query().items()) for c in CONFIGS]
    started = time.monotonic()
    results = open_all(chromium, urls)
    seconds = time.monotonic() - started
    peak = peak_memory_mb(server_pid(app_url))
    print(
        f"\n{len(CONFIGS)} concurrent lab sessions rendered in {seconds:.1f} s; server + workers peak memory "
        f"{peak:.0f} MB "
        f"(budget {MEMORY_BUDGET_MB} MB)"
    )
    for config, result in zip(CONFIGS, results, strict=True):
        assert result["exceptions"] == 0 and not result["errors"], (config, result)
        assert result["charts"] >= MIN_CHARTS and len(result["metrics"]) == 4, (config, result)
    assert len({tuple(r["metrics"]) for r in results}) == len(CONFIGS)  # twelve different runs, twelve answers
    assert peak < MEMORY_BUDGET_MB


def test_a_server_restart_loses_nothing_a_reader_needs(chromium):
    """The state is in the URL: the same link after a restart shows the same measured numbers."""
    config = RunConfig(depth=7, width=24, activation="tanh", init="uniform", steps=60, seed=11)
    with serve() as base:
        port = int(base.rsplit(":", 1)[1])
        url = f"{base}/{page('lab').url}?" + "&".join(f"{k}={v}" for k, v in config.to_query().items())
        (before,) = open_all(chromium, [url])
    with serve(port=port):
        (after,) = open_all(chromium, [url])
    assert before["exceptions"] == after["exceptions"] == 0
    assert before["metrics"] == after["metrics"] and len(before["metrics"]) == 4
