"""The Jacobian's singular values: autograd and explicit weight products as oracles, free probability's law."""

import math

import numpy as np
import pytest
import torch

from explorer import RunConfig, jacobian_spectrum
from explorer.engine.data import make_dataset
from explorer.engine.model import build
from explorer.engine.spectrum import HIDDEN, INPUT, condition, fuss_catalan_density, singular_value_density


def linear(**fields) -> RunConfig:
    return RunConfig(activation="linear", steps=0, **fields)


@pytest.mark.parametrize("variant", [INPUT, HIDDEN])
@pytest.mark.parametrize("depth", [2, 12])
def test_orthogonal_linear_net_is_an_isometry(variant, depth):
    values = jacobian_spectrum(linear(depth=depth, width=32, init="orthogonal"), variant).singular_value
    np.testing.assert_allclose(values, 1.0, rtol=2e-6)  # float32 weights, orthogonal to ~1e-7 each


def test_orthogonal_scale_multiplies_every_direction_alike():
    values = jacobian_spectrum(linear(depth=5, width=16, init="orthogonal", init_scale=0.9), HIDDEN).singular_value
    np.testing.assert_allclose(values, 0.9**4, rtol=2e-6)  # four layers above h_1


def explicit_hidden_product(config: RunConfig) -> np.ndarray:
    """W_L ... W_2 of the same draws: the linear net's hidden-to-hidden Jacobian, no autograd involved."""
    model = build(config, torch.Generator().manual_seed(config.seed)).double()
    product = torch.eye(config.width, dtype=torch.float64)
    for block in model.hidden[1:]:
        product = block.linear.weight.detach() @ product
    return torch.linalg.svdvals(product).numpy()


def test_gaussian_linear_spectrum_is_the_weight_product_and_spreads_with_depth():
    ratios = []
    for depth in (2, 4, 8, 16):
        config = linear(depth=depth, width=32, init="lecun")
        frame = jacobian_spectrum(config, HIDDEN, samples=3)
        for sample in range(3):  # a linear net has the same Jacobian at every input
            measured = frame[frame["sample"] == sample].singular_value.to_numpy()
            expected = explicit_hidden_product(config)
            np.testing.assert_allclose(measured, expected, rtol=1e-8, atol=1e-13 * expected.max())
        ratios.append(float(condition(frame).median()))
    assert all(later > 10 * earlier for earlier, later in zip(ratios, ratios[1:], strict=False)), ratios


def through(blocks, h):
    for block in blocks:
        h = block(h)
    return h


def test_nonlinear_spectrum_matches_autograd_jacobian_per_sample():
    config = RunConfig(depth=4, width=12, activation="tanh", init="xavier", norm="layer", steps=0)
    frame = jacobian_spectrum(config, INPUT, samples=4)
    model = build(config, torch.Generator().manual_seed(0)).double()
    points, _ = make_dataset(config.dataset, config.seed)
    rows = np.linspace(0, len(points) - 1, 4).round().astype(int)
    for sample, row in enumerate(rows):
        x = torch.from_numpy(points[row]).double()
        jac = torch.autograd.functional.jacobian(lambda v: through(model.hidden, v), x)
        expected = torch.linalg.svdvals(jac).numpy()
        np.testing.assert_allclose(frame[frame["sample"] == sample].singular_value, expected, rtol=1e-9)


def test_relu_kills_directions():
    # ReLU's derivative is 0 on the inactive units: about half the directions of each layer are lost
    frame = jacobian_spectrum(RunConfig(depth=8, width=64, activation="relu", init="he", steps=0), HIDDEN)
    assert (frame.singular_value < 1e-9).mean() >= 0.45


def test_bad_requests_are_refused():
    with pytest.raises(ValueError, match="BatchNorm"):
        jacobian_spectrum(RunConfig(norm="batch"))
    with pytest.raises(ValueError, match="2 hidden layers"):
        jacobian_spectrum(RunConfig(depth=1), HIDDEN)
    with pytest.raises(ValueError, match="variant"):
        jacobian_spectrum(RunConfig(), "output")


@pytest.mark.parametrize("products", [1, 2, 4])
def test_fuss_catalan_density_has_the_fuss_catalan_moments(products):
    law = fuss_catalan_density(products, points=100_000)
    x, density = law.x.to_numpy(), law.density.to_numpy()
    for k in range(4):
        expected = math.comb((products + 1) * k, k) / (products * k + 1)
        assert np.trapezoid(density * x**k, x) == pytest.approx(expected, rel=5e-3)
    assert x.max() == pytest.approx((products + 1) ** (products + 1) / products**products, rel=1e-4)


def test_measured_gaussian_spectrum_follows_free_probability():
    # second moment of sigma^2 (the spread): measured over many samples' Jacobians vs (s+1) from the law
    config = linear(depth=4, width=128, init="lecun")
    values = jacobian_spectrum(config, HIDDEN, samples=1).singular_value.to_numpy()
    assert np.mean(values**2) == pytest.approx(1.0, abs=0.1)
    assert np.mean(values**4) == pytest.approx(math.comb(8, 2) / 7, rel=0.2)  # s = 3: binom(8, 2)/7 = 4
    law = singular_value_density(3, gain=1.0)
    total = np.trapezoid(law.log10_density, np.log10(law.singular_value))
    assert total == pytest.approx(1.0, abs=0.01)
    assert math.isclose(law.singular_value.max(), math.sqrt(4**4 / 3**3), rel_tol=1e-4)
