"""Who had the host's CPU while a visitor's browser drew a page: the browser, the web server, its workers.

On one host the visitor's browser, the server and the workers that compute for the other readers share
two cores, which a class does not: there each browser has a machine of its own. Counting each side's CPU
seconds during the visit says how much of the visitor's wait is the browser's own work, and how much
the server's load took from it.
"""

from __future__ import annotations

import contextlib
import statistics

import psutil

ROLES = ("browser", "server", "workers")


def processes(server_pid: int) -> dict[str, list[psutil.Process]]:
    """The processes of each role now: the browser's (Chromium, a descendant of this benchmark), the
    server's own, and everything under the server (its fork server and compute workers)."""
    server = psutil.Process(server_pid)
    return {"browser": _chromium(), "server": [server], "workers": server.children(recursive=True)}


def _chromium() -> list[psutil.Process]:
    """Chromium's processes under this benchmark (the server, its workers and the readers are Python)."""
    found = []
    for p in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "chrom" in p.name().lower():
                found.append(p)
    return found


def cpu_seconds(by_role: dict[str, list[psutil.Process]]) -> dict[str, float]:
    """User + system CPU seconds each role's processes have used so far (a process already gone counts 0:
    read the difference of two readings over the same process list)."""
    totals = {}
    for role, members in by_role.items():
        total = 0.0
        for p in members:
            with contextlib.suppress(psutil.Error):
                times = p.cpu_times()
                total += times.user + times.system
        totals[role] = total
    return totals


def used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {role: max(after[role] - before[role], 0.0) for role in before}


def browser_first(niceness: int) -> str | None:
    """Give the browser's scheduling group priority over every other group on the host (Linux autogroup
    nice, negative: root only), as if the browser had a machine of its own. Chromium runs in a session of
    its own, so one write sets its whole group. Returns why it could not, or None."""
    chromium = _chromium()
    if not chromium:
        return "no browser process"
    try:
        with open(f"/proc/{chromium[0].pid}/autogroup", "w") as group:
            group.write(str(niceness))
    except OSError as error:
        return f"not measured ({error.strerror}: needs root)"
    return None


def summary(visits: list[dict[str, float]]) -> str:
    """Median CPU seconds of each role over the visits."""
    parts = [f"{role} {statistics.median(v[role] for v in visits):.1f}" for role in ROLES]
    return ", ".join(parts) + " CPU s"
