"""The chain-rule page's verdict at its boundaries, with every number it states recomputed here from
math alone: the kind is judged on |w₄σ′·w₃σ′·w₂σ′| against 1 (within 1e-12 of 1: neutral), the weights'
comparison on |∂L/∂w₁| / |∂L/∂w₄| against 1. With ReLU, a positive input and zero biases every slope is 1,
so the product is w₄·w₃·w₂ and the ratio is w₄/w₁ exactly: cases a hair either side of each edge."""

from __future__ import annotations

import dataclasses
import math

import pytest

from explorer.lessons import chain
from explorer.lessons.chain import ChainConfig, compute, verdict


def sig(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def dsig(z: float) -> float:
    return sig(z) * (1 - sig(z))


@pytest.mark.parametrize(
    ("w2", "kind"),
    [
        (1.0 - 2e-12, "vanish"),
        (1.0 - 5e-13, "neutral"),
        (1.0 + 5e-13, "neutral"),
        (1.0 + 2e-12, "explode"),
    ],
)
def test_the_kind_is_neutral_only_within_the_tolerance_of_one(w2, kind):
    said = verdict(compute(ChainConfig(activation="relu", w2=w2)))
    assert chain.NEUTRAL_TOLERANCE == 1e-12
    assert said.kind == kind
    if kind == "neutral":
        assert said.numbers["product"] == "1.000e+00"
    else:  # printed with the digits that tell it from 1
        assert float(said.numbers["product"]) == pytest.approx(w2, rel=1e-13) != 1.0
    assert said.moves == "same"  # the ratio w4/w1 is 1


@pytest.mark.parametrize(
    ("w4", "moves"),
    [(1.0 - 2e-12, "less"), (1.0 - 5e-13, "same"), (1.0 + 5e-13, "same"), (1.0 + 2e-12, "more")],
)
def test_the_weights_move_the_same_only_within_the_tolerance_of_one(w4, moves):
    said = verdict(compute(ChainConfig(activation="relu", w4=w4)))
    assert said.moves == moves
    assert float(said.numbers["ratio"]) == pytest.approx(w4, rel=1e-13)
    assert float(said.numbers["inverse"]) == pytest.approx(1 / w4, rel=1e-13)


def test_every_number_of_the_default_sigmoid_chain():
    """All weights 1, biases 0, x = 1, y = 0, worked out with math.exp."""
    z1 = 1.0
    z2, z3, z4 = sig(z1), sig(sig(z1)), sig(sig(sig(z1)))
    out = sig(z4)
    error = out - 0.0
    grad_w4 = error * dsig(z4) * sig(z3)  # ∂L/∂z₄ · h₃
    grad_w1 = error * dsig(z4) * dsig(z3) * dsig(z2) * dsig(z1) * 1.0
    product = dsig(z3) * dsig(z2) * dsig(z1)
    said = verdict(compute(ChainConfig()))
    assert said.kind == "vanish" and said.moves == "less"
    assert said.numbers == {
        "output": f"{out:.6g}",
        "loss": f"{0.5 * out**2:.6g}",
        "grad_w1": f"{grad_w1:.4e}",
        "grad_w4": f"{grad_w4:.4e}",
        "product": f"{product:.3e}",
        "below": "3",
        "above": "0",
        "ratio": f"{grad_w1 / grad_w4:.3g}",
        "inverse": f"{grad_w4 / grad_w1:.3g}",
    }


def test_negative_factors_are_judged_by_their_size():
    """Sigmoid, w₂ = −8, w₃ = w₄ = 8, biases that put z₂ and z₃ at 0: factors −8σ′(1) ≈ −1.57, 2 and 2.
    Their product is negative but its size, 6.3, is above 1: exploding, and all three factors above 1."""
    config = ChainConfig(w2=-8.0, w3=8.0, w4=8.0, b2=8.0 * sig(1.0), b3=-4.0)
    result = compute(config)
    size = 8.0 * dsig(1.0) * 2.0 * 2.0
    said = verdict(result)
    assert said.kind == "explode"
    assert said.numbers["product"] == f"{size:.3e}"
    assert (said.numbers["below"], said.numbers["above"]) == ("0", "3")


def test_counts_of_factors_below_and_above_one():
    said = verdict(compute(ChainConfig(activation="relu", w2=0.5, w3=2.0, w4=1.0)))  # factors 1, 2, 0.5
    assert (said.numbers["below"], said.numbers["above"]) == ("1", "1")  # a factor of exactly 1 is neither
    assert said.kind == "neutral"  # 0.5 · 2 · 1


def test_no_signal_at_either_weight_is_zero():
    # ReLU with b1 = −5: z₁ = −4, h₁ = 0 and σ′(z₁) = 0, so h₂ = h₃ = 0 too: ∂L/∂w₁ = ∂L/∂w₄ = 0
    said = verdict(compute(ChainConfig(activation="relu", b1=-5.0)))
    assert (said.kind, said.moves) == ("zero", None)
    assert "ratio" not in said.numbers and said.numbers["grad_w1"] == "0.0000e+00"


def test_no_signal_at_one_weight_is_one_zero():
    # x = 0: ∂L/∂w₁ carries the factor x = 0 while ∂L/∂w₄ = ∂L/∂z₄ · h₃ does not
    result = compute(ChainConfig(x=0.0))
    said = verdict(result)
    assert (said.kind, said.moves) == ("one_zero", None)
    assert said.numbers["grad_w1"] == "0.0000e+00" and result.layers.grad_w.iloc[-1] != 0


def test_the_neuron_table_holds_each_layers_input_weight_bias_and_output():
    config = ChainConfig(x=0.5, w1=2.0, w2=-1.0, w3=3.0, w4=0.5, b1=0.1, b2=0.2, b3=-0.3, b4=0.4)
    result = compute(config)
    assert result.config == config  # the result carries the config it was computed from
    neurons = result.neurons
    h, inputs, zs = 0.5, [], []
    for w, b in zip(config.weights, config.biases, strict=True):
        inputs.append(h)
        zs.append(w * h + b)
        h = sig(zs[-1])
    assert neurons.layer.tolist() == [1, 2, 3, 4]
    assert neurons.input.tolist() == pytest.approx(inputs, rel=1e-15)
    assert neurons.weight.tolist() == [2.0, -1.0, 3.0, 0.5]
    assert neurons.bias.tolist() == [0.1, 0.2, -0.3, 0.4]
    assert neurons.z.tolist() == pytest.approx(zs, rel=1e-15)
    assert neurons.h.tolist() == pytest.approx([sig(z) for z in zs], rel=1e-15)
    assert neurons.slope.tolist() == pytest.approx([dsig(z) for z in zs], rel=1e-14)


def test_the_relative_difference_of_two_zeros_is_zero_and_otherwise_relative():
    result = compute(ChainConfig(activation="relu", b1=-5.0))
    assert result.grad_w1 == result.grad_w1_autograd == 0.0 and result.relative_difference == 0.0
    factors = result.factors.copy()
    factors.loc[factors.index[-1], ["running", "autograd"]] = [-2.5, -2.0]
    assert dataclasses.replace(result, factors=factors).relative_difference == pytest.approx(0.25, rel=1e-15)
    factors.loc[factors.index[-1], ["running", "autograd"]] = [1e-300, 0.0]  # autograd's 0: relative to 1e-300
    assert dataclasses.replace(result, factors=factors).relative_difference == pytest.approx(1.0, rel=1e-15)


def test_the_chain_table_runs_from_the_loss_back_to_w1_in_order():
    """Keys name the factors the page labels (chain.factor_<key>); each row's running product is every
    factor so far, and the last row is ∂L/∂w₁."""
    config = ChainConfig(x=0.5, w2=2.0, w3=-1.0, w4=3.0, b1=0.1)
    result = compute(config)
    factors = result.factors
    assert list(factors.columns) == ["position", "key", "factor", "running", "autograd"]
    assert factors.key.tolist() == ["error", "out", "w4", "w3", "w2", "x"]
    assert factors.position.tolist() == [0, 1, 2, 3, 4, 5]
    slope, weight = result.neurons.slope.tolist(), config.weights
    expected = [
        result.output - config.y,
        slope[3],
        weight[3] * slope[2],
        weight[2] * slope[1],
        weight[1] * slope[0],
        0.5,
    ]
    assert factors.factor.tolist() == pytest.approx(expected, rel=1e-15)
    running = [math.prod(expected[: i + 1]) for i in range(6)]
    assert factors.running.tolist() == pytest.approx(running, rel=1e-14)
    assert result.grad_w1 == pytest.approx(running[-1], rel=1e-14)


def test_the_layer_table_gives_each_weight_and_bias_gradient():
    """∂L/∂b_l = ∂L/∂z_l (the running product down to layer l's slope), ∂L/∂w_l = ∂L/∂z_l · h_{l−1}."""
    config = ChainConfig(x=0.5, w2=2.0, w3=-1.0, w4=3.0, b1=0.1)
    result = compute(config)
    layers, running = result.layers, result.factors.running.tolist()
    assert list(layers.columns) == ["layer", "grad_w", "grad_w_autograd", "grad_b", "grad_b_autograd"]
    assert layers.layer.tolist() == [1, 2, 3, 4]
    dz = [running[4], running[3], running[2], running[1]]  # layers 1..4
    assert layers.grad_b.tolist() == pytest.approx(dz, rel=1e-15)
    assert layers.grad_w.tolist() == pytest.approx(
        [d * h for d, h in zip(dz, result.neurons.input, strict=True)], rel=1e-15
    )
    assert result.loss == pytest.approx(0.5 * (result.output - config.y) ** 2, rel=1e-15)


@pytest.mark.parametrize(
    ("value", "spec", "text"),
    [
        (0.5, ".3g", "0.5"),  # far from 1: the spec as asked
        (1.0, ".3e", "1.000e+00"),  # 1 itself is printed as 1
        (1 - 1e-11, ".3e", "9.9999999999e-01"),  # the fewest digits that do not read 1
        (1 + 4e-12, ".3g", "1.000000000004"),
        (math.nextafter(1.0, 2.0), ".3g", "1.0000000000000002"),  # 17 significant digits: the last float step
        (math.nextafter(1.0, 0.0), ".3e", "9.999999999999999e-01"),
    ],
)
def test_a_number_next_to_one_keeps_the_digits_that_tell_it_from_one(value, spec, text):
    assert chain.apart_from_one(value, spec) == text
    assert (float(text) == 1.0) == (value == 1.0)


def test_small_and_large_numbers_are_written_in_lowercase_scientific_notation():
    """ReLU, x = 0.01, w₁ = 20, w₄ = 1e-4 (others 1): ŷ = w₄·w₁·x = 2e-5, the ratio w₄/w₁ = 5e-6."""
    said = verdict(compute(ChainConfig(activation="relu", x=0.01, w1=20.0, w4=1e-4)))
    assert (said.kind, said.moves) == ("vanish", "less")
    numbers = said.numbers
    assert (numbers["output"], numbers["loss"]) == ("2e-05", "2e-10")
    assert (numbers["grad_w1"], numbers["grad_w4"]) == ("2.0000e-11", "4.0000e-06")
    assert (numbers["product"], numbers["ratio"], numbers["inverse"]) == ("1.000e-04", "5e-06", "2e+05")


def test_no_float_lies_exactly_the_tolerance_away_from_one():
    """Why `<` and `<=` against NEUTRAL_TOLERANCE cannot differ (listed as equivalent mutants): x − 1 is exact
    for floats near 1, a multiple of 2⁻⁵³, and 1e-12 is not one."""
    above = [1.0 + k * 2.0**-52 for k in range(4400, 4600)]
    below = [1.0 - k * 2.0**-53 for k in range(8900, 9100)]
    assert all(abs(x - 1.0) != chain.NEUTRAL_TOLERANCE for x in above + below)
    assert (chain.NEUTRAL_TOLERANCE / 2.0**-53) % 1 != 0
