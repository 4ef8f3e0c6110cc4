"""Activation derivatives against autograd, the sigmoid's 0.25 bound, and the saturation definition."""

import numpy as np
import pytest
import torch

from explorer.engine import activations

NAMES = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "silu", "linear"]


def test_sigmoid_derivative_peaks_at_a_quarter_at_zero():
    xs = np.linspace(-10, 10, 2001)
    curve = activations.curves("sigmoid", xs)  # f' measured by autograd through nn.Sigmoid
    peak = curve.loc[curve.df.idxmax()]
    assert peak.x == pytest.approx(0.0, abs=1e-12)
    assert peak.df == pytest.approx(0.25, abs=1e-12)
    assert (curve.df <= 0.25 + 1e-15).all()


@pytest.mark.parametrize("name", NAMES)
def test_closed_form_derivative_matches_autograd(name):
    xs = np.concatenate([np.linspace(-8, 8, 801), [1e-3, -1e-3]])
    xs = xs[np.abs(xs) > 1e-9]  # the kink of relu-likes at 0 is a convention, not a derivative
    curve = activations.curves(name, xs)
    closed = activations.derivative(name, torch.tensor(xs, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(closed, curve.df.to_numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_max_derivative_is_the_measured_peak(name):
    curve = activations.curves(name, np.linspace(-8, 8, 160001))
    assert curve.df.abs().max() == pytest.approx(activations.MAX_DERIVATIVE[name], rel=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_fast_saturation_equals_the_definition(name):
    z = torch.randn(6, 512, 64, generator=torch.Generator().manual_seed(3)) * 4
    fast = activations.saturated_fraction(name, z)
    exact = activations.is_saturated(name, z).float().flatten(1).mean(dim=1)
    torch.testing.assert_close(fast, exact, atol=1e-6, rtol=0)


def test_saturation_meaning():
    z = torch.tensor([[-5.0, -1.0, 1.0, 5.0]])
    assert activations.saturated_fraction("relu", z).item() == 0.5  # the zero side: dead
    assert activations.saturated_fraction("sigmoid", z).item() == 0.5  # |z| > 4.36: the flat tails
    assert activations.saturated_fraction("linear", z).item() == 0.0
