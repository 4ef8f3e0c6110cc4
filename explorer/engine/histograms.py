"""Histograms of a layer's entries on fixed bins, the same at every step, so a run's distributions can be
compared over training: pre-activations z and activations h on linear bins, the signal dL/dz and the weight
gradient dL/dW by magnitude on half-decade bins (a gradient spans many decades; exact zeros get a bin)."""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
import torch

QUANTITIES = ("z", "activation", "signal", "weight_grad")
LOG_QUANTITIES = ("signal", "weight_grad")
LINEAR_BINS = 32
Z_RANGE = (-6.0, 6.0)  # a pre-activation beyond +-6 counts in the edge bins
BOUNDED = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
# |x| thresholds: bin 0 is |x| < 1e-12 (zeros included), then half decades up to 1e3, and |x| >= 1e3
LOG_THRESHOLDS_LOG10 = np.linspace(-12.0, 3.0, 31)
LOG_STEP = 0.5
LOG_THRESHOLDS = 10.0**LOG_THRESHOLDS_LOG10
N_BINS = LINEAR_BINS  # every quantity has as many bins: LINEAR_BINS, or len(LOG_THRESHOLDS) + 1
MOST_STEPS = 21
COLUMNS = ["step", "layer", "quantity", "bin", "low", "high", "count"]


def edges(quantity: str, activation: str) -> np.ndarray:
    """The bins' edges (len = bins + 1). Linear: values outside count in the first and last bins. Log
    (magnitudes): [0, 1e-12, 10^-11.5, ..., 1e3, inf]."""
    if quantity in LOG_QUANTITIES:
        return np.concatenate([[0.0], LOG_THRESHOLDS, [math.inf]])
    low, high = BOUNDED.get(activation, Z_RANGE) if quantity == "activation" else Z_RANGE
    return np.linspace(low, high, LINEAR_BINS + 1)


def counts(values: torch.Tensor, offsets: torch.Tensor, n_layers: int, quantity: str, activation: str) -> torch.Tensor:
    """(n_layers, bins) counts of `values`, with `offsets` each entry's layer (0-based) times the bin count,
    as int32: either `values` as (n_layers, entries) rows and `offsets` as (n_layers, 1) (`row_offsets`), or
    both flat (`layer_offsets`, for layers of different sizes). Bins are equal steps (of x, or of log10|x|),
    so the bin index is arithmetic (~10x faster than torch.bucketize here); it is worked out in place on one
    scratch tensor, clamped to the bins, truncated to int32 (the floor of a value >= 0) and offset by the
    layer's first bin there (in floats the sum could round up into the next layer's bins), and counted as
    int32 (bincount is twice as fast on it as on int64)."""
    low, step, n_bins = _scale(quantity, activation)
    assert n_bins == N_BINS, "offsets are laid out for N_BINS bins"
    if quantity in LOG_QUANTITIES:  # bin 0: |x| < 1e-12; bin k: 10^(-12 + (k-1)/2) <= |x| < 10^(-12 + k/2)
        scaled = values.abs().log10_().sub_(low).div_(step).add_(1)
    else:
        scaled = values.sub(low).div_(step)
    index = scaled.nan_to_num_(nan=n_bins - 1, neginf=0).clamp_(0, n_bins - 1).int()
    (index.view(n_layers, -1) if offsets.dim() == 2 else index).add_(offsets)
    return torch.bincount(index.view(-1), minlength=n_layers * n_bins).view(n_layers, n_bins)


@functools.cache
def _scale(quantity: str, activation: str) -> tuple[float, float, int]:
    """The arithmetic of `edges`: (first threshold, step, bins), of x or of log10|x|."""
    if quantity in LOG_QUANTITIES:
        return float(LOG_THRESHOLDS_LOG10[0]), LOG_STEP, len(LOG_THRESHOLDS) + 1
    bounds = edges(quantity, activation)
    return float(bounds[0]), float(bounds[1] - bounds[0]), len(bounds) - 1


def layer_offsets(sizes: list[int], n_bins: int) -> torch.Tensor:
    """Layer l's first bin (l * n_bins) repeated for each of its `sizes[l]` entries."""
    return torch.arange(len(sizes), dtype=torch.int32).mul_(n_bins).repeat_interleave(torch.tensor(sizes))


def row_offsets(n_layers: int, n_bins: int) -> torch.Tensor:
    """Layer l's first bin (l * n_bins) as a column: the offsets of (layers, entries) rows."""
    return torch.arange(n_layers, dtype=torch.int32).mul_(n_bins).view(-1, 1)


def histogram_steps(recorded: list[int], most: int = MOST_STEPS) -> list[int]:
    """At most `most` of the recorded steps, evenly spaced, the first and the last included."""
    if len(recorded) <= most:
        return list(recorded)
    picks = np.unique(np.linspace(0, len(recorded) - 1, most).round().astype(int))
    return [recorded[i] for i in picks]


def frame(records: list[tuple[int, str, np.ndarray]], activation: str) -> pd.DataFrame:
    """Tidy rows (step, layer, quantity, bin, low, high, count) of the nonzero counts, compact dtypes.
    `records` holds (step, quantity, counts of shape (layers, bins)); layer 1 is the first row. The columns
    are gathered as arrays and framed once (a frame per record cost more than all the counting)."""
    if not records:
        result = pd.DataFrame({c: [] for c in COLUMNS})
        result["quantity"] = pd.Categorical(result["quantity"], categories=QUANTITIES)
        return result.astype({"step": np.int32, "layer": np.int16, "bin": np.int16, "count": np.int32})
    bounds = {quantity: edges(quantity, activation).astype(np.float32) for quantity in QUANTITIES}
    parts: dict[str, list[np.ndarray]] = {c: [] for c in COLUMNS}
    for step, quantity, table in records:
        layer_index, bin_index = np.nonzero(table)
        parts["step"].append(np.full(len(bin_index), step, dtype=np.int32))
        parts["layer"].append((layer_index + 1).astype(np.int16))
        parts["quantity"].append(np.full(len(bin_index), QUANTITIES.index(quantity), dtype=np.int8))
        parts["bin"].append(bin_index.astype(np.int16))
        parts["low"].append(bounds[quantity][bin_index])
        parts["high"].append(bounds[quantity][bin_index + 1])
        parts["count"].append(table[layer_index, bin_index].astype(np.int32))
    columns = {c: np.concatenate(parts[c]) for c in COLUMNS}
    columns["quantity"] = pd.Categorical.from_codes(columns["quantity"], categories=QUANTITIES)
    return pd.DataFrame(columns)


def expected_normal(bounds: np.ndarray, q: float, entries: int) -> np.ndarray:
    """Expected counts per linear bin of `entries` draws of N(0, q), the edge bins taking the tails."""
    cdf = np.array([0.5 * (1 + math.erf(b / math.sqrt(2 * q))) if q > 0 else float(b >= 0) for b in bounds])
    cdf[0], cdf[-1] = 0.0, 1.0
    return entries * np.diff(cdf)
