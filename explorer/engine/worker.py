"""What a compute worker process runs (a local pool's process or a Dask worker): no Streamlit here.

A job names a compute function of the package by module and qualified name, with its arguments, and the
code key the app computed it for. The worker checks that key against the code it imported, so a worker
never serves results of code that has changed since (under `streamlit run`, a saved file changes the
key; the app then replaces its workers). Results go back as the plain data the functions return.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import select
import threading
import time
import uuid
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[1]
# The code whose results are cached and computed by workers: everything a compute function can run.
COMPUTE_DIRS = ("engine", "lessons")

_key_cache: dict[tuple, str] = {}
_state: dict[str, Any] = {"key": None, "progress": None, "stopped": 0}


class StaleCode(RuntimeError):
    """The job was keyed on different code than this worker runs."""


def compute_sources() -> list[Path]:
    files = [PACKAGE / "__init__.py"]
    for folder in COMPUTE_DIRS:
        files.extend(sorted((PACKAGE / folder).glob("*.py")))
    return files


def code_key() -> str:
    """A hash of the compute code's source: it changes when any of those files does."""
    files = compute_sources()
    stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    if stamp not in _key_cache:
        digest = hashlib.sha256()
        for f in files:
            digest.update(f.name.encode() + b"\0" + f.read_bytes())
        _key_cache.clear()
        _key_cache[stamp] = digest.hexdigest()[:16]
    return _key_cache[stamp]


def resolve(module: str, name: str) -> Any:
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


# A local worker runs below the web server's priority: on a host where workers fill every core, pages
# that need no computation (cached views, charts, text) still get a core at once.
WORKER_NICENESS = 10


def initialize(progress: Any = None, niceness: int = 0, server_pid: int | None = None) -> None:
    """Start-up of a worker: torch imported, thread settings made, one tiny run done (the warm-up). With
    `server_pid`, the worker exits when that process does."""
    from explorer.engine import runtime, train
    from explorer.engine.config import RunConfig

    if niceness:
        os.nice(niceness)
    if server_pid is not None:  # a server killed outright leaves its pool's pipes open: leave with it
        threading.Thread(target=_exit_with, args=(server_pid,), daemon=True).start()
    _state["key"] = code_key()
    _state["progress"] = progress
    runtime.configure_threads()
    train.run(RunConfig(depth=1, width=2, steps=1, batch_size=8))


def _exit_with(pid: int) -> None:
    """Exit when process `pid` does. The server is not this worker's parent (the fork server is, and it lives
    as long as any worker does), so its end is watched directly: through a pidfd, which names that very
    process (a recycled pid cannot fool it), or where there is none by polling the pid."""
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux, or the server is already gone
        handle = None
    if handle is not None:
        select.select([handle], [], [])  # readable once the process has exited
    else:
        while _alive(pid):
            time.sleep(2.0)
    os._exit(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # PermissionError: it exists, under another user
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def ready() -> int:
    """A no-op job: returns the worker's process id once its start-up is done."""
    if _state["key"] is None:
        initialize()
    return os.getpid()


def execute(
    expected_key: str, module: str, name: str, args: tuple, kwargs: dict, progress_variable: str | None = None
) -> Any:
    """Run one job. A run of the training loop reports its progress: into the slot's shared value in a
    local pool's process, or into the Dask Variable named `progress_variable` on a Dask worker."""
    if _state["key"] is None:  # a Dask worker: started by `dask worker`, not by our pool
        initialize()
    if expected_key != _state["key"]:
        raise StaleCode(f"worker code {_state['key']}, job for {expected_key}")
    from explorer.engine import runtime, train

    runtime.configure_threads()
    target = resolve(module, name)
    if target is not train.run:
        return target(*args, **kwargs)
    shared = _state["progress"]
    if shared is not None:
        shared.value = 0.0
        return target(*args, **{**kwargs, "progress": lambda fraction: setattr(shared, "value", fraction)})
    if progress_variable is None:
        return target(*args, **kwargs)
    return _run_on_dask(target, args, kwargs, progress_variable)


DASK_REPORT_EVERY_S = 0.25  # each report is a round trip to the scheduler: at most four a second


class StoppedByApp(RuntimeError):
    """The app stopped this run (past its time limit): a Dask task cannot be interrupted from outside."""


PROGRESS_PREFIX, STOP_PREFIX = "explorer-progress-", "explorer-stop-"


def new_progress_variable() -> str:
    """A fresh name for one Dask run's progress Variable (its stop Event's name follows from it)."""
    return PROGRESS_PREFIX + uuid.uuid4().hex


def stop_event_name(progress_variable: str) -> str:
    """The Dask Event the app sets to stop the run that reports into `progress_variable`."""
    return STOP_PREFIX + progress_variable.removeprefix(PROGRESS_PREFIX)


def _run_on_dask(target: Any, args: tuple, kwargs: dict, progress_variable: str) -> Any:
    """A run on a Dask worker: at most four times a second it reports its progress into a Dask Variable
    and looks at its stop Event, and leaves (StoppedByApp) when the app has set it. Both are deleted
    from the scheduler when the run ends."""
    from distributed import Event, Variable  # only ever on a Dask worker, where the package is installed

    variable, stop = Variable(progress_variable), Event(stop_event_name(progress_variable))
    last = [float("-inf")]

    def report(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] < DASK_REPORT_EVERY_S:
            return
        last[0] = now
        stopped = False
        with contextlib.suppress(Exception):  # a report the scheduler misses must not end the run
            stopped = stop.is_set()
            variable.set(fraction)
        if stopped:
            _state["stopped"] += 1
            raise StoppedByApp("stopped by the app")

    try:
        return target(*args, **{**kwargs, "progress": report})
    finally:
        with contextlib.suppress(Exception):
            variable.delete()
            stop.clear()  # an Event nobody waits on is deleted when cleared


def stopped_runs() -> int:
    """How many runs this worker left because the app stopped them (for tests, through Client.run)."""
    return _state["stopped"]


def sleep(seconds: float) -> float:
    """A job that takes as long as asked (for tests of the queue and of stopping a worker)."""
    time.sleep(seconds)
    return seconds
