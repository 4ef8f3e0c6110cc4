"""Independent oracles: the figures a page shows, recomputed from the raw per-layer table by layer NUMBER.

Page tests compare what a page prints with these, never with the `explorer.engine.measures` helpers the
page itself calls: a wrong definition in `measures` would otherwise pass on both sides. Each function is
the definition written out once more, as plainly as possible (layer numbers: 1 is the input side,
`depth` is the last hidden layer, `depth + 1` is the output layer).
"""

from __future__ import annotations

import math

import pandas as pd


def at_step(layers: pd.DataFrame, step: int, column: str) -> dict[int, float]:
    """{layer number: value} of one column at one recorded step."""
    rows = layers[layers["step"] == step]
    return {int(layer): float(value) for layer, value in zip(rows["layer"], rows[column], strict=True)}


def signal_ratio(layers: pd.DataFrame, depth: int, step: int = 0) -> float:
    """‖∂L/∂z‖ at layer 1 over ‖∂L/∂z‖ at layer `depth` (the last hidden layer, not the output layer)."""
    signal = at_step(layers, step, "signal_norm")
    assert max(signal) == depth + 1, f"expected layers 1..{depth + 1}, got {sorted(signal)}"
    return signal[1] / signal[depth]


def per_layer_factor(layers: pd.DataFrame, depth: int, step: int = 0) -> float:
    """The geometric mean of the depth - 1 layer-to-layer factors between layer `depth` and layer 1."""
    return signal_ratio(layers, depth, step) ** (1.0 / (depth - 1))


def mean_update(layers: pd.DataFrame, layer: int) -> float:
    """Mean ‖ΔW‖/‖W‖ of one layer over the steps that applied an update (finite values)."""
    values = [v for v in layers.loc[layers["layer"] == layer, "update_ratio"] if math.isfinite(v)]
    return sum(values) / len(values)


def learning_speed_ratio(layers: pd.DataFrame, depth: int) -> float:
    """How much faster the last hidden layer learns than layer 1 (NaN when layer 1 never moved)."""
    first = mean_update(layers, 1)
    return mean_update(layers, depth) / first if first > 0 else math.nan


def forward_by_hand(model, inputs):
    """The MLP's forward pass written out: each hidden layer's z (after the norm) and the logits, as
    tensors autograd can differentiate with respect to."""
    zs, h = [], inputs
    for block in model.hidden:
        z = block.norm(block.linear(h))
        zs.append(z)
        out = block.act(z)
        h = h + out if block.skip else out
    logits = model.output(h)
    return zs + [logits], logits
