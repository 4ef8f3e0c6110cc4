"""AppTest set-up shared by every page test."""

import functools

import pytest
from streamlit.components.v2 import manifest_scanner
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test, local_script_runner

from tests.app_registry import ENTRY


@pytest.fixture(autouse=True)
def inline_compute(monkeypatch):
    """AppTests compute in the script's own thread (EXPLORER_WORKERS=0): no worker processes per test.
    The worker pool, the queue and the Dask path have tests of their own (test_workers.py, test_queue.py)."""
    monkeypatch.setenv("EXPLORER_WORKERS", "0")
    monkeypatch.delenv("EXPLORER_DASK_SCHEDULER", raising=False)


@pytest.fixture(scope="session", autouse=True)
def settle_navigation_mode():
    """The first AppTest of a process reruns once through the entry (explorer/app/language.py settles Streamlit's
    pages-directory mode) and lands on the default page; spend that on a throwaway run."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXPLORER_WORKERS", "0")
        AppTest.from_file(str(ENTRY), default_timeout=120).run()


@pytest.fixture(scope="session", autouse=True)
def scan_components_once():
    """Every new AppTest scans the metadata of every installed package for Streamlit components (about a
    quarter of a second each, a fifth of this suite's time); the installed packages do not change while
    the tests run, so the process scans once. The app's own server scans once at start anyway."""
    with pytest.MonkeyPatch.context() as patch:
        scan = functools.cache(manifest_scanner.scan_component_manifests)
        patch.setattr(manifest_scanner, "scan_component_manifests", scan)
        yield


@pytest.fixture(scope="session", autouse=True)
def compile_scripts_once():
    """Every AppTest run gives its script runner a new ScriptCache, so the entry and the page are read, given
    Streamlit's magic and compiled again on every run (about a twentieth of the AppTests' time). The server
    keeps one ScriptCache for all sessions; so does this process (the scripts do not change during the run)."""
    shared = ScriptCache()
    with pytest.MonkeyPatch.context() as patch:
        for module in (app_test, local_script_runner):  # the pages' cache, and the entry's
            patch.setattr(module, "ScriptCache", lambda: shared)
        yield


@pytest.fixture(autouse=True)
def one_timing_round_on_the_cost_page(monkeypatch):
    """The cost page's timings in page tests: one round of each kernel instead of the best of four (0.4 s a
    measurement instead of 1.6 s). The page tests check what the page does with its measurement (charts,
    sentences, URL); tests/lessons/test_cost.py checks the measurement itself, with its four rounds."""
    from explorer.lessons import cost

    monkeypatch.setattr(cost, "ROUNDS", 1)  # for this test only: tests/lessons run with the module's own
