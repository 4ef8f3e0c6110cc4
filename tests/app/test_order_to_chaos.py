"""The order-to-chaos page: the map's compute, the chosen point's run and its verdict."""

import numpy as np

from explorer.engine import chaos
from tests.app.helpers import assert_clean, chart_rows, metrics, open_page, t, text_of, url

PAGE = "pages/order_to_chaos.py"


def test_map_ships_the_grid_and_the_critical_line():
    at = open_page(PAGE, {"depth": "12", "width": "64"})
    assert_clean(at)
    rows = chart_rows(at.get("vega_lite_chart")[0])
    cells = rows.dropna(subset=["chi_1"])
    assert len(cells) == 29 * 21
    one = cells[(cells.sigma_w2 == 1.0) & (cells.sigma_b2 == 0.0)].chi_1.iloc[0]
    assert np.isclose(one, 1.0)
    line = rows.dropna(subset=["q_star"])[rows.dropna(subset=["q_star"]).chi_1.isna()]
    np.testing.assert_allclose(chaos.chi_1(line.sigma_w2.to_numpy(), line.sigma_b2.to_numpy()), 1.0, atol=1e-9)


def test_a_point_in_the_ordered_phase_says_so_with_measured_factor():
    at = open_page(PAGE, {"sigma_w2": "1.0", "sigma_b2": "0.3", "depth": "12", "width": "64"})
    assert_clean(at)
    assert "**Ordered phase**" in text_of(at)
    chi = float(chaos.chi_1(np.array(1.0), np.array(0.3)))
    assert metrics(at)[t("chaos.chi")] == f"{chi:.4f}"
    assert url(at)["sigma_b2"] == "0.3"


def test_a_click_moves_the_point():
    at = open_page(PAGE, {"depth": "12", "width": "64"})
    at.session_state["chaos.map"] = {"selection": {"cell": [{"sigma_w2": 3.5, "sigma_b2": 0.05}]}}
    at.run()
    assert_clean(at)
    assert "**Chaotic phase**" in text_of(at)
    assert url(at)["sigma_w2"] == "3.5"
    assert t("chaos.map_title")
