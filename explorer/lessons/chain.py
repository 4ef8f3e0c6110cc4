"""The material's chain-rule example: three hidden layers of one neuron each and one output neuron,
x → h₁ → h₂ → h₃ → ŷ, with h_l = σ(z_l), z_l = w_l·h_{l−1} + b_l (h₀ = x), ŷ = h₄, L = ½(ŷ − y)².

∂L/∂w₁ = (ŷ − y) · σ′(z₄) · w₄σ′(z₃) · w₃σ′(z₂) · w₂σ′(z₁) · x, factor by factor from the closed-form
derivatives, checked against torch autograd on the same float64 numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd
import torch

from explorer.engine import activations, query, runtime
from explorer.lessons.verdict import apart, formatted

CHAIN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")
N_NEURONS = 4  # three hidden neurons and the output neuron
WEIGHT_RANGE = (-20.0, 20.0)
BIAS_RANGE = (-10.0, 10.0)
INPUT_RANGE = (-5.0, 5.0)
TARGET_RANGE = (0.0, 1.0)


@dataclass(frozen=True)
class ChainConfig(query.Config):
    x: float = 1.0
    y: float = 0.0  # the target
    w1: float = 1.0
    w2: float = 1.0
    w3: float = 1.0
    w4: float = 1.0
    b1: float = 0.0
    b2: float = 0.0
    b3: float = 0.0
    b4: float = 0.0
    activation: str = "sigmoid"

    RULES: ClassVar[Mapping[str, Any]] = {
        "x": query.Float(*INPUT_RANGE),
        "y": query.Float(*TARGET_RANGE),
        **{f"w{i}": query.Float(*WEIGHT_RANGE) for i in range(1, N_NEURONS + 1)},
        **{f"b{i}": query.Float(*BIAS_RANGE) for i in range(1, N_NEURONS + 1)},
        "activation": query.Choice(CHAIN_ACTIVATIONS),
    }

    @property
    def weights(self) -> tuple[float, ...]:
        return (self.w1, self.w2, self.w3, self.w4)

    @property
    def biases(self) -> tuple[float, ...]:
        return (self.b1, self.b2, self.b3, self.b4)


@dataclass(frozen=True)
class ChainResult:
    config: ChainConfig
    neurons: pd.DataFrame  # layer 1..4: z, h, slope σ′(z), weight, bias
    factors: pd.DataFrame  # the chain from the loss back to w₁: key, factor, running (chain rule), autograd
    layers: pd.DataFrame  # layer 1..4: ∂L/∂w_l and ∂L/∂b_l by the chain rule and by autograd
    output: float
    loss: float

    @property
    def grad_w1(self) -> float:
        return float(self.factors.running.iloc[-1])

    @property
    def grad_w1_autograd(self) -> float:
        return float(self.factors.autograd.iloc[-1])

    @property
    def relative_difference(self) -> float:
        """|chain rule − autograd| / |autograd| for ∂L/∂w₁ (0 when both are exactly 0)."""
        diff = abs(self.grad_w1 - self.grad_w1_autograd)
        return 0.0 if diff == 0 else diff / max(abs(self.grad_w1_autograd), 1e-300)


def _forward(config: ChainConfig, params: torch.Tensor, module: torch.nn.Module) -> tuple[list, list]:
    """z_l and h_l for l = 1..4 (float64 tensors), h₀ = x."""
    h = torch.tensor(config.x, dtype=torch.float64)
    zs, hs = [], []
    for layer in range(N_NEURONS):
        z = params[layer] * h + params[N_NEURONS + layer]
        h = module(z)
        zs.append(z)
        hs.append(h)
    return zs, hs


def compute(config: ChainConfig) -> ChainResult:
    """Every factor of the chain rule for ∂L/∂w₁, and the same derivatives from autograd."""
    runtime.configure_threads()
    module = activations.make(config.activation)
    params = torch.tensor(config.weights + config.biases, dtype=torch.float64, requires_grad=True)
    zs, hs = _forward(config, params, module)
    for z in zs:
        z.retain_grad()
    output = hs[-1]
    output.retain_grad()
    loss = 0.5 * (output - config.y) ** 2
    loss.backward()

    # The chain rule by hand, from the values of the forward pass.
    z = [float(z.detach()) for z in zs]
    # σ′(z_l) in closed form, one neuron at a time like the forward pass (a vectorised tanh can differ
    # from the scalar one in the last bit, which 1 − tanh² amplifies where tanh saturates)
    slope = [float(activations.derivative(config.activation, z.detach())) for z in zs]
    w = config.weights
    inputs = [config.x] + [float(h.detach()) for h in hs[:-1]]  # h₀ = x, h₁, h₂, h₃
    error = float(output.detach()) - config.y  # ∂L/∂ŷ
    chain = [
        ("error", error, output.grad),
        ("out", slope[3], zs[3].grad),
        ("w4", w[3] * slope[2], zs[2].grad),
        ("w3", w[2] * slope[1], zs[1].grad),
        ("w2", w[1] * slope[0], zs[0].grad),
        ("x", config.x, params.grad[0]),
    ]
    rows, running = [], 1.0
    for position, (key, factor, oracle) in enumerate(chain):
        running *= factor
        rows.append((position, key, factor, running, float(oracle)))
    factors = pd.DataFrame(rows, columns=["position", "key", "factor", "running", "autograd"])

    signal = [float(factors.running.iloc[N_NEURONS + 1 - layer]) for layer in range(1, N_NEURONS + 1)]  # ∂L/∂z_l
    layers = pd.DataFrame(
        {
            "layer": range(1, N_NEURONS + 1),
            "grad_w": [signal[i] * inputs[i] for i in range(N_NEURONS)],  # ∂L/∂w_l = ∂L/∂z_l · h_{l−1}
            "grad_w_autograd": params.grad[:N_NEURONS].tolist(),
            "grad_b": signal,  # ∂L/∂b_l = ∂L/∂z_l
            "grad_b_autograd": params.grad[N_NEURONS:].tolist(),
        }
    )
    neurons = pd.DataFrame(
        {
            "layer": range(1, N_NEURONS + 1),
            "input": inputs,
            "weight": w,
            "bias": config.biases,
            "z": z,
            "h": [float(h.detach()) for h in hs],
            "slope": slope,
        }
    )
    return ChainResult(config, neurons, factors, layers, float(output.detach()), float(loss.detach()))


@dataclass(frozen=True)
class ChainVerdict:
    """What the page says: `kind` is the chain's (vanish, explode, neutral, zero, one_zero), judged on the
    product of the three factors w·σ′(z); `moves` (less, more, same) compares the two weight gradients,
    which also carry the inputs x and h₃; `numbers` fill the catalogue entries."""

    kind: str
    moves: str | None
    numbers: dict[str, str]


NEUTRAL_TOLERANCE = 1e-12  # a product of factors that are each exactly 1 (ReLU-like, w = 1), up to rounding


def apart_from_one(value: float, spec: str) -> str:
    """`value` in format `spec`, with the digits that tell it from 1: a product of 1 − 1e-11 is vanishing,
    and the sentence must not call 1.000e+00 vanishing."""
    return apart(value, spec)


def verdict(result: ChainResult) -> ChainVerdict:
    middle = result.factors[result.factors.key.isin(["w4", "w3", "w2"])].factor.abs()
    product = float(middle.prod())
    first, last = abs(result.layers.grad_w.iloc[0]), abs(result.layers.grad_w.iloc[-1])
    numbers = dict(
        **formatted(".6g", output=result.output, loss=result.loss),
        **formatted(".4e", grad_w1=result.grad_w1, grad_w4=result.layers.grad_w.iloc[-1]),
        product=f"{product:.3e}",
        below=str(int((middle < 1).sum())),
        above=str(int((middle > 1).sum())),
    )
    if first == 0 and last == 0:
        return ChainVerdict("zero", None, numbers)
    if first == 0 or last == 0:
        return ChainVerdict("one_zero", None, numbers)
    near_one = abs(product - 1.0) <= NEUTRAL_TOLERANCE
    kind = "neutral" if near_one else ("vanish" if product < 1 else "explode")
    if kind != "neutral":  # a product 1e-11 off 1 is not "1.000e+00"
        numbers["product"] = apart_from_one(product, ".3e")
    ratio = first / last
    numbers |= dict(ratio=apart_from_one(ratio, ".3g"), inverse=apart_from_one(1 / ratio, ".3g"))
    moves = "same" if abs(ratio - 1.0) <= NEUTRAL_TOLERANCE else ("less" if ratio < 1 else "more")
    return ChainVerdict(kind, moves, numbers)
