"""The order-to-chaos lesson's correlation figures: the map's c* and xi_c on every cell (what the page's
text says of them), the chosen point's figures and the measured run's frame."""

import math

import numpy as np
import pytest

from explorer.engine import chaos, chaos_correlation
from explorer.engine.train import run
from explorer.lessons import order_chaos


@pytest.fixture(scope="module")
def grid():
    return order_chaos.phase_map()


def test_on_the_map_the_scales_agree_when_ordered_and_the_correlations_is_longer_when_chaotic(grid):
    """The page says: equal in the ordered phase, different in the chaotic one, xi_c the longer there."""
    undefined = grid[grid.q_star == 0]
    assert len(undefined) and (undefined.sigma_b2 == 0).all() and (undefined.sigma_w2 <= 1).all()
    assert undefined.c_star.isna().all() and undefined.correlation_depth_scale.isna().all()
    ordered = grid[(grid.chi_1 < 1) & (grid.q_star > 0)]
    assert (ordered.c_star == 1).all()
    np.testing.assert_allclose(ordered.correlation_depth_scale, ordered.depth_scale, rtol=1e-7)
    chaotic = grid[grid.chi_1 > 1]
    assert len(chaotic) > 100
    assert ((chaotic.c_star >= 0) & (chaotic.c_star < 1)).all()
    assert (chaotic.correlation_depth_scale > chaotic.depth_scale).all()
    # both diverge on the critical line: the longest of each sit on cells next to it
    assert chaotic.sort_values("chi_1").correlation_depth_scale.iloc[0] > 100


def test_point_figures_carry_c_star_and_xi_c():
    point = order_chaos.ChaosPoint(sigma_w2=4.0, sigma_b2=0.05, depth=4, width=16)
    found = order_chaos.point_figures(point, run(point.run_config()))
    assert found.c_star == float(chaos_correlation.correlation_fixed_point(4.0, 0.05))
    assert found.correlation_depth_scale == pytest.approx(-1 / math.log(chaos_correlation.correlation_chi(4.0, 0.05)))
    assert 0 < found.c_star < 1 and found.correlation_depth_scale > found.depth_scale


def test_correlation_run_averages_the_measured_nets_beside_the_prediction():
    sigma_w2, sigma_b2, depth = 1.2, 0.2, 6
    found = order_chaos.correlation_run(sigma_w2, sigma_b2, depth)
    runs = chaos_correlation.measure_correlation(sigma_w2, sigma_b2, depth, width=found.width, seeds=found.seeds)
    assert len(found.frame) == len(chaos_correlation.STARTS) * (depth + 1)
    for start in chaos_correlation.STARTS:
        rows = found.frame[found.frame.start == start].sort_values("layer")
        measured = runs[runs.start == start].groupby("layer").measured
        np.testing.assert_allclose(rows.measured, measured.mean())
        half_width = 2 * measured.std().to_numpy() / math.sqrt(found.seeds)
        np.testing.assert_allclose(rows.high - rows.measured, half_width, atol=1e-12)
        np.testing.assert_allclose(rows.measured - rows.low, half_width, atol=1e-12)
        predicted = chaos_correlation.predicted_correlation(sigma_w2, sigma_b2, start, depth)
        np.testing.assert_allclose(rows.predicted, predicted)
        assert rows.measured.iloc[0] == pytest.approx(start) and rows.high.iloc[0] == pytest.approx(start)
    assert chaos.chi_1(np.array(sigma_w2), np.array(sigma_b2)) < 1


def test_correlation_kind_on_either_side_of_c_star_one():
    assert order_chaos.correlation_kind(1.0) == "ordered"
    assert order_chaos.correlation_kind(1.0 - 1e-12) == "chaotic"
    assert order_chaos.correlation_kind(0.0) == "chaotic"
    assert order_chaos.correlation_kind(math.nan) == "none"
