"""Cached compute: a run (or any pure compute function of the package) computed once per arguments and
kept in a bounded cache; runs above the demo's bound are refused with the reason shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from explorer import i18n
from explorer.engine.config import MAX_RUN_SECONDS, RunConfig
from explorer.engine.train import ENGINE_VERSION, RunResult, run

MAX_CACHED_RUNS = 48  # ~0.5 MB each at the default size: a bounded cache on a small shared host


@st.cache_data(max_entries=MAX_CACHED_RUNS, show_spinner=False)
def _cached_run(engine_version: int, config: RunConfig) -> RunResult:
    # The engine version is part of the key: st.cache_data hashes only this function's own source.
    if config.estimated_seconds() < 1.0:
        return run(config)
    bar = st.progress(0.0)  # created and emptied inside: a cache hit replays it as nothing
    result = run(config, progress=lambda fraction: bar.progress(min(fraction, 1.0)))
    bar.empty()
    return result


def cached_run(config: RunConfig, t: i18n.Translator) -> RunResult | None:
    """The run of `config` from the cache or computed now; None (with the reason shown) when too large."""
    problem = config.bound_problem()
    if problem is not None:
        st.error(t("ui.too_large", seconds=f"{config.estimated_seconds():.0f}", limit=f"{MAX_RUN_SECONDS:.0f}"))
        return None
    with st.spinner(t("ui.running")):
        return _cached_run(ENGINE_VERSION, config)


def cached(func: Callable, *args: Any, **kwargs: Any) -> Any:
    """Cache any pure compute function of this package on its arguments (bounded like the runs)."""
    return _cached_call(ENGINE_VERSION, func.__module__, func.__qualname__, args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=4 * MAX_CACHED_RUNS, show_spinner=False)
def _cached_call(engine_version: int, module: str, name: str, args: tuple, kwargs: tuple) -> Any:
    import importlib

    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target(*args, **dict(kwargs))
