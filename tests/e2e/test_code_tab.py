"""The lab's "Code" tab in a real Chromium: its script is not sent with the view (a highlighted script
costs the browser time before the first chart), and clicking the tab brings it, for the page's config."""

from __future__ import annotations

import pytest

from explorer import RunConfig, export_script
from explorer.i18n import translator
from tests.e2e import APP_IDLE, PAGE_TIMEOUT_S

pytestmark = pytest.mark.browser

CONFIG = RunConfig(depth=4, width=16, steps=20, batch_size=64)
CODE = '[data-testid="stCode"]'


def test_code_tab_brings_the_pages_script_when_clicked(chromium, app_url):
    t = translator("en")
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    query = "&".join(f"{k}={v}" for k, v in CONFIG.to_query().items())
    tab.goto(f"{app_url}/lab?{query}", wait_until="domcontentloaded")
    tab.wait_for_selector(APP_IDLE, timeout=PAGE_TIMEOUT_S * 1000)
    assert tab.locator(CODE).count() == 0, "the script was sent with the view"

    tab.get_by_role("tab", name=t("export.tab_code")).click()
    tab.wait_for_selector(CODE, timeout=60_000)
    shown = tab.locator(CODE).first.inner_text()
    script = export_script(CONFIG)
    for line in ("DEPTH = 4  # hidden layers", "WIDTH = 16  # units per hidden layer"):
        assert line in script and line in shown, line
    assert not errors, errors
    context.close()
