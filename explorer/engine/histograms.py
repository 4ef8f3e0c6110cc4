"""Histograms of a layer's entries on fixed bins, the same at every step, so a run's distributions can be
compared over training: pre-activations z and activations h on linear bins, the signal dL/dz and the weight
gradient dL/dW by magnitude on half-decade bins (a gradient spans many decades; exact zeros get a bin)."""

from __future__ import annotations

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
MOST_STEPS = 21
COLUMNS = ["step", "layer", "quantity", "bin", "low", "high", "count"]


def edges(quantity: str, activation: str) -> np.ndarray:
    """The bins' edges (len = bins + 1). Linear: values outside count in the first and last bins. Log
    (magnitudes): [0, 1e-12, 10^-11.5, ..., 1e3, inf]."""
    if quantity in LOG_QUANTITIES:
        return np.concatenate([[0.0], LOG_THRESHOLDS, [math.inf]])
    low, high = BOUNDED.get(activation, Z_RANGE) if quantity == "activation" else Z_RANGE
    return np.linspace(low, high, LINEAR_BINS + 1)


def counts(
    values: torch.Tensor, layer_ids: torch.Tensor, n_layers: int, quantity: str, activation: str
) -> torch.Tensor:
    """(n_layers, bins) counts of flat `values`, each entry belonging to layer `layer_ids` (0-based).
    Bins are equal steps (of x, or of log10|x|), so the bin index is arithmetic: ~10x faster than
    torch.bucketize here."""
    bounds = edges(quantity, activation)
    n_bins = len(bounds) - 1
    if quantity in LOG_QUANTITIES:  # bin 0: |x| < 1e-12; bin k: 10^(-12 + (k-1)/2) <= |x| < 10^(-12 + k/2)
        scaled = (values.abs().log10() - LOG_THRESHOLDS_LOG10[0]) / LOG_STEP + 1
    else:
        scaled = (values - bounds[0]) / (bounds[1] - bounds[0])
    index = scaled.nan_to_num_(nan=n_bins - 1, neginf=0).floor_().clamp_(0, n_bins - 1).long()
    flat = torch.bincount(layer_ids * n_bins + index, minlength=n_layers * n_bins)
    return flat.view(n_layers, n_bins)


def histogram_steps(recorded: list[int], most: int = MOST_STEPS) -> list[int]:
    """At most `most` of the recorded steps, evenly spaced, the first and the last included."""
    if len(recorded) <= most:
        return list(recorded)
    picks = np.unique(np.linspace(0, len(recorded) - 1, most).round().astype(int))
    return [recorded[i] for i in picks]


def frame(records: list[tuple[int, str, np.ndarray]], activation: str) -> pd.DataFrame:
    """Tidy rows (step, layer, quantity, bin, low, high, count) of the nonzero counts, compact dtypes.
    `records` holds (step, quantity, counts of shape (layers, bins)); layer 1 is the first row."""
    parts = []
    for step, quantity, table in records:
        layer_index, bin_index = np.nonzero(table)
        bounds = edges(quantity, activation)
        parts.append(
            pd.DataFrame(
                {
                    "step": np.full(len(bin_index), step, dtype=np.int32),
                    "layer": (layer_index + 1).astype(np.int16),
                    "quantity": quantity,
                    "bin": bin_index.astype(np.int16),
                    "low": bounds[bin_index].astype(np.float32),
                    "high": bounds[bin_index + 1].astype(np.float32),
                    "count": table[layer_index, bin_index].astype(np.int32),
                }
            )
        )
    result = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({c: [] for c in COLUMNS})
    result["quantity"] = pd.Categorical(result["quantity"], categories=QUANTITIES)
    return result.astype({"step": np.int32, "layer": np.int16, "bin": np.int16, "count": np.int32})


def expected_normal(bounds: np.ndarray, q: float, entries: int) -> np.ndarray:
    """Expected counts per linear bin of `entries` draws of N(0, q), the edge bins taking the tails."""
    cdf = np.array([0.5 * (1 + math.erf(b / math.sqrt(2 * q))) if q > 0 else float(b >= 0) for b in bounds])
    cdf[0], cdf[-1] = 0.0, 1.0
    return entries * np.diff(cdf)
