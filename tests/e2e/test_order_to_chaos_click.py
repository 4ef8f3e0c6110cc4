"""Order to chaos in a real Chromium: a click on a cell of the phase map runs an untrained network at that
(σ_w², σ_b²), and the page shows its measured signal beside the prediction. (The AppTests set the map's
selection state directly; only a browser shows that a click on the drawn cell produces that state.)"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from explorer import i18n
from explorer.engine.train import run
from explorer.lessons import order_chaos
from tests.e2e import APP_IDLE, PAGE_TIMEOUT_S

pytestmark = pytest.mark.browser

START = order_chaos.ChaosPoint(sigma_w2=1.75, sigma_b2=0.05, depth=8, width=16)  # small: runs in a blink
# Deep in the chaotic phase, away from the critical line (σ_w² ≈ 1.99 at σ_b² = 0.1) and the start's marker.
TARGET = START.replace(sigma_w2=3.0, sigma_b2=0.1)
t = i18n.translator("en")

# Centre (client coordinates) of the map's cell whose column and row (counted from the bottom) are given,
# and whether that cell is the element a click there reaches (not the critical line or the marker on top).
CELL_JS = """
([column, row]) => {
  const map = document.querySelector('.vega-embed');
  const cells = [...map.querySelectorAll('svg g.mark-rect.role-mark > path')].map(p => [p, p.getBoundingClientRect()]);
  const lefts = [...new Set(cells.map(([, b]) => Math.round(b.left)))].sort((a, b) => a - b);
  const tops = [...new Set(cells.map(([, b]) => Math.round(b.top)))].sort((a, b) => b - a);
  const found = cells.find(([, b]) => Math.round(b.left) === lefts[column] && Math.round(b.top) === tops[row]);
  if (!found) return {columns: lefts.length, rows: tops.length};
  const [path, box] = found;
  const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
  return {columns: lefts.length, rows: tops.length, x, y, on_top: document.elementFromPoint(x, y) === path};
}
"""


def heading(point: order_chaos.ChaosPoint) -> str:
    return t("chaos.point_heading", sigma_w2=f"{point.sigma_w2:.3g}", sigma_b2=f"{point.sigma_b2:.3g}")


def measured(point: order_chaos.ChaosPoint) -> str:
    """The metric the page shows for the point: the engine's run there, read the page's way."""
    figures = order_chaos.point_figures(point, run(point.run_config()))
    return f"×{figures.measured_factor:.4f}"


def metric(tab, label: str):
    return tab.locator('[data-testid="stMetric"]').filter(has_text=label).locator('[data-testid="stMetricValue"]')


def test_a_click_on_the_map_runs_the_network_there(chromium, app_url):
    query = "&".join(f"{name}={value}" for name, value in {"lang": "en", **START.to_query()}.items())
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        tab.goto(f"{app_url}/order_to_chaos?{query}", wait_until="domcontentloaded")
        timeout = PAGE_TIMEOUT_S * 1000
        expect(tab.get_by_text(heading(START))).to_be_visible(timeout=timeout)
        expect(metric(tab, t("chaos.measured_factor"))).to_have_text(measured(START), timeout=timeout)
        tab.locator(".vega-embed").first.scroll_into_view_if_needed()
        tab.wait_for_function("() => document.querySelectorAll('.vega-embed svg g.mark-rect > path').length > 0")

        column = round((TARGET.sigma_w2 - order_chaos.WEIGHT_GRID[0]) / 0.125)
        row = round((TARGET.sigma_b2 - order_chaos.BIAS_GRID[0]) / 0.025)
        for _ in range(3):  # a click sent while a rerun replaces the chart can be lost: click until it lands
            tab.locator(APP_IDLE).wait_for(timeout=timeout)
            cell = tab.evaluate(CELL_JS, [column, row])
            assert (cell["columns"], cell["rows"]) == (len(order_chaos.WEIGHT_GRID), len(order_chaos.BIAS_GRID))
            assert cell["on_top"], "the target cell is covered by another mark"
            tab.mouse.click(cell["x"], cell["y"])
            try:
                expect(tab.get_by_text(heading(TARGET))).to_be_visible(timeout=30_000)
                break
            except AssertionError:
                continue
        expect(tab.get_by_text(heading(TARGET))).to_be_visible(timeout=1)

        # the run at the clicked point: its measured factor per layer, the signal chart and the two inputs'
        # correlation chart drawn (waiting for the script's end: until then the previous run's elements,
        # shifted by the queue's messages, can stand beside the new ones)
        tab.locator(APP_IDLE).wait_for(timeout=timeout)
        expect(metric(tab, t("chaos.measured_factor"))).to_have_text(measured(TARGET), timeout=timeout)
        address = parse_qs(urlsplit(tab.url).query)
        assert (address["sigma_w2"], address["sigma_b2"]) == (["3.0"], ["0.1"])
        assert tab.locator(".vega-embed").count() == 3
        for index in (1, 2):
            tab.wait_for_function(
                f"() => document.querySelectorAll('.vega-embed')[{index}].querySelector('svg g.role-mark')"
            )
        assert tab.locator('[data-testid="stException"]').count() == 0
        assert not errors
    finally:
        context.close()
