"""Fixtures of the browser tests: one streamlit server and one Chromium for the whole session, each page
visited once. Without a browser the tests skip (reason in the summary); with CI set they fail instead.
"""

from __future__ import annotations

import os

import pytest

from tests.app_registry import Page
from tests.e2e import Visit, browser_missing, launch, serve, visit


@pytest.fixture(scope="session")
def chromium():
    reason = browser_missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the browser tests must run, but: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_url(chromium):
    # depends on `chromium` so that a missing browser skips before a server is started for nothing
    with serve() as base:
        yield base


@pytest.fixture(scope="session")
def visited(chromium, app_url):
    """`visited(page)` -> Visit, each page loaded once per session whichever tests ask for it."""
    cache: dict[str, Visit] = {}

    def get(page: Page) -> Visit:
        if page.url_path not in cache:
            cache[page.url_path] = visit(chromium, app_url, page)
        return cache[page.url_path]

    return get
