"""Every registered page in a real Chromium against `streamlit run`: it loads with no exception element
and no console error, each visible chart draws marks, and the lab's animated chart plays by itself.
"""

from __future__ import annotations

import pytest

from explorer import i18n
from tests.app_registry import page, pages
from tests.e2e import visit

pytestmark = pytest.mark.browser
PAGES = pages()


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_page_loads_without_exception_or_console_error(visited, page):
    seen = visited(page)
    assert not seen.exceptions, f"{seen.url} shows an exception: {seen.exceptions}"
    assert not seen.console_errors, f"{seen.url} logged console errors: {seen.console_errors}"


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_every_chart_draws_marks(visited, page):
    seen = visited(page)
    for chart in seen.charts:
        if not chart["visible"]:
            continue  # inside a closed expander or tab: nothing is drawn until the reader opens it
        name = f"{seen.url} chart {chart['index']} ({chart['title'] or chart['renderer']})"
        assert chart["renderer"] != "none", f"{name}: no SVG or canvas"
        if chart["marks"] == 0 and chart["text_marks"]:
            pytest.fail(f"{name} draws only a message: {chart['text_marks'][:3]}")
        assert chart["marks"] > 0, f"{name} draws no marks: {chart}"


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_no_chart_text_is_cut_short(visited, page):
    """Vega cuts a legend label or axis label that outgrows its limit with an ellipsis: a name half read."""
    seen = visited(page)
    cut = {chart["index"]: chart["cut"] for chart in seen.charts if chart["visible"] and chart["cut"]}
    assert not cut, f"{seen.url}: text cut short in charts {cut}"


def test_the_spectrum_pages_legend_is_whole_in_chinese(chromium, app_url):
    """The Chinese names of the initialisations are the longest legend labels the app draws."""
    seen = visit(chromium, app_url, page("jacobian_spectrum"), query="lang=zh")
    cut = {chart["index"]: chart["cut"] for chart in seen.charts if chart["visible"] and chart["cut"]}
    assert seen.charts and not cut, f"{seen.url}: text cut short in charts {cut}"


def test_lab_animation_plays_by_itself(visited):
    seen = visited(page("lab"))
    playing = [chart for chart in seen.charts if chart["playing"]]
    assert playing, "the lab has no chart with a ticked Play checkbox"
    later = {chart["index"]: chart for chart in seen.later}
    for chart in playing:
        after = later[chart["index"]]
        assert chart["title"] != after["title"], f"the title did not change frame: {chart['title']!r}"
        assert chart["signature"] != after["signature"], "the marks did not move in 2 s"
        assert after["marks"] > 0, "a later frame drew nothing"


def test_the_tab_shows_the_apps_icon(visited):
    """The ∇ icon is an image the server serves, not the bare character (which was fetched as an address)."""
    favicon = visited(page("lab")).favicon
    assert favicon is not None, "the page has no icon link"
    assert favicon["width"] > 0, f"the tab's icon does not load as an image: {favicon['href']}"


def test_the_sidebar_lists_every_page(visited):
    """No page hides behind Streamlit's "View N more" (its own English words, on the Chinese pages too)."""
    shown = visited(page("lab")).navigation
    assert shown is not None and not shown["more"], f"a button hides pages: {shown}"
    t = i18n.translator("en")
    titles = {t(f"nav.{p.key}") for p in PAGES}
    assert titles <= set(shown["links"]), f"not in the sidebar: {sorted(titles - set(shown['links']))}"
