"""Cached compute: a run (or any pure compute function of the package) computed once per arguments and
kept in a cache bounded by its results' size; runs above the demo's bound are refused with the reason shown.

The cache key holds the compute code's source hash (`worker.code_key`), so an edited engine or lesson
never serves old numbers. A miss is computed by a worker process through the queue (compute/), the page
showing its place in the queue and the run's progress; a hit never waits behind the queue. With
EXPLORER_WORKERS=0 (inline mode, the AppTests) the page's own thread computes, as a plain script would.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import streamlit as st

from explorer import i18n
from explorer.app import compute
from explorer.app.compute import waiting
from explorer.engine import worker
from explorer.engine.config import MAX_RUN_SECONDS, RunConfig
from explorer.engine.train import RunResult, run

# Each cache keeps its most recently used results up to a byte budget: st.cache_data stores every result
# pickled and counts those bytes (`max_size`), dropping the least recently used first. A run's size varies
# 35-fold (0.08 MB for a tiny net, 0.4 MB for the default run, 2.9 MB at depth 64 over 201 recorded steps,
# about the largest the run bound allows), so a count of entries bounded neither memory nor reuse. 64 MiB
# holds ~160 default runs or ~20 of the largest, and keeps the server's memory predictable beside its
# workers (~280 MB of torch each). docs/ARCHITECTURE.md ("The run cache") says what happens at the edge.
RUN_CACHE_BYTES = 64 * 2**20
CALL_CACHE_BYTES = 64 * 2**20  # lesson results (several runs' figures each), in a cache of their own
KNOWN_KEYS = 1024  # keys remembered as stored (a hint that skips the queue; a key may be evicted since)
DEFAULT_CALL_SECONDS = 2.0  # the queue's estimate for a compute function not timed yet in this process

_handoff = threading.local()  # a worker's result, handed to the cached function that stores it
_produced: OrderedDict[tuple, None] = OrderedDict()  # keys stored in the cache (a hint; it may evict)
_durations: dict[tuple, float] = {}


def cached_run(config: RunConfig, t: i18n.Translator) -> RunResult | None:
    """The run of `config` from the cache or computed now; None (with the reason shown) when too large."""
    problem = config.bound_problem()
    if problem is not None:
        st.error(t("ui.too_large", seconds=f"{config.estimated_seconds():.0f}", limit=f"{MAX_RUN_SECONDS:.0f}"))
        return None
    code = worker.code_key()
    if compute.inline():
        with st.spinner(t("ui.running")):
            return _cached_run(code, config)
    call = ("explorer.engine.train", "run", (config,), {})
    return _through_queue(code, call, config.estimated_seconds(), t, _cached_run, code, config)


def cached_here(func: Callable, *args: Any) -> Any:
    """Like `cached`, for a formula that takes a fraction of a second (mean-field theory's prediction
    follows each of the data's 1,024 inputs through every layer: from about 10 ms for a shallow sigmoid
    net to about 0.2 s at depth 64), computed in the page's own thread, never queued. Behind the queue it
    would wait for a free worker, up to a whole run of another reader, and so would the rest of the page."""
    return _cached_here(worker.code_key(), func.__module__, func.__qualname__, args)


@st.cache_data(max_size=CALL_CACHE_BYTES, show_spinner=False)
def _cached_here(code_key: str, module: str, name: str, args: tuple) -> Any:
    return worker.resolve(module, name)(*args)


def cached(func: Callable, *args: Any, **kwargs: Any) -> Any:
    """Cache any pure compute function of this package on its arguments (bounded like the runs)."""
    code = worker.code_key()
    module, name, items = func.__module__, func.__qualname__, tuple(sorted(kwargs.items()))
    if compute.inline():
        return _cached_call(code, module, name, args, items)
    call = (module, name, args, kwargs)
    estimate = _durations.get((module, name), DEFAULT_CALL_SECONDS)
    return _through_queue(code, call, estimate, _translator(), _cached_call, code, module, name, args, items)


def _through_queue(code: str, call: tuple, estimate: float, t, cached_func, *cache_args) -> Any:
    key = (code, call[0], call[1], pickle.dumps(call[2:], protocol=5))
    if key in _produced:  # in the cache already (unless it was evicted): no queue
        return cached_func(*cache_args)
    started = time.monotonic()
    result = waiting.obtain(key, worker.execute, (code, *call), estimate, t)
    _durations[call[:2]] = time.monotonic() - started
    _handoff.value = (cache_args, result)
    try:
        value = cached_func(*cache_args)
    finally:
        _handoff.value = None
    _produced[key] = None
    while len(_produced) > KNOWN_KEYS:
        _produced.popitem(last=False)
    return value


def _from_worker(cache_args: tuple) -> tuple[bool, Any]:
    handed = getattr(_handoff, "value", None)
    if handed is not None and handed[0] == cache_args:
        return True, handed[1]
    return False, None


@st.cache_data(max_size=RUN_CACHE_BYTES, show_spinner=False)
def _cached_run(code_key: str, config: RunConfig) -> RunResult:
    # The code key is part of the key: st.cache_data hashes only this function's own source.
    found, result = _from_worker((code_key, config))
    if found:
        return result
    if not compute.inline():  # evicted from this cache since: ask the workers again
        call = ("explorer.engine.train", "run", (config,), {})
        return waiting.obtain((code_key, "run", config), worker.execute, (code_key, *call), 1.0, _translator())
    if config.estimated_seconds() < 1.0:
        return run(config)
    bar = st.progress(0.0)  # created and emptied inside: a cache hit replays it as nothing
    result = run(config, progress=lambda fraction: bar.progress(min(fraction, 1.0)))
    bar.empty()
    return result


@st.cache_data(max_size=CALL_CACHE_BYTES, show_spinner=False)
def _cached_call(code_key: str, module: str, name: str, args: tuple, kwargs: tuple) -> Any:
    found, result = _from_worker((code_key, module, name, args, kwargs))
    if found:
        return result
    if not compute.inline():
        call = (module, name, args, dict(kwargs))
        return waiting.obtain(
            (code_key, module, name, repr(args)), worker.execute, (code_key, *call), 1.0, _translator()
        )
    return worker.resolve(module, name)(*args, **dict(kwargs))


def _translator() -> i18n.Translator:
    from explorer.app.language import language

    return i18n.translator(language())
