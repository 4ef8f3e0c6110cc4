"""Mean-field theory of the back-propagated signal at initialisation, to set beside what a run measures.

Per layer the signal is multiplied by about sqrt(chi), chi = s^2 E[f'(z)^2] with z ~ N(0, q_l), where
s^2 = fan_in Var(w) and q_l is carried forward from the input: q_1 = s^2 |x|^2 / 2 + sigma_b^2 for the
two input coordinates, q_{l+1} = s^2 E[f(z)^2] + sigma_b^2 (the bias variance, `RunConfig.bias_std`
squared). As in Poole et al. 2016, q_l belongs to one input x: over the random weights, z_l is Gaussian
for each input, not for the batch. The theory follows every input of the data on its own and sums their
signals, as the measured norm sums a batch: carrying one average q instead (the data's mean square)
predicted layer 1's signal 1.4-1.8x too small on the tanh and ELU nets checked (inputs near the origin
keep f' ~ 1 all the way up; tests/engine/test_theory.py::test_the_prediction_follows_each_input...).
Expectations are Gaussian quadrature over the activations of `explorer.engine.activations` (one
definition of each).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from explorer.engine import activations
from explorer.engine.config import RunConfig
from explorer.engine.data import make_dataset
from explorer.engine.model import N_INPUTS, init_std

# Gauss-Legendre nodes on each half of [-LIMIT, LIMIT] with the normal density as weight: every kink of
# these activations (ReLU, LeakyReLU, ELU) sits at 0, a break between the halves, so each half integrates
# a smooth function and converges fast (Gauss-Hermite over a kink does not: ~3e-3 off for ELU's E[f'^2]).
# The mass beyond 12 standard deviations is ~4e-33.
QUADRATURE_NODES = 96  # per half
LIMIT = 12.0

# Reason codes for a prediction that does not apply (the pages translate them).
BATCH_NORM = "batch_norm"
NOT_FINITE = "not_finite"
TOO_SHALLOW = "too_shallow"


@dataclass(frozen=True)
class Prediction:
    """`frame`: layer, predicted (signal relative to the last hidden layer), chi (that layer's factor,
    squared: the signal at l over the signal at l+1, squared), q (variance of z_l). Empty when the
    theory does not apply; `reason` then says why (one of the codes above)."""

    frame: pd.DataFrame
    applicable: bool
    reason: str | None = None


@dataclass(frozen=True)
class Agreement:
    max_log10_error: float  # max over layers of |log10(predicted / measured)|: 0.3 = within a factor 2
    worst_layer: int
    predicted_factor: float  # geometric-mean factor per layer, layer 1 to the last hidden layer
    measured_factor: float
    predicted_ratio: float  # signal at layer 1 over the last hidden layer
    measured_ratio: float


@functools.cache
def _nodes() -> tuple[np.ndarray, np.ndarray]:
    """Points x and weights w with sum(w * g(x)) = E[g(x)], x ~ N(0, 1)."""
    x, w = np.polynomial.legendre.leggauss(QUADRATURE_NODES)
    half, half_w = (x + 1) * LIMIT / 2, w * LIMIT / 2  # [-1, 1] -> [0, LIMIT]
    nodes = np.concatenate([-half[::-1], half])
    weights = np.concatenate([half_w[::-1], half_w]) * np.exp(-(nodes**2) / 2) / math.sqrt(2 * math.pi)
    return nodes, weights


def gaussian_moments(activation: str, q: float) -> tuple[float, float, float]:
    """E[f(z)], E[f(z)^2], E[f'(z)^2] for z ~ N(0, q), through the torch module and `derivative`."""
    mean, second, derivative_sq = gaussian_moments_each(activation, np.array([q], dtype=np.float64))
    return float(mean[0]), float(second[0]), float(derivative_sq[0])


def gaussian_moments_each(activation: str, q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`gaussian_moments` of each variance in `q` (one row of quadrature nodes per variance, float64)."""
    x, w = _nodes()
    z = torch.from_numpy(np.sqrt(np.maximum(q, 0.0))[:, None] * x[None, :])
    with torch.no_grad():
        f = activations.make(activation)(z).numpy()
        df = activations.derivative(activation, z).numpy()
    return f @ w, (f * f) @ w, (df * df) @ w


def weight_variance_gain(config: RunConfig, fan_in: int, fan_out: int) -> float:
    """s^2 = fan_in Var(w) of a hidden layer under the config's init and init scale."""
    std = config.init_scale * init_std(config.init, fan_in, fan_out)
    return fan_in * std**2


def input_moments(config: RunConfig) -> tuple[np.ndarray, np.ndarray]:
    """Per input of the data: the mean and the mean square of its coordinates (over the data, 0 and 1:
    they are standardised)."""
    points, _ = make_dataset(config.dataset, config.seed)
    points = points.astype(np.float64)
    return points.mean(axis=1), (points**2).mean(axis=1)


def predict_signal(config: RunConfig) -> Prediction:
    """The step-0 signal ||dL/dz_l|| of each hidden layer relative to the last one, from mean-field theory.

    Without normalisation, dL/dz_l = f'(z_l) * W_{l+1}^T dL/dz_{l+1}, so in the mean (gradient
    independence) ||dL/dz_l||^2 = s_{l+1}^2 E[f'(z_l)^2] ||dL/dz_{l+1}||^2: the factor between l and l+1
    uses z_l's derivative and layer l+1's weights.
    - LayerNorm fixes z_l ~ N(0, 1) per sample, and the backward pass divides by the pre-norm scale
      sqrt(s^2 E[h^2] + sigma_b^2), so s^2 cancels without biases: chi = E[f'(z)^2] / E[h_{l-1}^2].
    - Residual blocks (h_l = h_{l-1} + f(z_l) where the shapes match): dL/dh_{l-1} = dL/dh_l +
      W_l^T (f'(z_l) * dL/dh_l), so ||dL/dh||^2 grows by (1 + chi_l) per block, and the signal is
      f'(z_l) * dL/dh_l. The forward pass carries the mean and second moment of h.
    - BatchNorm couples the samples of a batch: its backward pass projects the gradient against the
      batch, which this per-unit theory leaves out (it predicts flow where a mean-field theory of
      BatchNorm, Yang et al. 2019, finds gradient explosion). No prediction is returned for it.
    """
    if config.norm == "batch":
        return _not_applicable(BATCH_NORM)
    if config.depth < 2:
        return _not_applicable(TOO_SHALLOW)
    layer_norm = config.norm == "layer"
    mean_h, second_h = input_moments(config)  # one entry per input: every list below holds such arrays
    widths = [N_INPUTS] + [config.width] * config.depth
    q, derivative_sq, backward_gain, skip = [], [], [], []
    for layer in range(1, config.depth + 1):
        fan_in = widths[layer - 1]
        gain = weight_variance_gain(config, fan_in, config.width)
        pre_norm = gain * second_h + config.bias_std**2
        q.append(np.ones_like(pre_norm) if layer_norm else pre_norm)
        mean_f, second_f, d = gaussian_moments_each(config.activation, q[-1])
        derivative_sq.append(d)
        # ||W_l^T v||^2 / ||v||^2 = s^2; LayerNorm's backward also divides by the pre-norm variance s^2 E[h^2] + sb^2
        backward_gain.append(gain / pre_norm if layer_norm else np.full_like(pre_norm, gain))
        skip.append(config.residual and fan_in == config.width)
        if skip[-1]:
            second_h = second_h + second_f + 2 * mean_h * mean_f  # z_l is independent of each unit of h_{l-1}
            mean_h = mean_h + mean_f
        else:
            mean_h, second_h = mean_f, second_f
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_d, log_gain = np.log(np.array(derivative_sq)), np.log(np.array(backward_gain))  # (layers, inputs)
        chi_through = np.exp(log_gain + log_d)
        # squared signal of layer l over layer l+1, per input: through W_{l+1} alone, or through dL/dh with the identity
        through_skip = np.array(skip[1:], dtype=bool)[:, None]
        log_step = np.where(through_skip, np.log1p(chi_through[1:]) - log_d[1:], log_gain[1:]) + log_d[:-1]
        log_each = np.vstack([np.cumsum(log_step[::-1], axis=0)[::-1], np.zeros((1, log_d.shape[1]))])
        # The batch's squared signal sums its inputs' own. Each input's share at the last hidden layer is
        # f'(z_L)^2 times the output's gradient, alike across inputs at initialisation: weights d_L.
        log_sq = _log_mean(log_each, weights=derivative_sq[-1])  # log(||dL/dz_l||^2 / ||dL/dz_L||^2)
        pooled_q = np.array([np.mean(layer_q) for layer_q in q])  # z_l's variance over the batch's inputs
    if not (np.all(np.isfinite(pooled_q)) and np.all(np.isfinite(log_sq))):
        return _not_applicable(NOT_FINITE)
    frame = pd.DataFrame(
        {
            "layer": np.arange(1, config.depth + 1),
            "predicted": np.exp(0.5 * log_sq),
            "chi": np.append(np.exp(log_sq[:-1] - log_sq[1:]), np.nan),  # no layer above the last hidden one here
            "q": pooled_q,
        }
    )
    return Prediction(frame=frame, applicable=True)


def _log_mean(log_values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """log(sum_i w_i exp(v_i) / sum_i w_i) along each row of `log_values`, without overflow (log-sum-exp).
    An input at -inf adds nothing; NaN where a value is NaN or +inf, or the weights are not finite."""
    nan = np.full(log_values.shape[0], np.nan)
    total = weights.sum()
    if not (np.all(np.isfinite(weights)) and total > 0) or np.isnan(log_values).any() or np.isposinf(log_values).any():
        return nan
    top = log_values.max(axis=1, keepdims=True)
    if not np.all(np.isfinite(top)):
        return nan
    return (top + np.log((weights * np.exp(log_values - top)).sum(axis=1, keepdims=True) / total))[:, 0]


def _not_applicable(reason: str) -> Prediction:
    empty = pd.DataFrame(
        {"layer": pd.Series(dtype=int)} | {c: pd.Series(dtype=float) for c in ("predicted", "chi", "q")}
    )
    return Prediction(frame=empty, applicable=False, reason=reason)


def measured_relative(layers: pd.DataFrame, step: int = 0) -> pd.DataFrame:
    """layer, measured: the hidden layers' signal_norm at `step`, relative to the last hidden layer."""
    at = layers[layers.step == step]
    hidden = at[at.layer < at.layer.max()].sort_values("layer") if len(at) > 1 else at
    if hidden.empty:
        return pd.DataFrame({"layer": pd.Series(dtype=int), "measured": pd.Series(dtype=float)})
    last = float(hidden.signal_norm.iloc[-1])
    values = hidden.signal_norm.to_numpy(dtype=float) / last if last > 0 else np.full(len(hidden), np.nan)
    return pd.DataFrame({"layer": hidden.layer.to_numpy(), "measured": values})


def agreement(layers: pd.DataFrame, prediction: Prediction) -> Agreement | None:
    """How far the step-0 measurement is from the prediction; None when there is nothing to compare."""
    if not prediction.applicable:
        return None
    both = measured_relative(layers).merge(prediction.frame[["layer", "predicted"]], on="layer").astype(float)
    both = both[(both.measured > 0) & (both.predicted > 0) & np.isfinite(both.measured) & np.isfinite(both.predicted)]
    if len(both) < 2:
        return None
    error = np.abs(np.log10(both.predicted.to_numpy(dtype=float) / both.measured.to_numpy(dtype=float)))
    first, last = both.iloc[0], both.iloc[-1]
    span = int(last.layer - first.layer)
    predicted_ratio = float(first.predicted / last.predicted)
    measured_ratio = float(first.measured / last.measured)
    return Agreement(
        max_log10_error=float(error.max()),
        worst_layer=int(both.layer.iloc[int(error.argmax())]),
        predicted_factor=predicted_ratio ** (1 / span),
        measured_factor=measured_ratio ** (1 / span),
        predicted_ratio=predicted_ratio,
        measured_ratio=measured_ratio,
    )
