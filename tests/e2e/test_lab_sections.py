"""The lab's sections in a real Chromium: a visit sends the first section's charts only (what the browser
builds before it shows the first one), and a click on each other section's tab brings that section's
charts, every one drawn, none with text cut short, in both languages."""

from __future__ import annotations

import pytest

from explorer import RunConfig
from explorer.charts.lab import SECTIONS
from explorer.i18n import translator
from tests.app.helpers import LAB_CHARTS
from tests.e2e import APP_IDLE, CHARTS_JS, PAGE_TIMEOUT_S, RENDERED_JS

pytestmark = pytest.mark.browser

CONFIG = RunConfig(depth=6, width=16, steps=30, batch_size=64)
# the page has finished its run, shows `count` charts, and each has drawn its marks
SHOWN_JS = f"""
(count) => !!document.querySelector('{APP_IDLE}')
  && document.querySelectorAll('.vega-embed').length === count && ({RENDERED_JS})()
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_section_of_the_lab_brings_its_charts_when_its_tab_is_clicked(chromium, app_url, lang):
    t = translator(lang)
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    query = "&".join(f"{k}={v}" for k, v in {**CONFIG.to_query(), "lang": lang}.items())
    tab.goto(f"{app_url}/lab?{query}", wait_until="domcontentloaded")
    assert list(LAB_CHARTS) == list(SECTIONS)
    for index, name in enumerate(SECTIONS):
        if index:  # the first section is open on arrival
            tab.get_by_role("tab", name=t(f"lab.section_{name}"), exact=True).click()
        tab.wait_for_function(SHOWN_JS, arg=LAB_CHARTS[name], timeout=PAGE_TIMEOUT_S * 1000)
        selected = tab.get_by_role("tab", name=t(f"lab.section_{name}"), exact=True)
        assert selected.get_attribute("aria-selected") == "true", name
        charts = tab.evaluate(CHARTS_JS)
        assert all(chart["marks"] > 0 for chart in charts), (name, charts)
        assert not [chart["cut"] for chart in charts if chart["cut"]], (name, [chart["cut"] for chart in charts])
    assert not errors, errors
    context.close()
