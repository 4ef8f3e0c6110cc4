"""python -m benchmarks load: a real server, N concurrent sessions through Streamlit's websocket protocol.

No browser: each session opens /_stcore/stream, asks for a page run (BackMsg.rerun_script with the page
name and query string), and counts ForwardMsg deltas until the run finishes. Several AppTests in threads
would share one runtime; these are independent sessions of one server, as N readers' tabs are.

    python -m benchmarks load [--sessions 12] [--repo PATH] [--entry explorer_server.py] [--browser]

--repo/--entry measure another checkout (the code before a change) the same way, for a side-by-side.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import statistics
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks import cpu_share
from tests.e2e import streamlit_command

REPO = Path(__file__).resolve().parents[1]
LOAD_RUN = dict(depth=20, width=64, steps=300)  # the figures: 2.1 s each alone on its host
FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")


def query(**fields) -> str:
    return "&".join(f"{k}={v}" for k, v in fields.items())


async def visit(base: str, page: str, query_string: str, timeout: float = 600) -> dict:
    """One session, one page run: seconds to the end of the run, deltas, errors shown, first chart time."""
    url = base.replace("http", "ws") + "/_stcore/stream"
    started = time.monotonic()
    first_chart = None
    deltas = errors = 0
    texts: list[str] = []
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query_string
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        async with asyncio.timeout(timeout):
            async for raw in ws:
                fwd = ForwardMsg()
                fwd.ParseFromString(raw)
                kind = fwd.WhichOneof("type")
                if kind == "delta":
                    deltas += 1
                    element = fwd.delta.new_element
                    which = element.WhichOneof("type")
                    if which == "exception":
                        errors += 1
                    if which in ("alert",):
                        texts.append(element.alert.body[:80])
                    if which in ("arrow_vega_lite_chart", "vega_lite_chart") and first_chart is None:
                        first_chart = time.monotonic() - started
                elif kind == "script_finished" and fwd.script_finished == FINISHED:
                    break
    return dict(seconds=time.monotonic() - started, deltas=deltas, errors=errors, first_chart=first_chart, alerts=texts)


class Server:
    """`streamlit run <entry>` in `repo` on a free port, with its process tree's memory sampled."""

    def __init__(self, repo: Path, entry: str, port: int, env: dict | None = None):
        command = streamlit_command(entry, port)
        self.base = f"http://127.0.0.1:{port}"
        full_env = {**os.environ, **(env or {}), "PYTHONPATH": str(repo)}
        self.process = subprocess.Popen(
            command, cwd=repo, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.peak_mb = self.peak_pss_mb = 0.0
        self._sampling = True
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(self.base + "/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    break
            time.sleep(0.3)
        threading.Thread(target=self._sample, daemon=True).start()

    def memory_mb(self) -> tuple[float, float]:
        """Memory of the server and every process under it (its fork server and workers), now: resident
        (RSS, which counts a page shared by forked processes in each of them) and proportional (PSS, which
        splits a shared page among its sharers, so the sum is what the processes take together)."""
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(self.process.pid)
            infos = [p.memory_full_info() for p in (root, *root.children(recursive=True)) if p.is_running()]
            return sum(i.rss for i in infos) / 2**20, sum(i.pss for i in infos) / 2**20
        return 0.0, 0.0

    def _sample(self) -> None:
        while self._sampling:
            rss, pss = self.memory_mb()
            self.peak_mb, self.peak_pss_mb = max(self.peak_mb, rss), max(self.peak_pss_mb, pss)
            time.sleep(0.25)

    def stop(self) -> None:
        self._sampling = False
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process(self.process.pid).children(recursive=True):
                child.terminate()
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(15)
        if self.process.poll() is None:
            self.process.kill()


async def load(base: str, sessions: int, probe_query: str, first_seed: int = 100) -> dict:
    """N lab sessions at once (different seeds), and the cached probe view timed while they run."""
    views = [visit(base, "lab", query(**LOAD_RUN, seed=first_seed + i)) for i in range(sessions)]
    started = time.monotonic()
    tasks = [asyncio.create_task(v) for v in views]
    probes = []
    await asyncio.sleep(2.0)
    while not all(t.done() for t in tasks) and len(probes) < 5:
        probes.append(await visit(base, "lab", probe_query))
        await asyncio.sleep(1.0)
    results = await asyncio.gather(*tasks)
    return dict(total=time.monotonic() - started, results=results, probes=probes)


def _background_load(base: str, probe_query: str, sessions: int, niceness: int, first_seed: int) -> None:
    """The N other readers' sessions (a child process): their websocket clients parse every delta the
    server sends them, work their own browsers would do on their own machines in a class."""
    if niceness:
        os.nice(niceness)
        _below_other_sessions(niceness)
    asyncio.run(load(base, sessions, probe_query, first_seed=first_seed))


def _below_other_sessions(niceness: int) -> None:
    """A session of this process's own, its autogroup niced. Linux's autogroup scheduling shares the CPU
    between sessions' groups before nice counts, so nice alone would leave the simulated readers a full
    group's share against the visitor's browser (which runs in a session of its own)."""
    with contextlib.suppress(OSError):  # if setsid fails, the group is still the benchmark's: left alone
        os.setsid()
        with open("/proc/self/autogroup", "w") as group:
            group.write(str(niceness))


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
                    target=_background_load, args=(base, probe_query, sessions, readers_niceness, next(_SEEDS))
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


def _stolen_share(before, after) -> float:
    """The share of the host's CPU time its hypervisor gave to other tenants between two readings: on a
    shared virtual machine, what made one run slower than another at the same load."""
    total = sum(after) - sum(before)
    return (getattr(after, "steal", 0.0) - getattr(before, "steal", 0.0)) / total if total > 0 else 0.0


def measure(repo: Path, entry: str, sessions: int, workers: int, browser: bool, port: int) -> list[tuple]:
    server = Server(repo, entry, port)
    try:
        probe_query = query(**LOAD_RUN, seed=99)
        asyncio.run(visit(server.base, "lab", query(depth=2, width=8, steps=5)))  # first run: imports, warm-up
        alone = asyncio.run(visit(server.base, "lab", probe_query))  # one run alone; caches the probe view
        idle_cached = statistics.median(
            [asyncio.run(visit(server.base, "lab", probe_query))["seconds"] for _ in range(3)]
        )
        before = psutil.cpu_times()
        outcome = asyncio.run(load(server.base, sessions, probe_query))
        stolen = _stolen_share(before, psutil.cpu_times())
        ideal = sessions * alone["seconds"] / workers
        probes = [p["seconds"] for p in outcome["probes"]]
        errors = sum(r["errors"] for r in outcome["results"] + outcome["probes"])
        busy = sum(bool(r["alerts"]) for r in outcome["results"])
        rows = [
            ("one lab run alone (depth 20, width 64, 300 steps)", f"{alone['seconds']:.1f} s", ""),
            (
                f"{sessions} sessions at once: all finished",
                f"{outcome['total']:.1f} s",
                f"ideal {ideal:.1f} s = {sessions} x one run / {workers} workers",
            ),
            (f"{sessions} sessions / ideal", f"{outcome['total'] / ideal:.2f}", "goal <= 1.3"),
            ("cached lab view: idle (median of 3)", f"{idle_cached:.2f} s", ""),
            (
                "cached lab view during the load (median, max)",
                f"{statistics.median(probes):.2f} s, {max(probes):.2f} s" if probes else "no probe",
                "goal <= 0.5 s",
            ),
            ("server + workers peak memory during the load (RSS)", f"{server.peak_mb:.0f} MB", "goal < 2500 MB"),
            ("the same, shared pages counted once (PSS)", f"{server.peak_pss_mb:.0f} MB", ""),
            ("sessions showing an error / a notice", f"{errors} / {busy}", "errors must be 0"),
            ("CPU time taken by other tenants of the host during the load (steal)", f"{stolen:.0%}", "noise"),
        ]
        if browser:
            loads = [
                (0, 0, 0, "nothing computing (idle)"),
                (sessions, 0, 0, f"{sessions} computing, readers' clients here"),
            ]
            loads += [(sessions, 19, 0, f"{sessions} computing, readers' clients niced")]
            # As in a class, where the visitor's browser has a machine of its own: first on the host.
            loads += [(sessions, 19, -10, f"{sessions} computing, readers niced, the browser first")]
            for load_sessions, niceness, browser_niceness, what in loads:
                timings = thirteenth_visitor(  # the cached view
                    server.base,
                    probe_query,
                    load_sessions,
                    niceness,
                    server_pid=server.process.pid,
                    browser_niceness=browser_niceness,
                )
                rows.extend(_visitor_rows(timings, what))
            rows.extend(_floor_rows(port + 1))
        return rows
    finally:
        server.stop()


def _floor_rows(port: int) -> list[tuple[str, str, str]]:
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


def _visitor_rows(timings: list[tuple[float, float, dict]] | str | None, what: str) -> list[tuple[str, str, str]]:
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks load")
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--repo", type=Path, default=REPO)
    parser.add_argument("--entry", default="explorer_server.py")
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="divisor of the ideal time (the cores that could run the sessions)",
    )
    parser.add_argument("--browser", action="store_true", help="also time a 13th visitor in Chromium")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    rows = measure(args.repo.resolve(), args.entry, args.sessions, args.workers, args.browser, args.port)
    print(f"# {args.repo.resolve()} :: {args.entry}, {os.cpu_count()} cores, {args.sessions} sessions")
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"| {name.ljust(width)} | {value} | {note} |")


if __name__ == "__main__":
    main()
