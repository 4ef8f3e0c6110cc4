"""Order to chaos: the mean-field fixed point, chi_1 and its critical line, against measured tanh networks."""

import math

import numpy as np
import pytest
import torch

from explorer import RunConfig, run
from explorer.engine import chaos, measures
from explorer.engine.model import build
from explorer.engine.theory import predict_signal


def tanh_net(sigma_w2: float, sigma_b2: float, **fields) -> RunConfig:
    """Weights N(0, sigma_w^2 / fan_in) (lecun x sqrt(sigma_w^2)), biases N(0, sigma_b^2), untrained."""
    base = dict(depth=24, width=256, activation="tanh", init="lecun", steps=0, batch_size=256)
    return RunConfig(**(base | fields), init_scale=math.sqrt(sigma_w2), bias_std=math.sqrt(sigma_b2))


def test_without_bias_the_critical_point_is_sigma_w2_one():
    # tanh'(0) = 1 and q* = 0 for sigma_w^2 <= 1: chi_1 = sigma_w^2 exactly there
    np.testing.assert_allclose(chaos.chi_1(np.array([0.5, 0.9, 1.0]), np.zeros(3)), [0.5, 0.9, 1.0], rtol=1e-9)
    assert chaos.critical_weight_variance(0.0) == pytest.approx(1.0)
    assert chaos.chi_1(np.array(1.5), np.array(0.0)) > 1  # beyond it a nonzero fixed point, chaos


def test_fixed_point_solves_its_equation_by_quadrature_and_monte_carlo():
    w2, b2 = np.array([1.5, 2.5, 3.0]), np.array([0.05, 0.2, 0.0])
    q = chaos.fixed_point(w2, b2)
    z = torch.randn(400_000, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    for qi, wi, bi in zip(q, w2, b2, strict=True):
        monte_carlo = wi * torch.tanh(math.sqrt(qi) * z).pow(2).mean().item() + bi
        assert monte_carlo == pytest.approx(qi, rel=3e-3)


def test_critical_line_has_chi_one_and_rises_with_bias():
    line = chaos.critical_line(np.array([0.05, 0.3, 1.0, 3.0]))
    np.testing.assert_allclose(chaos.chi_1(line.sigma_w2.to_numpy(), line.sigma_b2.to_numpy()), 1.0, atol=1e-9)
    assert line.sigma_b2.is_monotonic_increasing and line.sigma_w2.is_monotonic_increasing
    w2 = chaos.critical_weight_variance(0.05)
    assert chaos.chi_1(np.array(w2), np.array(0.05)) == pytest.approx(1.0, abs=1e-4)


def test_phase_map_grid_and_depth_scale():
    grid = chaos.phase_map(np.array([1.0, 1.76, 3.0]), np.array([0.0, 0.05]))
    assert len(grid) == 6 and {"sigma_w2", "sigma_b2", "q_star", "chi_1", "depth_scale"} <= set(grid.columns)
    row = grid[(grid.sigma_w2 == 3.0) & (grid.sigma_b2 == 0.05)].iloc[0]
    assert row.chi_1 > 1 and row.depth_scale == pytest.approx(1 / math.log(row.chi_1))
    near = grid[(grid.sigma_w2 == 1.76) & (grid.sigma_b2 == 0.05)].iloc[0]
    assert near.depth_scale > 100  # the depth scale diverges at the critical line
    assert [chaos.phase(c) for c in (0.5, 1.0, 1.5)] == [chaos.ORDERED, chaos.CRITICAL, chaos.CHAOTIC]


def test_engine_theory_carries_the_bias_into_q_and_chi():
    config = tanh_net(2.0, 0.1, depth=40)
    frame = predict_signal(config).frame
    assert frame.q.iloc[0] == pytest.approx(2.0 * 1.0 + 0.1, rel=1e-3)  # the data are standardised
    q_star = float(chaos.fixed_point(np.array(2.0), np.array(0.1)))
    assert frame.q.iloc[-1] == pytest.approx(q_star, rel=1e-6)
    # chi of predict_signal is the squared factor between layers: deep in the net it is chi_1
    assert frame.chi.dropna().iloc[-1] == pytest.approx(float(chaos.chi_1(np.array(2.0), np.array(0.1))), rel=1e-6)


@pytest.mark.parametrize("sigma_b2", [0.05, 0.2])
def test_measured_factor_crosses_one_where_chi_1_is_one(sigma_b2):
    critical = chaos.critical_weight_variance(sigma_b2)
    scales = (0.8, 1.0, 1.25)
    factors = [measures.per_layer_factor(run(tanh_net(critical * s, sigma_b2)).layers) for s in scales]
    assert factors[0] < 1 < factors[2], factors
    assert factors[1] == pytest.approx(1.0, abs=0.03), factors  # on the line: neither vanishing nor exploding
    # where the measured factor crosses 1 (interpolated in log sigma_w^2): within 15% of the theory's line
    logs, logf = np.log(np.array(scales) * critical), np.log(factors)
    crossing = math.exp(np.interp(0.0, logf, logs))
    assert crossing == pytest.approx(critical, rel=0.15), (crossing, critical)


def test_bias_zero_draws_nothing_and_bias_keeps_the_weights():
    plain = build(RunConfig(), torch.Generator().manual_seed(0))
    generator = torch.Generator().manual_seed(0)
    build(RunConfig(bias_std=0.0), generator)
    reference = torch.Generator().manual_seed(0)
    build(RunConfig(), reference)
    assert torch.equal(generator.get_state(), reference.get_state())
    biased = build(RunConfig(bias_std=0.5, width=256, depth=4), torch.Generator().manual_seed(0))
    same_weights = build(RunConfig(width=256, depth=4), torch.Generator().manual_seed(0))
    for a, b in zip(biased.hidden, same_weights.hidden, strict=True):
        assert torch.equal(a.linear.weight, b.linear.weight)
    biases = torch.cat([block.linear.bias for block in biased.hidden])
    assert biases.std().item() == pytest.approx(0.5, rel=0.1) and torch.all(plain.output.bias == 0)
