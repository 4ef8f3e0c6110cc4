"""Compute off the web server: one queue and one pool of workers per server process.

`get_queue()` is None in inline mode (EXPLORER_WORKERS=0: runs compute in the page's own thread, as the
AppTests do). The queue lives in a holder that survives Streamlit's module reloads under `streamlit run`,
so a reload never starts a second pool; workers are replaced when the compute code changes (pool.py).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import types

from explorer.app.compute.pool import default_workers, make_pool
from explorer.app.compute.queue import RunQueue

_HOLDER = "explorer._compute_holder"  # not a file: Streamlit's reloader never drops it


def _holder() -> types.SimpleNamespace:
    holder = sys.modules.get(_HOLDER)
    if holder is None:
        holder = sys.modules.setdefault(_HOLDER, types.ModuleType(_HOLDER))  # setdefault: one wins a race
    if not hasattr(holder, "lock"):
        holder.__dict__.setdefault("lock", threading.Lock())
        holder.__dict__.setdefault("queue", None)
    return holder


def inline() -> bool:
    return not os.environ.get("EXPLORER_DASK_SCHEDULER", "").strip() and default_workers() == 0


def get_queue() -> RunQueue | None:
    """The server's queue, started on first use (or by start() with the server); None in inline mode."""
    if inline():
        return None
    holder = _holder()
    if holder.queue is None:
        with holder.lock:
            if holder.queue is None:
                holder.queue = RunQueue(make_pool())
                atexit.register(holder.queue.close)
    return holder.queue


def start(wait: bool = False) -> RunQueue | None:
    """Start (and, with wait, warm) the workers now: called when the server starts. Never raises: if the
    workers cannot start (say, the Dask scheduler is down), pages say so when they need them."""
    try:
        queue = get_queue()
    except Exception:
        return None
    if queue is not None and wait:
        queue.pool.warm(timeout=120)
    return queue


def stop() -> None:
    holder = _holder()
    with holder.lock:
        queue, holder.queue = holder.queue, None
    if queue is not None:
        queue.close()
