"""AppTest set-up shared by every page test."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_registry import ENTRY


@pytest.fixture(scope="session", autouse=True)
def settle_navigation_mode():
    """The first AppTest of a process reruns once through the entry (explorer/app/language.py settles Streamlit's
    pages-directory mode) and lands on the default page; spend that on a throwaway run."""
    AppTest.from_file(str(ENTRY), default_timeout=120).run()
