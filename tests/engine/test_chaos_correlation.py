"""The correlation depth scale (Schoenholz et al. 2017, "Deep Information Propagation"): the
correlation map's fixed point c* and slope chi_c, against independent computations (Monte Carlo, a fine
trapezoid grid, plain iteration of the map) and against wide random tanh networks."""

import math

import numpy as np
import pytest
import torch

from explorer.engine import chaos, chaos_correlation, runtime

ORDERED = [(0.8, 0.05), (1.5, 0.05), (1.0, 0.3), (2.5, 0.3), (2.75, 0.5)]
CHAOTIC = [(4.0, 0.05), (2.5, 0.05), (3.0, 0.3), (1.9, 0.05)]


def trapezoid_pair(q: float, c: float, step: float = 0.05, limit: float = 9.0) -> tuple[float, float]:
    """E[tanh(u1) tanh(u2)], E[tanh'(u1) tanh'(u2)] on a trapezoid grid (independent of the engine's
    quadrature rule). The trapezoid rule converges geometrically for these smooth, decaying integrands: its
    error is about exp(-2πa/step), a = π/(2√q) the distance of tanh's nearest pole from the real axis, far
    below double precision at every q these tests use (q* ≤ 2.2: exp(-133));
    step 0.05 agrees with step 0.01 to 7e-14, at a thirtieth of the cost."""
    z = np.arange(-limit, limit + step / 2, step)
    weight = np.exp(-(z**2) / 2) * step / math.sqrt(2 * math.pi)
    u1 = math.sqrt(q) * z[:, None]
    u2 = math.sqrt(q) * (c * z[:, None] + math.sqrt(1 - c * c) * z[None, :])
    t1, t2 = np.tanh(u1), np.tanh(u2)
    weights = weight[:, None] * weight[None, :]
    return float((t1 * t2 * weights).sum()), float(((1 - t1**2) * (1 - t2**2) * weights).sum())


def iterate_map(sigma_w2: float, sigma_b2: float, c: float = 0.5, layers: int = 3000) -> float:
    """The correlation map iterated from c (no Newton): where it settles."""
    runtime.configure_threads()
    q = float(chaos.fixed_point(np.array(sigma_w2), np.array(sigma_b2)))
    for _ in range(layers):
        c, previous = float(chaos_correlation.correlation_step(sigma_w2, sigma_b2, np.array(q), np.array(c))[0]), c
        if abs(c - previous) < 1e-15:
            break
    return c


@pytest.mark.parametrize(("sigma_w2", "sigma_b2"), ORDERED)
def test_ordered_phase_c_star_is_one_and_both_depth_scales_agree(sigma_w2, sigma_b2):
    chi_1 = float(chaos.chi_1(np.array(sigma_w2), np.array(sigma_b2)))
    assert chi_1 < 1
    assert chaos_correlation.correlation_fixed_point(sigma_w2, sigma_b2) == 1.0
    # chi_c by the 2-D rule at c = 1 against chi_1 by chaos's 1-D rule
    assert float(chaos_correlation.correlation_chi(sigma_w2, sigma_b2)) == pytest.approx(chi_1, rel=1e-10)
    xi_c = float(chaos_correlation.correlation_depth_scale(sigma_w2, sigma_b2))
    assert xi_c == pytest.approx(float(chaos.depth_scale(chi_1)), rel=1e-8)


@pytest.mark.parametrize(("sigma_w2", "sigma_b2"), CHAOTIC)
def test_chaotic_phase_c_star_below_one_is_where_the_map_settles(sigma_w2, sigma_b2):
    chi_1 = float(chaos.chi_1(np.array(sigma_w2), np.array(sigma_b2)))
    assert chi_1 > 1
    c_star = float(chaos_correlation.correlation_fixed_point(sigma_w2, sigma_b2))
    assert 0 < c_star < 1
    assert c_star == pytest.approx(iterate_map(sigma_w2, sigma_b2), abs=1e-9)
    assert c_star == pytest.approx(iterate_map(sigma_w2, sigma_b2, c=0.99), abs=1e-9)
    # the slope at c*: the derivative of the map, by central differences; below 1 (c* is stable)
    q = chaos.fixed_point(np.array(sigma_w2), np.array(sigma_b2))
    h = 1e-5
    up, down = (chaos_correlation.correlation_step(sigma_w2, sigma_b2, q, np.array(c_star + d))[0] for d in (h, -h))
    chi_c = float(chaos_correlation.correlation_chi(sigma_w2, sigma_b2))
    assert chi_c == pytest.approx(float(up - down) / (2 * h), rel=1e-6)
    assert 0 < chi_c < 1
    xi_c = float(chaos_correlation.correlation_depth_scale(sigma_w2, sigma_b2))
    assert xi_c == pytest.approx(-1 / math.log(chi_c))
    # they differ: here the correlation's depth scale is the longer one (xi_grad = 1 / ln chi_1)
    assert xi_c > 1.05 * float(chaos.depth_scale(chi_1))


def test_at_sigma_w2_4_the_figures_by_an_independent_quadrature():
    """sigma_w^2 = 4, sigma_b^2 = 0.05: c* ~ 0.165, xi_c ~ 6.98 layers against xi_grad ~ 3.40."""
    sigma_w2, sigma_b2 = 4.0, 0.05
    q = float(chaos.fixed_point(np.array(sigma_w2), np.array(sigma_b2)))
    c_star = float(chaos_correlation.correlation_fixed_point(sigma_w2, sigma_b2))
    both, slopes = trapezoid_pair(q, c_star)
    assert (sigma_w2 * both + sigma_b2) / q == pytest.approx(c_star, abs=1e-10)  # a fixed point
    chi_c = sigma_w2 * slopes
    assert float(chaos_correlation.correlation_chi(sigma_w2, sigma_b2)) == pytest.approx(chi_c, rel=1e-10)
    assert 0.16 < c_star < 0.17 and 6.9 < -1 / math.log(chi_c) < 7.1
    assert 3.3 < float(chaos.depth_scale(chaos.chi_1(np.array(sigma_w2), np.array(sigma_b2)))) < 3.5


