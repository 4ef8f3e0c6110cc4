"""The compute executors behind the queue: a local pool of worker processes, or a Dask cluster.

Both are `concurrent.futures.Executor`s. The local pool gives each worker a single-process executor of
its own (a slot), so work is handed to a worker only when the queue sends it there: nothing waits inside
a worker where it could no longer be withdrawn, and a killed worker breaks only its own job.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from explorer.engine import worker

# Workers are forked from a fork server: a fresh process (never the server itself, which has threads) that
# imports the heavy third-party modules once and then only forks. A worker that replaces a stopped one, or
# one started for edited code, is ready in ~0.1 s instead of ~2.6 s for a fresh interpreter to import
# torch (`python -m benchmarks pool`). Only third-party modules are preloaded: each worker imports the
# package's own code from disk, so it runs the code the app keyed its jobs on (worker.code_key).
# Nothing runs a tensor operation in the fork server, so no OpenMP pool exists to be copied into a fork.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["torch", "torch._dynamo", "torch.func", "numpy", "pandas"])


def default_workers() -> int:
    """EXPLORER_WORKERS, else one per core this process may run on (a container's CPU set included)."""
    raw = os.environ.get("EXPLORER_WORKERS", "").strip()
    if raw.isdigit():  # anything else (a typo) means the default rather than a server that cannot start
        return int(raw)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class Slot:
    executor: ProcessPoolExecutor
    progress: object  # a shared double the worker writes its run's progress into
    code_key: str
    busy: Future | None = None
    pid: int | None = None
    replaced: int = field(default=0)


class WorkerPool(Executor):
    """`workers` processes, one job each at a time; `submit` needs a free worker (the queue sees to it)."""

    def __init__(self, workers: int):
        self.capacity = workers
        self._lock = threading.RLock()
        self._slots = [self._new_slot() for _ in range(workers)]
        self.restarts = 0

    def _new_slot(self) -> Slot:
        progress = _CONTEXT.Value("d", 0.0, lock=False)
        executor = ProcessPoolExecutor(
            1,
            mp_context=_CONTEXT,
            initializer=worker.initialize,
            initargs=(progress, worker.WORKER_NICENESS, os.getpid()),
        )
        slot = Slot(executor, progress, worker.code_key())
        slot.busy = executor.submit(worker.ready)  # starts and warms the process now
        slot.busy.add_done_callback(lambda f, s=slot: self._warmed(s, f))
        return slot

    def _warmed(self, slot: Slot, future: Future) -> None:
        with self._lock:
            if slot.busy is future:
                slot.busy = None
            if not future.cancelled() and future.exception() is None:
                slot.pid = future.result()

    def warm(self, timeout: float | None = None) -> None:
        """Block until every worker has started (torch imported, one tiny run done)."""
        for slot in list(self._slots):
            future = slot.busy
            if future is not None:
                with contextlib.suppress(Exception):
                    future.result(timeout)

    def free(self) -> int:
        with self._lock:
            return sum(slot.busy is None for slot in self._slots)

    def submit(self, fn, /, *args, **kwargs) -> Future:
        key = worker.code_key()
        with self._lock:
            index = next((i for i, s in enumerate(self._slots) if s.busy is None), None)
            if index is None:
                raise RuntimeError("no free worker: the queue submits only when one is free")
            if self._slots[index].code_key != key:  # the code changed since this worker started
                self._replace(index, restart=False, free_now=True)
            slot = self._slots[index]
            try:
                future = slot.executor.submit(fn, *args, **kwargs)
            except BrokenProcessPool:  # its worker died while idle (killed, out of memory): the job goes to
                slot = self._replace(index, free_now=True)  # a fresh one
                future = slot.executor.submit(fn, *args, **kwargs)
            slot.busy = future
            slot.progress.value = 0.0
        future.add_done_callback(lambda f, s=slot: self._finished(s, f))
        return future

    def _replace(self, index: int, *, kill: bool = False, restart: bool = True, free_now: bool = False) -> Slot:
        """A fresh worker in slot `index`. `free_now`: a job may go to it at once (its warm-up runs ahead of
        that job in its process); else it is free once warm."""
        self._retire(self._slots[index], kill=kill)
        slot = self._slots[index] = self._new_slot()
        if free_now:
            slot.busy = None
        self.restarts += restart
        return slot

    def _finished(self, slot: Slot, future: Future) -> None:
        with self._lock:
            if slot.busy is future:
                slot.busy = None
            broken = not future.cancelled() and isinstance(future.exception(), BrokenProcessPool)
            if broken and slot in self._slots:  # the worker died (killed, out of memory): replace it
                self._replace(self._slots.index(slot))

    def progress(self, future: Future) -> float | None:
        with self._lock:
            slot = next((s for s in self._slots if s.busy is future), None)
            return None if slot is None else float(slot.progress.value)

    def cpu_seconds(self, future: Future) -> float | None:
        """CPU seconds (user + system) the worker running `future` has used so far; None if unknown (not
        Linux, or no such worker)."""
        with self._lock:
            slot = next((s for s in self._slots if s.busy is future), None)
            pid = None if slot is None else slot.pid
        if pid is None:
            return None
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (proc(5))

    def stop(self, future: Future) -> bool:
        """Kill the worker running `future` and start a fresh one in its place; the future fails."""
        with self._lock:
            index = next((i for i, s in enumerate(self._slots) if s.busy is future), None)
            if index is None:
                return False
            self._replace(index, kill=True)
        return True

    @staticmethod
    def _retire(slot: Slot, kill: bool = False) -> None:
        if kill:
            for process in list((slot.executor._processes or {}).values()):  # noqa: SLF001
                with contextlib.suppress(Exception):
                    process.kill()
        slot.executor.shutdown(wait=False, cancel_futures=not kill)  # killed: its job fails as broken

    def pids(self) -> list[int]:
        pids = []
        for slot in self._slots:
            pids.extend((slot.executor._processes or {}).keys())  # noqa: SLF001
        return pids

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            slots, self._slots = self._slots, []
        for slot in slots:
            slot.executor.shutdown(wait=wait, cancel_futures=cancel_futures)


class DaskPool:
    """A Dask distributed cluster behind the same calls: its client's Executor, capacity = its threads."""

    def __init__(self, address: str):
        import distributed

        self.client = distributed.Client(address, timeout="10s")
        self._executor = self.client.get_executor(pure=False)
        self.restarts = 0
        self._running: dict[Future, str | None] = {}  # running job -> its progress Variable
        self._lock = threading.Lock()

    @property
    def capacity(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def free(self) -> int:
        with self._lock:
            return self.capacity - len(self._running)

    def submit(self, fn, /, *args, **kwargs) -> Future:
        variable = None
        if fn is worker.execute:  # a run reports its progress into a Dask Variable of its own
            variable = worker.new_progress_variable()
            kwargs = {**kwargs, "progress_variable": variable}
        future = self._executor.submit(fn, *args, **kwargs)
        with self._lock:
            self._running[future] = variable
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future: Future) -> None:
        with self._lock:
            self._running.pop(future, None)

    def progress(self, future: Future) -> float | None:
        """The run's last report (None before its first one: the page then shows time against the
        estimate). A scheduler round trip of a few ms, made only while the page polls."""
        import distributed

        with self._lock:
            variable = self._running.get(future)
        if variable is None:
            return None
        try:
            return float(distributed.Variable(variable, client=self.client).get(timeout=0.01))
        except Exception:  # not reported yet (TimeoutError), deleted at the end, or the scheduler is away
            return None

    def stop(self, future: Future) -> bool:
        """Dask cannot interrupt a running task from outside: release it, and set its stop Event, which a
        run looks at when it reports its progress (at most 0.25 s later) and then leaves."""
        import distributed

        with self._lock:
            variable = self._running.get(future)
        if variable is not None:
            with contextlib.suppress(Exception):  # the scheduler is away: the task is released all the same
                distributed.Event(worker.stop_event_name(variable), client=self.client).set()
        future.cancel()
        self._finished(future)
        return True

    def warm(self, timeout: float | None = None) -> None:
        self.client.run(worker.ready)

    def pids(self) -> list[int]:
        return []  # processes on other hosts: not this server's memory

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait)
        self.client.close()


def make_pool():
    """The pool this server uses: Dask when EXPLORER_DASK_SCHEDULER is set, else local processes."""
    address = os.environ.get("EXPLORER_DASK_SCHEDULER", "").strip()
    if address:
        return DaskPool(address)
    return WorkerPool(default_workers())
