"""The run cache of explorer/app/cache.py: bounded by its results' size, keyed on the compute code's source and
the config, single-flight."""

import pickle
import threading
import time

import pandas as pd
import pytest
import streamlit as st

from explorer import RunConfig, run
from explorer.app import cache as ui
from explorer.engine.worker import code_key

SMALL = {"depth": 2, "width": 8, "steps": 5, "batch_size": 32}


def test_sessions_asking_for_the_same_config_at_once_compute_it_once(monkeypatch):
    calls = []
    gate = threading.Event()

    def slow_run(config, progress=None):
        calls.append(config)
        gate.wait(5)  # hold the first computation until every thread has asked
        return f"result of {config.seed}"

    monkeypatch.setattr(ui, "run", slow_run)
    config = RunConfig(seed=424242, steps=1, depth=1)
    results = []
    threads = [threading.Thread(target=lambda: results.append(ui._cached_run(code_key(), config))) for _ in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    gate.set()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1
    assert results == ["result of 424242"] * 6


def test_cache_is_bounded_by_bytes_and_keyed_on_the_code():
    assert ui._cached_run._info.max_size_bytes == ui.RUN_CACHE_BYTES  # noqa: SLF001
    assert ui._cached_call._info.max_size_bytes == ui.CALL_CACHE_BYTES  # noqa: SLF001
    assert ui._cached_run._info.max_entries is None and ui._cached_call._info.max_entries is None  # noqa: SLF001
    import inspect

    assert list(inspect.signature(ui._cached_run).parameters)[:2] == ["code_key", "config"]


def _stored_bytes(cached_func) -> list[int]:
    """The pickled size of each entry the st.cache_data function keeps in memory."""
    storage = cached_func._info.get_function_cache(cached_func._function_key).storage  # noqa: SLF001
    return [stat.byte_length for stats in storage.get_stats().values() for stat in stats]


@pytest.fixture
def small_run_cache(monkeypatch, request):
    """The run cache's own function under a budget of three small runs, fed real RunResults, counting computes.
    (It shares the app cache's key, so the app's run cache starts empty again afterwards. Only that cache: the
    lesson results other page tests computed stay, as they would on a server.)"""
    request.addfinalizer(ui._cached_run.clear)
    results = {config: run(config) for config in [RunConfig(seed=seed, **SMALL) for seed in range(4)]}
    computed: list[int] = []

    def counted_run(config, progress=None):
        computed.append(config.seed)
        return results.get(config) or run(config)

    monkeypatch.setattr(ui, "run", counted_run)
    probe = st.cache_data(show_spinner=False)(ui._cached_run.__wrapped__)  # unbounded: measure entry sizes
    for config in results:
        probe(code_key(), config)
    sizes = _stored_bytes(probe)
    assert len(sizes) == 4 and max(sizes) / min(sizes) < 1.15  # so the budget below holds three, not four
    budget = 3 * max(sizes) + min(sizes) // 2
    probe.clear()
    computed.clear()
    cached = st.cache_data(max_size=budget, show_spinner=False)(ui._cached_run.__wrapped__)
    return cached, budget, results, computed


def test_filling_the_run_cache_past_its_byte_budget_evicts_the_least_recently_used(small_run_cache):
    cached, budget, results, computed = small_run_cache
    configs = list(results)
    for seed in [0, 1, 2, 0, 3, 2, 1, 0]:
        result = cached(code_key(), configs[seed])
        pd.testing.assert_frame_equal(result.layers, results[configs[seed]].layers)
        assert sum(_stored_bytes(cached)) <= budget
    # 0,1,2 fill it; reading 0 makes 1 the least recently used, so 3 evicts 1 (first in, first out would evict 0);
    # 2 is read; 1 comes back in place of 0, and 0 in place of 3.
    assert computed == [0, 1, 2, 3, 1, 0]
    assert len(_stored_bytes(cached)) == 3


def test_a_run_larger_than_the_whole_budget_is_still_returned(small_run_cache):
    cached, budget, results, computed = small_run_cache
    large = RunConfig(depth=40, width=16, steps=20, batch_size=32)
    expected = run(large)
    result = cached(code_key(), large)
    assert len(pickle.dumps(expected)) > budget
    pd.testing.assert_frame_equal(result.layers, expected.layers)
    pd.testing.assert_frame_equal(result.histograms, expected.histograms)
    # st.cache_data keeps it alone until the next result replaces it: then the budget holds again
    cached(code_key(), list(results)[0])
    assert sum(_stored_bytes(cached)) <= budget
