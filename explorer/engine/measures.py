"""Figures read off a run's records, for the one-line verdicts the pages print (no formulas: data in)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def hidden_at(layers: pd.DataFrame, step: int) -> pd.DataFrame:
    """The hidden layers' rows at `step`, indexed by layer (the output layer left out)."""
    at = layers[layers.step == step].set_index("layer")
    return at[at.index < at.index.max()] if len(at) > 1 else at


def signal_ratio(layers: pd.DataFrame, step: int = 0) -> float:
    """Signal at layer 1 over signal at the last hidden layer: 1 is perfect flow, 1e-6 is vanishing."""
    hidden = hidden_at(layers, step)
    if hidden.empty:
        return math.nan
    first, last = hidden.signal_norm.iloc[0], hidden.signal_norm.iloc[-1]
    return float(first / last) if last > 0 else math.nan


def per_layer_factor(layers: pd.DataFrame, step: int = 0) -> float:
    """The geometric-mean factor the signal is multiplied by per layer, going from output to input side."""
    hidden = hidden_at(layers, step)
    if len(hidden) < 2:
        return math.nan
    ratio = signal_ratio(layers, step)
    return float(ratio ** (1.0 / (len(hidden) - 1))) if ratio > 0 else math.nan


def underflow_span(layers: pd.DataFrame, step: int = 0) -> tuple[int, float] | None:
    """When layer 1's signal reads exactly 0 (its entries fell below float32's range) but the last hidden
    layer's does not: (lowest layer whose signal is still non-zero, the geometric-mean factor per layer
    from the last hidden layer down to it). None otherwise, or when fewer than two layers are non-zero."""
    hidden = hidden_at(layers, step).signal_norm
    if len(hidden) < 2 or hidden.iloc[0] != 0 or not hidden.iloc[-1] > 0:
        return None
    nonzero = hidden[hidden > 0]
    lowest, top = int(nonzero.index[0]), int(hidden.index[-1])
    if top == lowest:
        return None
    return lowest, float((nonzero.iloc[0] / hidden.iloc[-1]) ** (1.0 / (top - lowest)))


def mean_update_ratio(layers: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.Series:
    """Mean ||dW||/||W|| of each layer over all recorded updates (the last step applies none); with `by`
    (e.g. ("arm",)), of each layer of each group, indexed by (*by, layer)."""
    applied = layers[np.isfinite(layers.update_ratio)]
    return applied.groupby([*by, "layer"]).update_ratio.mean()


def learning_speed_ratio(layers: pd.DataFrame) -> float:
    """How much slower layer 1 learns than the last hidden layer: mean update ratio, last over first."""
    means = mean_update_ratio(layers)
    if len(means) < 3 or means.iloc[0] <= 0:
        return math.nan
    return float(means.iloc[-2] / means.iloc[0])  # iloc[-1] is the output layer


def decades(value: float) -> float:
    """Orders of magnitude of a ratio (signed)."""
    return math.log10(value) if value > 0 and math.isfinite(value) else math.nan


# The whole path from the last hidden layer down to layer 1 is judged, not the per-layer factor: a factor
# of 0.86 looks harmless, yet over 59 layers it leaves 1.4e-4 of the signal (ReLU, He x 0.9, depth 60).
VANISHING_BELOW = 0.1
EXPLODING_ABOVE = 10.0


def factor_count(layers: pd.DataFrame, step: int = 0) -> int:
    """How many layer-to-layer factors lie between the last hidden layer and layer 1 (depth - 1)."""
    return max(len(hidden_at(layers, step)) - 1, 0)


def flow_kind(ratio: float) -> str:
    """ "vanishing", "exploding" or "stable" for the signal ratio layer 1 / last hidden layer (`signal_ratio`):
    below 0.1 less than a tenth of the error reaches layer 1; above 10, ten times more; "undefined" for NaN."""
    if math.isnan(ratio):
        return "undefined"
    if ratio < VANISHING_BELOW:
        return "vanishing"
    if ratio > EXPLODING_ABOVE:
        return "exploding"
    return "stable"
