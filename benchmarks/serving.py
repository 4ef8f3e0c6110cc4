"""The load benchmark's server side: `streamlit run` on a free port with its memory sampled, and N readers'
sessions through Streamlit's websocket protocol (each opens /_stcore/stream, asks for a page run with
BackMsg.rerun_script, and counts the ForwardMsg deltas until the run finishes). Several AppTests in threads
would share one runtime; these are independent sessions of one server, as N readers' tabs are.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

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


def background_load(base: str, probe_query: str, sessions: int, niceness: int, first_seed: int) -> None:
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
