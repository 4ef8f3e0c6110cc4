"""python -m benchmarks load: a real server, N concurrent sessions through Streamlit's websocket protocol.

No browser for the N sessions (`serving`: each a websocket client of Streamlit's protocol); with --browser,
a 13th visitor in Chromium as well (`visitor`).

    python -m benchmarks load [--sessions 12] [--repo PATH] [--entry explorer_server.py] [--browser]

--repo/--entry measure another checkout (the code before a change) the same way, for a side-by-side.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
from pathlib import Path

import psutil

from benchmarks import visitor
from benchmarks.serving import LOAD_RUN, REPO, Server, load, query, visit


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
                timings = visitor.thirteenth_visitor(  # the cached view
                    server.base,
                    probe_query,
                    load_sessions,
                    niceness,
                    server_pid=server.process.pid,
                    browser_niceness=browser_niceness,
                )
                rows.extend(visitor.visitor_rows(timings, what))
            rows.extend(visitor.floor_rows(port + 1))
        return rows
    finally:
        server.stop()


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
