"""AppTest set-up shared by every page test."""

import pytest
from streamlit.testing.v1 import AppTest

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
