"""The network a RunConfig describes: hidden blocks linear -> norm -> activation (+ identity skip), then
a linear output layer with two logits. The model knows nothing of the instruments that measure it.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from explorer.engine import activations
from explorer.engine.config import RunConfig

N_INPUTS = 2
N_CLASSES = 2
BIAS_STREAM = 104_729  # offset of the bias generator's seed from the run's seed


class Block(nn.Module):
    """One hidden layer l: z_l = norm(W_l h_{l-1} + b_l), h_l = f(z_l), plus h_{l-1} when skipping."""

    def __init__(self, fan_in: int, width: int, norm: str, activation: str, residual: bool):
        super().__init__()
        self.linear = nn.Linear(fan_in, width)
        self.norm = _make_norm(norm, width)
        self.act = activations.make(activation)
        self.skip = residual and fan_in == width

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        out = self.act(self.norm(self.linear(h)))
        return h + out if self.skip else out


class MLP(nn.Module):
    def __init__(self, config: RunConfig):
        super().__init__()
        widths = [N_INPUTS] + [config.width] * config.depth
        self.hidden = nn.ModuleList(
            Block(fan_in, fan_out, config.norm, config.activation, config.residual)
            for fan_in, fan_out in zip(widths[:-1], widths[1:], strict=True)
        )
        self.output = nn.Linear(config.width, N_CLASSES)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for block in self.hidden:
            x = block(x)
        return self.output(x)

    def traced(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor], list[torch.Tensor]]:
        """forward(x) by the same operations in the same order (the same logits, bit for bit), also keeping
        each hidden layer's z_l (the activation's input) and f(z_l): a pass that is watched, without the
        hooks whose registration and dispatch cost more than the watching."""
        zs, outs = [], []
        for block in self.hidden:
            z = block.norm(block.linear(x))
            out = block.act(z)
            x = x + out if block.skip else out
            zs.append(z)
            outs.append(out)
        return self.output(x), zs, outs


def build(config: RunConfig, generator: torch.Generator) -> MLP:
    """The network with the config's initialisation, drawn from `generator` (hence reproducible)."""
    model = MLP(config)
    for block in model.hidden:
        init_weight(block.linear.weight, config.init, config.init_scale, generator)
        nn.init.zeros_(block.linear.bias)
    init_weight(model.output.weight, "lecun", 1.0, generator)  # the output layer is always lecun x 1
    nn.init.zeros_(model.output.bias)
    if config.bias_std > 0:  # a stream of its own: the weights and batches stay those of the bias-free net
        biases = torch.Generator().manual_seed(config.seed + BIAS_STREAM)
        with torch.no_grad():
            for block in model.hidden:
                block.linear.bias.normal_(0.0, config.bias_std, generator=biases)
    return model


def init_std(scheme: str, fan_in: int, fan_out: int) -> float:
    """The weight std of each scheme at scale 1 (orthogonal: the std of an orthogonal matrix's entries)."""
    if scheme == "lecun":
        return 1.0 / math.sqrt(fan_in)
    if scheme == "xavier":
        return math.sqrt(2.0 / (fan_in + fan_out))
    if scheme == "he":
        return math.sqrt(2.0 / fan_in)
    if scheme == "uniform":  # U[-1/sqrt(n), 1/sqrt(n)], Glorot & Bengio's "standard" init: std 1/sqrt(3n)
        return 1.0 / math.sqrt(3.0 * fan_in)
    if scheme == "orthogonal":  # singular values 1: rows (or columns) are unit vectors
        return 1.0 / math.sqrt(max(fan_in, fan_out))
    raise ValueError(f"init: unknown scheme {scheme!r}")


def init_weight(weight: torch.Tensor, scheme: str, scale: float, generator: torch.Generator) -> None:
    fan_out, fan_in = weight.shape
    with torch.no_grad():
        if scheme == "orthogonal":
            nn.init.orthogonal_(weight, gain=scale, generator=generator)
        elif scheme == "uniform":
            bound = scale / math.sqrt(fan_in)
            nn.init.uniform_(weight, -bound, bound, generator=generator)
        else:
            nn.init.normal_(weight, 0.0, scale * init_std(scheme, fan_in, fan_out), generator=generator)


def _make_norm(norm: str, width: int) -> nn.Module:
    if norm == "none":
        return nn.Identity()
    if norm == "batch":
        return nn.BatchNorm1d(width)
    if norm == "layer":
        return nn.LayerNorm(width)
    raise ValueError(f"norm: unknown {norm!r}")
