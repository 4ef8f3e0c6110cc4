"""The chain-rule verdict at each of its boundaries, against a chain written out by hand (no torch, no
lesson helper): the product of the three factors w·σ′(z) just inside and just outside the tolerance that
calls it 1, and the two "a gradient is exactly zero" cases just on and just off zero.

The neutral tolerance is written out independently here (1e-12, relative to 1). With ReLU, a positive
input and w₁ = w₂ = w₃ = 1, b = 0, every slope is 1 and h₃ = x, so the product is w₄ exactly and
∂L/∂w₁ / ∂L/∂w₄ = product · x / h₃ = w₄: one URL value puts both the kind and the "moves" sentence on either
side of their thresholds.
"""

from __future__ import annotations

import math

import pytest

from explorer.lessons import chain
from explorer.lessons.chain import ChainConfig, compute, verdict

TOLERANCE = 1e-12  # "exactly 1, up to rounding": independently of chain.NEUTRAL_TOLERANCE


def relu_chain(config: ChainConfig) -> dict[str, float]:
    """The four-neuron ReLU chain by hand: the product of the three middle factors and both weight gradients."""
    relu = lambda z: max(z, 0.0)  # noqa: E731
    slope = lambda z: 1.0 if z > 0 else 0.0  # noqa: E731
    h, zs, inputs = config.x, [], []
    for w, b in zip(config.weights, config.biases, strict=True):
        inputs.append(h)
        zs.append(w * h + b)
        h = relu(zs[-1])
    error = h - config.y  # L = ½(ŷ − y)², ŷ = h₄
    dz4 = error * slope(zs[3])
    factors = [config.w4 * slope(zs[2]), config.w3 * slope(zs[1]), config.w2 * slope(zs[0])]
    dz1 = dz4 * factors[0] * factors[1] * factors[2]
    return dict(
        product=abs(factors[0] * factors[1] * factors[2]),
        grad_w1=dz1 * inputs[0],
        grad_w4=dz4 * inputs[3],
        below=sum(abs(f) < 1 for f in factors),
        above=sum(abs(f) > 1 for f in factors),
    )


# (w₄, kind, moves): just outside, just inside, inside, just outside the tolerance, on both sides of 1
CASES = [
    (1 - 10 * TOLERANCE, "vanish", "less"),
    (1 - TOLERANCE / 10, "neutral", "same"),
    (1 + TOLERANCE / 10, "neutral", "same"),
    (1 + 10 * TOLERANCE, "explode", "more"),
]


def test_the_tolerance_is_one_part_in_a_trillion():
    assert chain.NEUTRAL_TOLERANCE == TOLERANCE


@pytest.mark.parametrize(("w4", "kind", "moves"), CASES)
def test_kind_and_moves_on_either_side_of_the_neutral_tolerance(w4, kind, moves):
    config = ChainConfig(activation="relu", w4=w4)
    expected = relu_chain(config)
    said = verdict(compute(config))
    assert (said.kind, said.moves) == (kind, moves)
    ratio = abs(expected["grad_w1"] / expected["grad_w4"])
    assert ratio == pytest.approx(w4, rel=1e-15)
    assert said.numbers["grad_w1"] == f"{expected['grad_w1']:.4e}"
    assert said.numbers["grad_w4"] == f"{expected['grad_w4']:.4e}"
    assert (said.numbers["below"], said.numbers["above"]) == (str(expected["below"]), str(expected["above"]))
    if kind == "neutral":
        assert said.numbers["product"] == "1.000e+00"
    else:
        # the product it states is the measured one, and it reads as below/above 1, not as 1.000e+00
        stated = float(said.numbers["product"])
        assert stated == pytest.approx(expected["product"], rel=1e-14)
        assert (stated < 1) if kind == "vanish" else (stated > 1)
    if moves == "less":
        assert (
            float(said.numbers["inverse"]) == pytest.approx(1 / ratio, rel=1e-14) and float(said.numbers["inverse"]) > 1
        )
    if moves == "more":
        assert float(said.numbers["ratio"]) == pytest.approx(ratio, rel=1e-14) and float(said.numbers["ratio"]) > 1


@pytest.mark.parametrize(
    ("value", "spec", "text"),
    [
        (1.0, ".3e", "1.000e+00"),
        (0.5, ".3e", "5.000e-01"),
        (1 - 1e-11, ".3e", "9.9999999999e-01"),
        (1 + 1e-11, ".3g", "1.00000000001"),
        (1.004, ".3g", "1.004"),  # .3g would print 1
        (1.006, ".3g", "1.01"),
        (1 + 2**-52, ".3g", "1.0000000000000002"),
    ],
)
def test_numbers_next_to_one_keep_the_digits_that_tell_them_from_one(value, spec, text):
    assert chain.apart_from_one(value, spec) == text


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        # b₂ moves z₂ = 1 + b₂ across 0: the ReLU of neuron 2 dies (σ′ = 0, h₂ = 0), both gradients are 0
        (dict(b2=-1.1), "zero"),
        (dict(b2=-1.0), "zero"),  # z₂ = 0: ReLU′(0) = 0, as autograd has it
        (dict(b2=-0.9), "neutral"),
        # the output equals the target: the error is 0
        (dict(y=1.0), "zero"),
        (dict(y=0.95), "neutral"),
    ],
)
def test_a_dead_unit_or_a_perfect_output_zeroes_both_gradients_and_no_further(changes, kind):
    config = ChainConfig(activation="relu", **changes)
    expected = relu_chain(config)
    said = verdict(compute(config))
    assert said.kind == kind
    assert (expected["grad_w1"] == 0 and expected["grad_w4"] == 0) is (kind == "zero")
    if kind == "neutral" and "b2" in changes:
        # h₃ = z₂ = 0.1 while x = 1: the first weight moves 10× more although the product is 1
        assert said.moves == "more" and float(said.numbers["ratio"]) == pytest.approx(10.0, rel=1e-3)


@pytest.mark.parametrize(("x", "kind"), [(0.0, "one_zero"), (0.1, "vanish"), (-0.1, "vanish")])
def test_a_zero_input_zeroes_only_the_first_weights_gradient(x, kind):
    """Sigmoid, x = 0: ∂L/∂w₁ = ∂L/∂z₁ · x = 0 while ∂L/∂w₄ = ∂L/∂z₄ · h₃ is not."""
    config = ChainConfig(x=x)
    said = verdict(compute(config))
    assert said.kind == kind
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    h = [x]
    for _ in range(4):
        h.append(sig(h[-1]))  # every w = 1, b = 0
    product = math.prod(h[i] * (1 - h[i]) for i in (1, 2, 3))  # σ′(z_l) = h_l(1 − h_l) for l = 1..3
    assert float(said.numbers["product"]) == pytest.approx(product, rel=1e-3)
    assert float(said.numbers["grad_w1"]) == pytest.approx(h[4] * h[4] * (1 - h[4]) * product * x, rel=1e-4, abs=0)
