"""The run cache of explorer/app/cache.py: bounded, keyed on the compute code's source and the config, single-flight."""

import threading
import time

from explorer import RunConfig
from explorer.app import cache as ui
from explorer.engine.worker import code_key


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


def test_cache_is_bounded_and_keyed_on_the_code():
    assert ui._cached_run._info.max_entries == ui.MAX_CACHED_RUNS  # noqa: SLF001
    assert ui._cached_call._info.max_entries is not None  # noqa: SLF001
    import inspect

    assert list(inspect.signature(ui._cached_run).parameters)[:2] == ["code_key", "config"]
