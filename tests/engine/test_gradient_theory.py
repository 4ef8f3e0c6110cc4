"""What the material and the papers say about gradient flow, measured on runs of the engine."""

import numpy as np
import pytest

from tests.conftest import signal_at_step


def per_layer_factor(signal, first, last):
    """Geometric-mean factor by which the signal grows per layer from `first` to `last` (input -> output)."""
    return (signal[last] / signal[first]) ** (1.0 / (last - first))


def test_deep_sigmoid_signal_shrinks_by_orders_of_magnitude_toward_the_input(measured):
    signal = signal_at_step(measured(depth=10, steps=0)).signal_norm
    assert signal[1] / signal[10] < 1e-4  # measured: ~1.7e-6
    assert (np.diff(signal.loc[1:10].to_numpy()) > 0).all()  # monotone: each layer multiplies by < 1


def test_sigmoid_factor_per_layer_is_below_a_quarter_times_the_weights(measured):
    # chi = s^2 E[sigma'(z)^2] <= 1/16 with lecun init: at least 4x per layer (sqrt of 16)
    signal = signal_at_step(measured(depth=10, width=256, steps=0)).signal_norm
    assert per_layer_factor(signal, 2, 10) > 4.0


def test_relu_he_keeps_the_signal_within_a_small_factor_across_30_layers(measured):
    signal = signal_at_step(measured(depth=30, activation="relu", init="he", steps=0)).signal_norm.loc[1:30]
    assert signal.max() / signal.min() < 3.0


def test_relu_lecun_shrinks_the_signal_by_sqrt2_per_layer(measured):
    # He et al. 2015: with std 1/sqrt(n) each ReLU layer halves the variance: sqrt(2) in norm
    signal = signal_at_step(measured(depth=30, width=256, activation="relu", init="lecun", steps=0)).signal_norm
    assert per_layer_factor(signal, 2, 30) == pytest.approx(np.sqrt(2), rel=0.05)


def test_linear_orthogonal_square_layers_preserve_the_signal_exactly(measured):
    signal = signal_at_step(measured(depth=20, width=32, activation="linear", init="orthogonal", steps=0)).signal_norm
    hidden = signal.loc[1:20].to_numpy()
    np.testing.assert_allclose(hidden, hidden[-1], rtol=2e-6)


def test_residual_skips_keep_the_input_side_signal_alive(measured):
    plain = signal_at_step(measured(depth=30, steps=0)).signal_norm
    skip = signal_at_step(measured(depth=30, steps=0, residual=True)).signal_norm
    assert plain[1] / plain[30] < 1e-15  # measured: ~1e-18
    assert (skip[1] / skip[30]) / (plain[1] / plain[30]) > 1e12


def test_weight_gradients_stay_flat_while_the_signal_vanishes(measured):
    # Glorot & Bengio 2010, Eq. 13-14: tanh with "standard" uniform init
    layers = signal_at_step(measured(depth=10, activation="tanh", init="uniform", steps=0)).loc[2:10]
    assert layers.signal_norm[2] / layers.signal_norm[10] < 0.05  # the signal falls > 20x
    assert layers.grad_norm.max() / layers.grad_norm.min() < 2.0  # the weight gradients barely move


def test_clipping_bounds_the_applied_norm(measured):
    result = measured(depth=10, activation="relu", init="he", init_scale=2.0, lr=0.5, clip_norm=0.5, steps=40)
    steps = result.steps
    assert (steps.grad_norm_total > 0.5).any()  # clipping had something to do
    assert (steps.grad_norm_clipped <= 0.5 * (1 + 1e-6)).all()
    # plain SGD: the applied weight update is lr x the clipped gradient, so at most lr x threshold
    layers = result.layers.merge(result.weights, on=["step", "layer"])
    applied = layers[layers.step < 40].assign(update=lambda d: d.update_ratio * d.weight_norm)
    update_norm = np.sqrt(applied.groupby("step").update.apply(lambda u: (u**2).sum()))
    assert (update_norm <= 0.5 * 0.5 * (1 + 1e-4)).all()


def test_weight_decay_shrinks_weight_norms(measured):
    plain = measured(depth=4, width=32, activation="relu", init="he", lr=0.1, steps=200)
    decayed = measured(depth=4, width=32, activation="relu", init="he", lr=0.1, steps=200, weight_decay=0.05)
    final = lambda r: r.weights[r.weights.step == 200].set_index("layer").weight_norm  # noqa: E731
    assert (final(decayed) < final(plain)).all()
    start = decayed.weights[decayed.weights.step == 0].set_index("layer").weight_norm
    assert (final(decayed) < start).all()
