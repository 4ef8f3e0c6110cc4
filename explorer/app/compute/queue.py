"""The queue in front of the workers: what runs next, who waits for it, how long the wait is.

Jobs are keyed on (code key, function, arguments): sessions asking for the same computation wait on one
job. A job is handed to a worker only when one is free, so until then it can be withdrawn. Order is by
page view: a view's jobs keep the place of its first one, so a page that needs several runs has them run
together. A session has one current view: a newer one withdraws the session from its older queued jobs,
and a job nobody waits for any more leaves the queue. A job far past its estimate is stopped and its
worker replaced. No Streamlit here (waiting.py is the page's side).
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import OrderedDict
from concurrent.futures import BrokenExecutor, Future
from dataclasses import dataclass, field
from typing import Any

BUSY_SECONDS = 120.0  # a wait longer than this is refused: "the demo is busy, try again shortly"
REMEMBERED_RESULTS = 32  # finished results kept for the pages that asked (and whoever asks next)


def time_limit(estimate: float) -> float:
    """How long a job may run before it is stopped: far past its estimate, never under a minute."""
    return max(60.0, 4.0 * estimate + 30.0)


# The limit counts the CPU time the job's worker got, where the pool can tell (a local worker): a worker
# starved by a busy host (twelve browser tabs loading on the same two cores) is slow, not runaway, and was
# stopped after a minute of waiting for a core. A job that gets no CPU at all (stuck) is still stopped by
# wall time, at WALL_FACTOR times the limit.
WALL_FACTOR = 5.0


class Busy(Exception):
    """The queue is too long: the wait would be `seconds`."""

    def __init__(self, seconds: float):
        super().__init__(f"wait of {seconds:.0f} s")
        self.seconds = seconds


class Stopped(Exception):
    """The job ran far past its estimate and was stopped; its worker was replaced. (A worker that dies
    mid-job fails its job with the executor's BrokenExecutor instead: the page tells the two apart.)"""


@dataclass
class Job:
    key: tuple
    call: tuple  # (fn, args) handed to the executor
    estimate: float
    order: tuple
    waiters: set = field(default_factory=set)
    done: Future = field(default_factory=Future)
    handle: Future | None = None
    started: float | None = None
    cpu_started: float | None = None  # the worker's CPU seconds when the job started, if the pool tells


@dataclass(frozen=True)
class Status:
    state: str  # "queued", "running", "done"
    ahead: int  # jobs that start before this one
    wait: float  # estimated seconds until it starts (0 once running)
    progress: float | None  # the run's own report, when it gives one
    elapsed: float
    estimate: float


class RunQueue:
    def __init__(self, pool, *, busy_seconds: float = BUSY_SECONDS, tick: float = 0.1):
        self.pool = pool
        self.busy_seconds = busy_seconds
        self._lock = threading.Condition()
        self._queued: dict[tuple, Job] = {}
        self._running: dict[tuple, Job] = {}
        self._results: OrderedDict[tuple, Any] = OrderedDict()
        self._views: dict[str, tuple] = {}  # session -> its current view's order key
        self._counter = itertools.count()
        self._closed = False
        self.stopped_jobs = 0
        self._thread = threading.Thread(target=self._dispatch, args=(tick,), name="explorer-queue", daemon=True)
        self._thread.start()

    # -- the page's side ------------------------------------------------------------------------------
    def request(self, session: str, view: Any, key: tuple, call: tuple, estimate: float) -> Job | Any:
        """The job computing `key` (joined or queued), after withdrawing the session's older views."""
        with self._lock:
            self._switch_view(session, view)
            job = self._queued.get(key) or self._running.get(key)
            if job is None and key in self._results:
                self._results.move_to_end(key)
                job = Job(key, call, estimate, (0,))
                job.done.set_result(self._results[key])
                return job
            if job is None:
                wait = self._wait_before(None, extra=1)
                if wait > self.busy_seconds:
                    raise Busy(wait)
                job = Job(key, call, estimate, self._views[session][1] + (next(self._counter),))
                self._queued[key] = job
                self._lock.notify_all()
            job.waiters.add(session)
            return job

    def _switch_view(self, session: str, view: Any) -> None:
        current = self._views.get(session)
        if current is not None and current[0] == view:
            return
        self._views[session] = (view, (next(self._counter),))
        for job in list(self._queued.values()):
            job.waiters.discard(session)
            if not job.waiters:
                self._withdraw(job)

    def leave(self, session: str, job: Job) -> None:
        """The session stopped waiting (its script was interrupted): withdraw the job if nobody else waits."""
        with self._lock:
            job.waiters.discard(session)
            if not job.waiters and self._queued.get(job.key) is job:
                self._withdraw(job)

    def _withdraw(self, job: Job) -> None:
        del self._queued[job.key]
        job.done.cancel()

    def status(self, job: Job) -> Status:
        with self._lock:
            now = time.monotonic()
            if job.done.done():
                return Status("done", 0, 0.0, 1.0, 0.0, job.estimate)
            if job.started is not None:
                return Status("running", 0, 0.0, self.pool.progress(job.handle), now - job.started, job.estimate)
            ahead = sum(other.order < job.order for other in self._queued.values())
            return Status("queued", ahead, self._wait_before(job), None, 0.0, job.estimate)

    def _wait_before(self, job: Job | None, extra: int = 0) -> float:
        """Simulated start time of `job` (None: a job joining the end) on the pool's workers."""
        now = time.monotonic()
        free_at = [max(j.estimate - (now - j.started), 0.5) for j in self._running.values()]
        free_at += [0.0] * max(0, self.pool.capacity - len(free_at))
        heapq.heapify(free_at)
        for other in sorted(self._queued.values(), key=lambda j: j.order):
            if job is not None and other.order >= job.order:
                break
            heapq.heappush(free_at, heapq.heappop(free_at) + other.estimate)
        return free_at[0] if free_at else 0.0

    def counts(self) -> tuple[int, int]:
        with self._lock:
            return len(self._queued), len(self._running)

    # -- the dispatcher -------------------------------------------------------------------------------
    def _dispatch(self, tick: float) -> None:
        while True:
            with self._lock:
                if self._closed:
                    return
                self._stop_overdue()
                while self._queued and self.pool.free() > 0:
                    job = min(self._queued.values(), key=lambda j: j.order)
                    del self._queued[job.key]
                    self._start(job)
                self._lock.wait(tick)

    def _start(self, job: Job) -> None:
        fn, args = job.call
        try:
            job.handle = self.pool.submit(fn, *args)
        except Exception as err:  # a broken or closed executor: this job fails, the queue goes on
            job.done.set_exception(err)
            return
        job.started = time.monotonic()
        job.cpu_started = self._cpu_seconds(job.handle)
        self._running[job.key] = job
        job.handle.add_done_callback(lambda handle, job=job: self._finish(job, handle))

    def _finish(self, job: Job, handle: Future) -> None:
        with self._lock:
            if self._running.get(job.key) is job:
                del self._running[job.key]
            if job.done.done():
                return
            if handle.cancelled():  # the executor shut down under it: a lost worker, not an overdue run
                job.done.set_exception(BrokenExecutor("the job was cancelled by its executor"))
            elif handle.exception() is not None:
                job.done.set_exception(handle.exception())
            else:
                self._results[job.key] = handle.result()
                while len(self._results) > REMEMBERED_RESULTS:
                    self._results.popitem(last=False)
                job.done.set_result(handle.result())
            self._lock.notify_all()

    def _cpu_seconds(self, handle: Future) -> float | None:
        reader = getattr(self.pool, "cpu_seconds", None)
        return None if reader is None else reader(handle)

    def _stop_overdue(self) -> None:
        now = time.monotonic()
        for job in list(self._running.values()):
            limit, wall = time_limit(job.estimate), now - job.started
            cpu = self._cpu_seconds(job.handle) if job.cpu_started is not None else None
            used = wall if cpu is None else cpu - job.cpu_started
            if used > limit or wall > WALL_FACTOR * limit:
                del self._running[job.key]
                self.stopped_jobs += 1
                job.done.set_exception(Stopped(f"stopped after {now - job.started:.0f} s"))
                self.pool.stop(job.handle)

    def take(self, key: tuple) -> tuple[bool, Any]:
        """(True, result) if the queue has the finished result of `key`, else (False, None)."""
        with self._lock:
            if key in self._results:
                return True, self._results[key]
            return False, None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._thread.join(5)
        self.pool.shutdown(wait=False, cancel_futures=True)
