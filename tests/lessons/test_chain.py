"""The chain rule on the material's one-neuron-per-layer network, with autograd as the oracle: every
factor's running product is autograd's ∂L/∂z_l, and the product is ∂L/∂w₁ to float64 precision."""

import math

import numpy as np
import pytest

from explorer import i18n
from explorer.charts import chain as charts
from explorer.lessons.chain import CHAIN_ACTIVATIONS, N_NEURONS, ChainConfig, compute, verdict

t = i18n.translator("en")


def random_configs(activation: str, count: int = 12, scale: float = 1.0) -> list[ChainConfig]:
    rng = np.random.default_rng(11)
    configs = []
    for _ in range(count):
        values = {f"w{i}": float(rng.uniform(-6, 6)) * scale for i in range(1, N_NEURONS + 1)}
        values |= {f"b{i}": float(rng.uniform(-3, 3)) * scale for i in range(1, N_NEURONS + 1)}
        configs.append(
            ChainConfig(x=float(rng.uniform(-5, 5)), y=float(rng.uniform(0, 1)), activation=activation, **values)
        )
    return configs


def assert_agree(configs: list[ChainConfig]) -> None:
    for config in configs:
        result = compute(config)
        factors = result.factors
        # every partial product is autograd's gradient at that point of the chain
        np.testing.assert_allclose(factors.running, factors.autograd, rtol=1e-12, atol=1e-300)
        assert result.grad_w1 == pytest.approx(result.grad_w1_autograd, rel=1e-12, abs=1e-300)
        assert result.relative_difference < 1e-12
        layers = result.layers
        np.testing.assert_allclose(layers.grad_w, layers.grad_w_autograd, rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(layers.grad_b, layers.grad_b_autograd, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("activation", [a for a in CHAIN_ACTIVATIONS if a != "tanh"])
def test_chain_rule_product_equals_autograd(activation):
    assert_agree(random_configs(activation))


def test_chain_rule_product_equals_autograd_tanh():
    assert_agree(random_configs("tanh", scale=0.25))  # |z| below ~4: tanh′ well away from 0


def test_saturated_tanh_agrees_to_the_precision_its_derivative_has():
    """Deep in tanh's tail, 1 − tanh²(z) is a difference of two numbers within 1e-6 of each other: it
    carries a relative rounding error of about 1e-16/tanh′(z), in autograd's backward and in the closed
    form alike, and the two round differently. They agree to that precision, not to 1e-16."""
    for config in random_configs("tanh"):
        result = compute(config)
        slopes = result.neurons.slope.abs().to_numpy()
        slopes = slopes[slopes > 0]
        tolerance = 1e-12 + 4 * np.finfo(float).eps * (1 / slopes).sum()
        assert result.relative_difference <= tolerance


def test_hand_computed_sigmoid_chain():
    """All weights 1, biases 0, x = 1, y = 0: every number from math.exp alone."""
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    z1 = 1.0
    z2 = sig(z1)
    z3 = sig(z2)
    z4 = sig(z3)
    out = sig(z4)
    slope = [sig(z) * (1 - sig(z)) for z in (z1, z2, z3, z4)]
    expected = out * slope[3] * slope[2] * slope[1] * slope[0] * 1.0
    result = compute(ChainConfig())
    assert result.output == pytest.approx(out, rel=1e-15)
    assert result.loss == pytest.approx(0.5 * out**2, rel=1e-15)
    assert result.grad_w1 == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(result.neurons.z, [z1, z2, z3, z4], rtol=1e-15)


def test_finite_difference_agrees():
    config = ChainConfig(w1=2.0, w2=-1.5, w3=3.0, w4=0.7, b1=0.3, b2=-0.2, b3=0.1, b4=-1.0, x=0.8, y=1.0)
    h = 1e-6
    plus = compute(ChainConfig(**{**config.__dict__, "w1": config.w1 + h})).loss
    minus = compute(ChainConfig(**{**config.__dict__, "w1": config.w1 - h})).loss
    assert compute(config).grad_w1 == pytest.approx((plus - minus) / (2 * h), rel=1e-7)


def test_sigmoid_factors_are_at_most_a_quarter_of_the_weight():
    for config in random_configs("sigmoid", 30):
        factors = compute(config).factors.set_index("key")
        for key, weight in (("w4", config.w4), ("w3", config.w3), ("w2", config.w2)):
            assert abs(factors.factor[key]) <= 0.25 * abs(weight) + 1e-15


def test_unit_weights_vanish_and_large_weights_near_zero_explode():
    small = compute(ChainConfig())
    assert abs(small.layers.grad_w.iloc[0]) < abs(small.layers.grad_w.iloc[-1]) / 10
    # |w| = 8 with biases −w/2 keeps each z near 0, where σ′ ≈ 0.25: factors ≈ 2 > 1
    big = compute(ChainConfig(w1=8, w2=8, w3=8, w4=8, b1=-4, b2=-4, b3=-4, b4=-4, y=1.0, x=0.5))
    middle = big.factors.set_index("key").factor[["w4", "w3", "w2"]]
    assert (middle > 1).all()


def test_dead_relu_zeroes_the_chain():
    result = compute(ChainConfig(activation="relu", b2=-5.0))
    assert result.grad_w1 == 0.0 == result.grad_w1_autograd
    assert result.relative_difference == 0.0
    spec = charts.chain_factors(result.factors, t).to_dict()
    drawn = [row for rows in spec["datasets"].values() for row in rows if "series" in row]
    assert drawn and {row["series"] for row in drawn} == {t("chain.series_factor")}  # no product to draw
    everything_zero = result.factors.assign(factor=0.0, running=0.0)
    assert charts.chain_factors(everything_zero, t).to_dict()["mark"]["type"] == "text"


def test_hostile_query_falls_back_to_defaults():
    config, problems = ChainConfig.from_query({"w1": "nan", "b2": "1e400", "activation": "swish", "x": "2"})
    assert config == ChainConfig(x=2.0)
    assert {p.split("=")[0] for p in problems} == {"w1", "b2", "activation"}


def test_query_round_trip():
    config = ChainConfig(x=-1.5, y=0.25, w1=3.3, w4=-7.0, b3=2.5, activation="elu")
    assert ChainConfig.from_query(config.to_query()) == (config, [])


def test_chain_charts():
    result = compute(ChainConfig())
    spec = charts.chain_factors(result.factors, t).to_dict()
    assert [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]] == [
        "rule",
        "line",
        "point",
    ]
    assert spec["layer"][1]["encoding"]["y"]["scale"]["type"] == "log"
    drawn = [row for rows in spec["datasets"].values() for row in rows if "series" in row]
    assert len(drawn) == 12  # six factors, six partial products
    layer_spec = charts.layer_gradients(result.layers, t).to_dict()
    assert layer_spec["layer"][1]["encoding"]["color"]["scale"]["scheme"] == "viridis"  # the layer-position scale
    assert layer_spec["layer"][1]["encoding"]["y"]["scale"]["type"] == "log"


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "elu"])
def test_slope_one_chain_with_unit_weights_is_neutral_not_exploding(activation):
    """Positive input, weights 1: every factor w·σ′(z) is exactly 1 (the page used to call it exploding)."""
    result = compute(ChainConfig(activation=activation))
    factors = result.factors.set_index("key").factor
    assert list(factors[["w4", "w3", "w2"]]) == [1.0, 1.0, 1.0]
    said = verdict(result)
    assert said.kind == "neutral" and said.numbers["above"] == said.numbers["below"] == "0"