@pytest.mark.parametrize(("q", "c"), [(0.4, 0.0), (1.0, 0.5), (2.2, 0.165), (4.5, 0.9), (4.5, 1.0)])
def test_quadrature_against_monte_carlo(q, c):
    n = 1_000_000
    z1, z2 = torch.randn(2, n, generator=torch.Generator().manual_seed(7), dtype=torch.float64).numpy()
    u1 = math.sqrt(q) * z1
    u2 = math.sqrt(q) * (c * z1 + math.sqrt(1 - c * c) * z2)
    samples = (np.tanh(u1) * np.tanh(u2), (1 - np.tanh(u1) ** 2) * (1 - np.tanh(u2) ** 2))
    quadrature = chaos_correlation.pair_expectations(q, q, c)
    for values, expected in zip(samples, quadrature, strict=True):
        error = values.std() / math.sqrt(n)  # Monte Carlo's standard error
        assert float(expected) == pytest.approx(values.mean(), abs=4 * error)


@pytest.mark.parametrize(("q", "c"), [(2.8, 0.17), (4.5, 0.95), (4.5, 1.0), (0.5, 0.7)])
def test_quadrature_against_a_fine_trapezoid_grid(q, c):
    np.testing.assert_allclose(chaos_correlation.pair_expectations(q, q, c), trapezoid_pair(q, c), atol=1e-12)


def test_without_bias_chaos_decorrelates_fully_and_q_star_zero_has_no_correlation():
    assert chaos_correlation.correlation_fixed_point(3.0, 0.0) == pytest.approx(0.0, abs=1e-12)
    # q* = 0 (no bias, sigma_w^2 <= 1): the correlation of two vanishing signals is 0/0 at the fixed point
    assert np.isnan(chaos_correlation.correlation_fixed_point(0.8, 0.0))
    assert np.isnan(chaos_correlation.correlation_depth_scale(0.8, 0.0))


def test_the_phase_map_carries_the_correlation_columns_and_the_depth_scales_meet_at_the_line():
    grid = chaos.phase_map(np.array([1.0, 1.5, 1.75, 1.80, 4.0]), np.array([0.0, 0.05]))
    assert {"c_star", "chi_c", "correlation_depth_scale"} <= set(grid.columns)
    chaotic = grid[grid.chi_1 > 1]
    assert (chaotic.c_star < 1).all() and (chaotic.correlation_depth_scale > chaotic.depth_scale).all()
    ordered = grid[(grid.chi_1 < 1) & (grid.q_star > 0)]
    assert (ordered.c_star == 1).all()
    np.testing.assert_allclose(ordered.correlation_depth_scale, ordered.depth_scale, rtol=1e-8)
    # the critical line at sigma_b^2 = 0.05 lies between sigma_w^2 = 1.75 and 1.80: both scales long there
    near = grid[(grid.sigma_b2 == 0.05) & grid.sigma_w2.isin([1.75, 1.80])]
    assert (near.correlation_depth_scale > 40).all() and (near.depth_scale > 40).all()


def test_predicted_correlation_starts_at_the_inputs_and_settles_at_c_star():
    for sigma_w2, sigma_b2 in [(4.0, 0.05), (1.2, 0.2)]:
        c_star = float(chaos_correlation.correlation_fixed_point(sigma_w2, sigma_b2))
        for start in chaos_correlation.STARTS:
            curve = chaos_correlation.predicted_correlation(sigma_w2, sigma_b2, start, 150)
            assert curve[0] == pytest.approx(start)
            # layer 1: q_ab = sigma_w^2 c0 + sigma_b^2 over q = sigma_w^2 + sigma_b^2 (inputs of squared norm 2)
            assert curve[1] == pytest.approx((sigma_w2 * start + sigma_b2) / (sigma_w2 + sigma_b2))
            assert curve[-1] == pytest.approx(c_star, abs=1e-6)


@pytest.mark.parametrize(("sigma_w2", "sigma_b2"), [(4.0, 0.05), (1.2, 0.2)])
def test_wide_networks_measure_the_predicted_correlation(sigma_w2, sigma_b2):
    """Finite width N: a layer's cosine over N units is off by ~1/sqrt(N) per network; averaged over
    networks, within a few of those. Deep layers (c_l ~ c*): their mean over layers and networks closer."""
    runtime.configure_threads()
    depth, seeds = 24, 8
    for width in (128, 512):
        frame = chaos_correlation.measure_correlation(sigma_w2, sigma_b2, depth, width=width, seeds=seeds)
        assert len(frame) == len(chaos_correlation.STARTS) * seeds * (depth + 1)
        tolerance = 3 / math.sqrt(width)
        for start in chaos_correlation.STARTS:
            mean = frame[frame.start == start].groupby("layer").measured.mean().to_numpy()
            predicted = chaos_correlation.predicted_correlation(sigma_w2, sigma_b2, start, depth)
            assert mean[0] == pytest.approx(start)
            assert np.abs(mean - predicted).max() < tolerance, (width, start, mean, predicted)
            assert abs(mean[-8:].mean() - predicted[-8:].mean()) < tolerance / 2
