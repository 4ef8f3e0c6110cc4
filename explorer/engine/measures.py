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


def mean_update_ratio(layers: pd.DataFrame) -> pd.Series:
    """Mean ||dW||/||W|| of each layer over all recorded updates (the last step applies none)."""
    applied = layers[np.isfinite(layers.update_ratio)]
    return applied.groupby("layer").update_ratio.mean()


def learning_speed_ratio(layers: pd.DataFrame) -> float:
    """How much slower layer 1 learns than the last hidden layer: mean update ratio, last over first."""
    means = mean_update_ratio(layers)
    if len(means) < 3 or means.iloc[0] <= 0:
        return math.nan
    return float(means.iloc[-2] / means.iloc[0])  # iloc[-1] is the output layer


def decades(value: float) -> float:
    """Orders of magnitude of a ratio (signed)."""
    return math.log10(value) if value > 0 and math.isfinite(value) else math.nan


def flow_kind(factor: float, tolerance: float = 0.8) -> str:
    """ "vanishing", "exploding" or "stable" for a per-layer factor (stable: within [0.8, 1.25])."""
    if factor < tolerance:
        return "vanishing"
    if factor > 1 / tolerance:
        return "exploding"
    return "stable"