@pytest.mark.parametrize(("w2", "kind"), [(0.9, "vanish"), (1.0, "neutral"), (1.1, "explode")])
def test_chain_verdict_either_side_of_one(w2, kind):
    result = compute(ChainConfig(activation="relu", w2=w2))
    product = result.factors.set_index("key").factor[["w4", "w3", "w2"]].abs().prod()
    assert product == pytest.approx(w2, rel=1e-15)
    assert verdict(result).kind == kind


@pytest.mark.parametrize(
    ("config", "kind", "moves"),
    [
        # a vanishing chain whose first weight still moves more: x/h3 = 5/0.05 outweighs the product 0.53
        (ChainConfig(activation="tanh", x=5.0, w1=0.1), "vanish", "more"),
        # an exploding chain whose first weight moves less: x/h3 is small
        (ChainConfig(activation="relu", x=0.5, w1=4.0, w2=1.1), "explode", "less"),
        (ChainConfig(), "vanish", "less"),
    ],
)
def test_weight_comparison_follows_the_weight_gradients_not_the_chain(config, kind, moves):
    """ "moves the first weight 0.2× less" was printed when x/h3 pushed the ratio above 1."""
    result = compute(config)
    said = verdict(result)
    ratio = abs(result.layers.grad_w.iloc[0] / result.layers.grad_w.iloc[-1])
    assert (said.kind, said.moves) == (kind, moves)
    assert (ratio > 1) == (moves == "more")
    shown = float(said.numbers["inverse" if moves == "less" else "ratio"])
    assert shown > 1  # "N× less" and "N× more" always carry N above 1
