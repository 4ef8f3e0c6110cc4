"""AppTest of the activation-cost page: it measures, says what it measured, follows the sidebar, shrugs off bad URLs."""

from __future__ import annotations

from tests.app.helpers import assert_clean, info_text, open_page

COST = "pages/activation_cost.py"


def test_cost_page_measures_and_says_what_it_measured():
    at = open_page(COST, {"log2_size": "14"})
    assert_clean(at)
    assert len(at.get("vega_lite_chart")) == 3
    assert "16,384 float32 values" in info_text(at)


def test_cost_sidebar_change_reaches_the_output():
    at = open_page(COST, {"log2_size": "14"})
    at.select_slider(key="cost.log2_size").set_value(12).run()
    assert_clean(at)
    assert "4,096 float32 values" in info_text(at)


def test_cost_hostile_url_warns_and_uses_defaults():
    at = open_page(COST, {"log2_size": "99999999999999999"})
    assert_clean(at)
    assert any("log2_size" in w.value for w in at.warning)
    assert "1,048,576 float32 values" in info_text(at)
