"""Order to chaos: where a random tanh network's signal dies out, explodes, or travels (mean-field theory).

Weights ~ N(0, sigma_w^2 / fan_in), biases ~ N(0, sigma_b^2). A pre-activation's variance settles at the
fixed point q* = sigma_w^2 E[f(z)^2] + sigma_b^2, z ~ N(0, q*), and each layer multiplies the squared
back-propagated signal by chi_1 = sigma_w^2 E[f'(z)^2]. chi_1 < 1 is the ordered phase (gradients vanish),
chi_1 > 1 the chaotic one (they explode); Schoenholz et al. 2017 ("Deep Information Propagation"). The
squared signal changes by a factor e over xi = 1 / |ln chi_1| layers, which diverges on the critical line.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import torch

from explorer.engine import activations
from explorer.engine.theory import _nodes

BISECTIONS = 60  # halves the bracket (< sigma_w^2 + sigma_b^2 + 1) to ~1e-18
ORDERED, CRITICAL, CHAOTIC = "ordered", "critical", "chaotic"
CRITICAL_BAND = 0.02  # |ln chi_1| below this counts as critical (xi > 50 layers)


def _expect(activation: str, q: np.ndarray, derivative: bool) -> np.ndarray:
    """E[f(z)^2] (or E[f'(z)^2]) for z ~ N(0, q), for every q at once (same quadrature as `theory`)."""
    x, w = _nodes()
    z = torch.from_numpy(np.sqrt(np.maximum(q, 0.0))[:, None] * x[None, :])
    with torch.no_grad():
        values = activations.derivative(activation, z) if derivative else activations.make(activation)(z)
    return (values.numpy() ** 2) @ w


def fixed_point(sigma_w2: np.ndarray, sigma_b2: np.ndarray, activation: str = "tanh") -> np.ndarray:
    """q* of q = sigma_w^2 E[f(z)^2] + sigma_b^2, elementwise, for a bounded activation (|f| <= 1).

    g(q) = sigma_w^2 E[f^2] + sigma_b^2 - q is concave for tanh, positive just above 0 whenever q* > 0, and
    negative beyond sigma_w^2 + sigma_b^2: bisection finds its one positive root; without one, q* = 0."""
    sigma_w2, sigma_b2 = np.broadcast_arrays(np.asarray(sigma_w2, float), np.asarray(sigma_b2, float))
    low = np.full(sigma_w2.shape, 1e-12)
    high = sigma_w2 + sigma_b2 + 1.0
    has_root = sigma_w2 * _expect(activation, low.ravel(), False).reshape(low.shape) + sigma_b2 - low > 0
    for _ in range(BISECTIONS):
        middle = (low + high) / 2
        g = sigma_w2 * _expect(activation, middle.ravel(), False).reshape(middle.shape) + sigma_b2 - middle
        low, high = np.where(g > 0, middle, low), np.where(g > 0, high, middle)
    return np.where(has_root, (low + high) / 2, 0.0)


def chi_1(sigma_w2: np.ndarray, sigma_b2: np.ndarray, activation: str = "tanh") -> np.ndarray:
    """sigma_w^2 E[f'(z)^2] at the fixed point: the per-layer factor of the squared signal."""
    q = fixed_point(sigma_w2, sigma_b2, activation)
    return np.asarray(sigma_w2, float) * _expect(activation, q.ravel(), True).reshape(q.shape)


def depth_scale(chi: np.ndarray) -> np.ndarray:
    """xi = 1 / |ln chi_1|: layers over which the squared signal shrinks (or grows) by a factor e."""
    with np.errstate(divide="ignore"):
        return 1.0 / np.abs(np.log(np.asarray(chi, float)))


def phase(chi: float) -> str:
    log_chi = math.log(chi)
    if abs(log_chi) < CRITICAL_BAND:
        return CRITICAL
    return ORDERED if log_chi < 0 else CHAOTIC


def critical_line(q_star: np.ndarray | None = None, activation: str = "tanh") -> pd.DataFrame:
    """q_star, sigma_w2, sigma_b2 along the critical line chi_1 = 1, parametrised by the fixed point q*:
    chi_1 = 1 gives sigma_w^2 = 1 / E[f'(z)^2], and q* = sigma_w^2 E[f(z)^2] + sigma_b^2 gives sigma_b^2."""
    q = np.geomspace(1e-6, 20.0, 400) if q_star is None else np.asarray(q_star, float)
    sigma_w2 = 1.0 / _expect(activation, q, True)
    sigma_b2 = q - sigma_w2 * _expect(activation, q, False)
    keep = sigma_b2 >= 0
    return pd.DataFrame({"q_star": q[keep], "sigma_w2": sigma_w2[keep], "sigma_b2": sigma_b2[keep]})


def critical_weight_variance(sigma_b2: float, activation: str = "tanh") -> float:
    """sigma_w^2 on the critical line at this sigma_b^2 (interpolated along the line; sigma_b^2 grows with q*)."""
    line = critical_line(activation=activation)
    return float(np.interp(sigma_b2, np.r_[0.0, line.sigma_b2], np.r_[1.0, line.sigma_w2]))


def phase_map(sigma_w2: np.ndarray, sigma_b2: np.ndarray, activation: str = "tanh") -> pd.DataFrame:
    """sigma_w2, sigma_b2, q_star, chi_1, depth_scale: one row per point of the grid sigma_w2 x sigma_b2;
    for tanh also c_star, chi_c and correlation_depth_scale (`chaos_correlation`: two inputs' correlation)."""
    w2, b2 = np.meshgrid(np.asarray(sigma_w2, float), np.asarray(sigma_b2, float), indexing="ij")
    q = fixed_point(w2, b2, activation)
    chi = w2 * _expect(activation, q.ravel(), True).reshape(q.shape)
    grid = pd.DataFrame(
        {
            "sigma_w2": w2.ravel(),
            "sigma_b2": b2.ravel(),
            "q_star": q.ravel(),
            "chi_1": chi.ravel(),
            "depth_scale": depth_scale(chi).ravel(),
        }
    )
    if activation != "tanh":
        return grid
    from explorer.engine import chaos_correlation  # it builds on this module

    return chaos_correlation.with_correlation(grid)
