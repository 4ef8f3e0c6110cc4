"""The order-to-chaos page: the map's compute, the chosen point's run and its verdict."""

import json
import math

import numpy as np
import pytest

from explorer import i18n
from explorer.engine import chaos
from tests.app.helpers import assert_clean, chart_rows, filled_in, metrics, open_page, specs, t, text_of, url
from tests.engine.test_chaos_correlation import trapezoid_pair

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


def test_the_point_states_how_far_the_run_is_from_the_theory():
    """Under its chart the page puts the prediction's and the run's per-layer factors and the largest gap."""
    from explorer import run
    from explorer.engine import theory
    from explorer.lessons.order_chaos import ChaosPoint

    point = ChaosPoint(sigma_w2=1.75, sigma_b2=0.05, depth=12, width=64)
    at = open_page(PAGE, {"sigma_w2": "1.75", "sigma_b2": "0.05", "depth": "12", "width": "64"})
    assert_clean(at)
    config = point.run_config()
    found = theory.agreement(run(config).layers, theory.predict_signal(config))
    text = next(m.value for m in at.markdown if m.value.startswith("Theory:"))
    assert f"×{found.predicted_factor:.3g}" in text and f"×{found.measured_factor:.3g}" in text
    assert f"factor {10**found.max_log10_error:.2g} (layer {found.worst_layer})" in text


def test_a_click_moves_the_point():
    at = open_page(PAGE, {"depth": "12", "width": "64"})
    at.session_state["chaos.map"] = {"selection": {"cell": [{"sigma_w2": 3.5, "sigma_b2": 0.05}]}}
    at.run()
    assert_clean(at)
    assert "**Chaotic phase**" in text_of(at)
    assert url(at)["sigma_w2"] == "3.5"
    assert t("chaos.map_title")


def correlation_oracle(sigma_w2: float, sigma_b2: float) -> tuple[float, float]:
    """c* and xi_c computed here, apart from the engine: q* by bisection and c* by bisection of the
    correlation map on a trapezoid grid (tests/engine/test_chaos_correlation.py), chi_c there."""
    z = np.arange(-9.0, 9.005, 0.02)
    weight = np.exp(-(z**2) / 2) * 0.02 / math.sqrt(2 * math.pi)

    def excess(q: float) -> float:
        return sigma_w2 * float(weight @ np.tanh(math.sqrt(q) * z) ** 2) + sigma_b2 - q

    low, high = 1e-12, sigma_w2 + sigma_b2 + 1
    for _ in range(80):
        low, high = ((low + high) / 2, high) if excess((low + high) / 2) > 0 else (low, (low + high) / 2)
    q = (low + high) / 2
    if sigma_w2 * float(weight @ (1 - np.tanh(math.sqrt(q) * z) ** 2) ** 2) <= 1:
        c = 1.0
    else:
        low, high = 0.0, 0.999
        for _ in range(45):
            middle = (low + high) / 2
            mapped = (sigma_w2 * trapezoid_pair(q, middle)[0] + sigma_b2) / q
            low, high = (middle, high) if mapped > middle else (low, middle)
        c = (low + high) / 2
    return c, -1 / math.log(sigma_w2 * trapezoid_pair(q, c)[1])


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("sigma_w2", "sigma_b2"), [(1.5, 0.05), (4.0, 0.05)])
def test_the_point_states_c_star_and_xi_c_as_computed_apart(lang, sigma_w2, sigma_b2):
    query = {"sigma_w2": str(sigma_w2), "sigma_b2": str(sigma_b2), "depth": "12", "width": "64", "lang": lang}
    at = open_page(PAGE, query)
    assert_clean(at)
    tr = i18n.translator(lang)
    shown = metrics(at)
    c_star, xi_c = correlation_oracle(sigma_w2, sigma_b2)
    assert float(shown[tr("correlation.c_star")]) == pytest.approx(c_star, abs=1e-4)
    assert float(shown[tr("correlation.depth_scale")]) == pytest.approx(xi_c, rel=2e-3)
    xi = float(shown[tr("chaos.depth_scale")])
    kind = "ordered" if c_star == 1 else "chaotic"
    if kind == "ordered":
        assert shown[tr("correlation.depth_scale")] == shown[tr("chaos.depth_scale")]
    else:
        assert 0 < c_star < 1 and xi_c > xi
    if lang == "en":  # the sentence's figures are the metrics'
        said = filled_in(f"correlation.verdict_{kind}", text_of(at), whole=False)
        assert said is not None and said["xi_c"] == shown[tr("correlation.depth_scale")]
        assert f"ξ_∇ = {shown[tr('chaos.depth_scale')]}" in text_of(at)
    assert tr("correlation.title") in json.dumps(specs(at)[-1], ensure_ascii=False)
    rows = chart_rows(at.get("vega_lite_chart")[-1]).dropna(subset=["predicted"])
    assert set(rows.layer) == set(range(13)) and len(rows) == 26
    assert url(at)["sigma_w2"] == str(sigma_w2) and url(at)["sigma_b2"] == str(sigma_b2)


def test_without_bias_and_weak_weights_the_correlation_is_undefined_not_zero():
    at = open_page(PAGE, {"sigma_w2": "0.75", "sigma_b2": "0.0", "depth": "8", "width": "32"})
    assert_clean(at)
    assert metrics(at)[t("correlation.c_star")] == "—"
    assert metrics(at)[t("correlation.depth_scale")] == "—"
    assert t("correlation.verdict_none") in text_of(at)
