"""A class link in a real Chromium: the lab embedded in a course page's iframe (Streamlit's embed=true)
with settings locked and the prose hidden renders, its locked widgets are disabled, its charts draw; and
hide=controls hides the sidebar's settings but keeps the page list."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e import APP_IDLE, PAGE_TIMEOUT_S, RENDERED_JS

pytestmark = pytest.mark.browser

QUERY = "embed=true&lock=depth,activation&hide=prose&depth=4&width=16&steps=20&batch_size=64"
HIDDEN = "lock=depth&hide=controls&depth=4&width=16&steps=20&batch_size=64"
# the first slider of the sidebar is the network's depth (explorer/app/controls.py)
DEPTH_SLIDER = '[data-testid="stSidebarUserContent"] [data-testid="stSlider"] input[type="range"]'


DRAWN_JS = """
() => document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
  && document.querySelectorAll('.vega-embed svg g.role-mark, .vega-embed canvas').length > 0
"""


@pytest.fixture(scope="module")
def embedded(chromium, app_url):
    """The course page: the locked lab in an iframe; yields the iframe's frame."""
    context = chromium.new_context(viewport={"width": 1200, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.set_content(f'<h1>Course</h1><iframe src="{app_url}/lab?{QUERY}" width="1100" height="900"></iframe>')
    frame = tab.frame_locator("iframe")
    frame.locator(APP_IDLE).wait_for(timeout=PAGE_TIMEOUT_S * 1000)
    inner = next(f for f in tab.frames if "/lab" in f.url)
    # the first visit may rerun once through the entry (explorer/app/language.py): wait for drawn charts
    # and sidebar widgets of a finished run
    inner.wait_for_function(DRAWN_JS, timeout=PAGE_TIMEOUT_S * 1000)
    inner.wait_for_function(RENDERED_JS, timeout=30_000)
    yield frame, inner, errors
    context.close()


def test_embedded_locked_view_renders(embedded):
    frame, inner, errors = embedded
    assert not errors
    assert frame.locator('[data-testid="stException"]').count() == 0
    assert (
        inner.evaluate("() => document.querySelectorAll('.vega-embed svg g.role-mark, .vega-embed canvas').length") > 0
    )
    assert inner.evaluate("() => location.search").find("lock=") >= 0  # the view stays in the address


def test_embedded_view_locks_depth_and_hides_prose(embedded):
    frame, inner, _ = embedded
    slider = frame.locator(DEPTH_SLIDER).first
    assert slider.is_disabled() and slider.input_value() == "4"
    labels = frame.locator('[data-testid="stSidebarUserContent"] [data-testid="stWidgetLabel"]')
    assert sum("\N{LOCK}" in text for text in labels.all_inner_texts()) == 2  # depth and activation
    name = slider.get_attribute("aria-label") or ""  # what a screen reader says: no ":material/lock:" markup
    assert ":material" not in name
    assert "Train a real network" not in inner.evaluate("() => document.body.innerText")  # lab.intro
    assert "Vanishing." in inner.evaluate("() => document.body.innerText")  # the verdict stays


def test_hide_controls_keeps_the_page_list(chromium, app_url):
    context = chromium.new_context(viewport={"width": 1200, "height": 1000})
    tab = context.new_page()
    try:
        tab.goto(f"{app_url}/lab?{HIDDEN}")
        tab.wait_for_function(DRAWN_JS, timeout=PAGE_TIMEOUT_S * 1000)
        # the page's style may land a moment after the charts on a busy host: wait for it, then check both
        expect(tab.locator('[data-testid="stSidebarUserContent"]')).to_be_hidden(timeout=30_000)
        expect(tab.locator('[data-testid="stSidebarNav"]')).to_be_visible()
    finally:
        context.close()
