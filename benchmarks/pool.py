"""The local worker pool's start-up and recovery: how long until a worker is ready, first and after a stop.

A stopped run's worker (past its time limit) and the workers of edited code under `streamlit run` are
replaced while readers wait in the queue, so a replacement's time is time the class waits. Measured side by
side: workers forked from the fork server (what the pool does) and workers spawned as fresh interpreters
(what it did before), each in a pool of its own.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import statistics
import time

from explorer.app.compute import pool as pool_module
from explorer.engine import worker


def _stop_and_rewarm(workers: pool_module.WorkerPool) -> float:
    """Seconds from stopping a busy worker until its replacement has started (torch in, warm-up run done)."""
    stuck = workers.submit(worker.execute, worker.code_key(), "explorer.engine.worker", "sleep", (60,), {})
    time.sleep(0.3)  # the job has reached the worker
    started = time.perf_counter()
    workers.stop(stuck)
    with contextlib.suppress(Exception):  # the stopped job fails with BrokenProcessPool: that is the point
        stuck.result(30)
    workers.warm(120)
    return time.perf_counter() - started


def _measure(context: multiprocessing.context.BaseContext, repeats: int) -> tuple[float, float]:
    """(first start, median replacement) of a one-worker pool whose workers come from `context`."""
    before = pool_module._CONTEXT  # noqa: SLF001
    pool_module._CONTEXT = context  # noqa: SLF001
    try:
        started = time.perf_counter()
        workers = pool_module.WorkerPool(1)
        workers.warm(120)
        first = time.perf_counter() - started
        replaced = statistics.median(_stop_and_rewarm(workers) for _ in range(repeats))
        workers.shutdown(wait=True)
    finally:
        pool_module._CONTEXT = before  # noqa: SLF001
    return first, replaced


def worker_start(repeats: int = 3) -> list[tuple[str, str, str]]:
    forked = _measure(pool_module._CONTEXT, repeats)  # noqa: SLF001
    spawned = _measure(multiprocessing.get_context("spawn"), repeats)
    return [
        ("pool's first worker ready (fork server: its own start included)", f"{forked[0]:.2f} s", ""),
        ("pool's first worker ready, spawned interpreter (before)", f"{spawned[0]:.2f} s", ""),
        ("a stopped worker's replacement ready, forked (median)", f"{forked[1]:.2f} s", ""),
        ("a stopped worker's replacement ready, spawned (before, median)", f"{spawned[1]:.2f} s", ""),
    ]
