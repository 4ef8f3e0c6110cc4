"""How fast two inputs' signals forget how alike they were: the correlation depth scale of a random tanh
network (Schoenholz, Gilmer, Ganguli & Sohl-Dickstein 2017, "Deep Information Propagation", ICLR 2017).

At the length fixed point q* (`chaos.fixed_point`) two inputs' pre-activations have correlation c_l, and
one layer maps it to
    c_l = (sigma_w^2 E[f(u1) f(u2)] + sigma_b^2) / q*,  u1 = sqrt(q*) z1,
    u2 = sqrt(q*) (c_{l-1} z1 + sqrt(1 - c_{l-1}^2) z2),  z1, z2 iid N(0, 1).
Its slope is chi_c = sigma_w^2 E[f'(u1) f'(u2)] (Price's theorem), which is chi_1 at c = 1. The map is
increasing and convex on [0, 1] (for an odd f its power series in c has no negative coefficient) with
f(1) = 1: in the ordered phase (chi_1 <= 1) c = 1 is its stable fixed point c*; in the chaotic phase
(chi_1 > 1) a stable c* < 1 appears (c* = 0 without biases). Near c*, |c_l - c*| shrinks by chi_c(c*) per
layer: the correlation depth scale xi_c = -1 / ln chi_c. In the ordered phase it equals the gradient's
xi = 1 / |ln chi_1|; in the chaotic phase the two differ.

The two-dimensional expectations are a product Gaussian quadrature, vectorised over every point of a grid. `measure_correlation` pushes pairs of inputs through wide random
networks drawn with the engine's own initialisation, to set the measurement beside the prediction.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
import torch

from explorer.engine import activations, chaos
from explorer.engine.model import N_INPUTS, init_weight

NODES_PER_HALF = 48  # 96 per dimension: 9,216 per point
LIMIT = 12.0  # the normal mass beyond 12 standard deviations is ~4e-33
CHUNK = 64  # points per quadrature block (~0.6 M nodes: ~5 MB per array)
NEWTON_STEPS = 100  # at most; converged points stop moving (to NEWTON_TOLERANCE) within ~10
NEWTON_TOLERANCE = 1e-13
MEASURE_WIDTH = 512
MEASURE_SEEDS = 8
STARTS = (0.2, 0.9)  # the inputs' correlations: one pair starts below any c* of the map, one above most


@functools.cache
def _nodes() -> tuple[np.ndarray, np.ndarray]:
    """Points x and weights w with sum(w * g(x)) = E[g(x)], x ~ N(0, 1): Gauss-Legendre on each half of
    [-LIMIT, LIMIT] times the normal density (the rule of `theory`, fewer nodes). For tanh(sqrt(q) z) at
    q ~ 4.5 Gauss-Hermite puts too few nodes where tanh bends: 64 Hermite nodes miss E[f'(u1) f'(u2)] by
    ~1e-3 there, 48 Legendre nodes per half by ~1e-13 (tests/engine/test_chaos_correlation.py)."""
    x, w = np.polynomial.legendre.leggauss(NODES_PER_HALF)
    half, half_w = (x + 1) * LIMIT / 2, w * LIMIT / 2
    nodes = np.concatenate([-half[::-1], half])
    return nodes, np.concatenate([half_w[::-1], half_w]) * np.exp(-(nodes**2) / 2) / math.sqrt(2 * math.pi)


def pair_expectations(q_a, q_b, c) -> tuple[np.ndarray, np.ndarray]:
    """E[f(u1) f(u2)] and E[f'(u1) f'(u2)], f = tanh, for u1 = sqrt(q_a) z1 and
    u2 = sqrt(q_b) (c z1 + sqrt(1 - c^2) z2), elementwise over the (broadcast) arrays q_a, q_b, c."""
    q_a, q_b, c = np.broadcast_arrays(*(np.asarray(v, float) for v in (q_a, q_b, c)))
    shape, (q_a, q_b, c) = q_a.shape, (v.ravel() for v in (q_a, q_b, c))
    nodes, w = (torch.from_numpy(v) for v in _nodes())
    z1, z2, weights = nodes[None, :, None], nodes[None, None, :], (w[:, None] * w[None, :])[None]
    f = activations.make("tanh")
    both, slopes = np.empty(q_a.size), np.empty(q_a.size)
    for start in range(0, q_a.size, CHUNK):
        part = slice(start, start + CHUNK)
        a, b = (torch.from_numpy(np.sqrt(np.maximum(v[part], 0.0)))[:, None, None] for v in (q_a, q_b))
        rho = torch.from_numpy(np.clip(c[part], -1.0, 1.0))[:, None, None]
        with torch.no_grad():
            f1, f2 = f(a * z1), f(b * (rho * z1 + torch.sqrt(1.0 - rho**2) * z2))
            both[part] = (f1 * f2 * weights).sum((1, 2)).numpy()
            # tanh' = 1 - tanh^2 (activations.derivative's definition), from the values at hand
            slopes[part] = ((1 - f1**2) * (1 - f2**2) * weights).sum((1, 2)).numpy()
    return both.reshape(shape), slopes.reshape(shape)


def correlation_step(sigma_w2, sigma_b2, q_star, c) -> tuple[np.ndarray, np.ndarray]:
    """One layer of the correlation map at q*: (c_l, chi_c), c_l from c_{l-1} = c."""
    both, slopes = pair_expectations(q_star, q_star, c)
    sigma_w2 = np.asarray(sigma_w2, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (sigma_w2 * both + sigma_b2) / q_star, sigma_w2 * slopes


def _solve(sigma_w2, sigma_b2) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """q*, chi_1, c*, chi_c(c*), elementwise. Where q* = 0 (no bias, sigma_w^2 <= 1: every signal dies
    out) the correlation is 0/0 at the fixed point: c* and chi_c are NaN there.

    Chaotic points: Newton's method on g(c) = map(c) - c from c = 0. g is convex with g(0) >= 0 and
    g' < 0 left of its root c*, so Newton's steps rise to c* without overshooting it."""
    sigma_w2, sigma_b2 = np.broadcast_arrays(np.asarray(sigma_w2, float), np.asarray(sigma_b2, float))
    shape, sigma_w2, sigma_b2 = sigma_w2.shape, sigma_w2.ravel(), sigma_b2.ravel()
    q = chaos.fixed_point(sigma_w2, sigma_b2)
    chi = sigma_w2 * chaos._expect("tanh", q, True)
    c = np.where(q > 0, np.where(chi > 1.0, 0.0, 1.0), np.nan)
    active = np.flatnonzero((chi > 1.0) & (q > 0))
    for _ in range(NEWTON_STEPS):
        if active.size == 0:
            break
        mapped, slope = correlation_step(sigma_w2[active], sigma_b2[active], q[active], c[active])
        step = (mapped - c[active]) / np.maximum(1.0 - slope, 1e-12)
        c[active] = np.clip(c[active] + step, 0.0, 1.0)
        active = active[np.abs(step) > NEWTON_TOLERANCE]
    known = q > 0
    chi_c = np.full(q.shape, np.nan)
    chi_c[known] = correlation_step(sigma_w2[known], sigma_b2[known], q[known], c[known])[1]
    return q.reshape(shape), chi.reshape(shape), c.reshape(shape), chi_c.reshape(shape)


def correlation_fixed_point(sigma_w2, sigma_b2) -> np.ndarray:
    """c*, the correlation two inputs' pre-activations settle at deep in the network, elementwise."""
    return _solve(sigma_w2, sigma_b2)[2]


def correlation_chi(sigma_w2, sigma_b2) -> np.ndarray:
    """chi_c: the slope of the correlation map at c*, the factor by which |c_l - c*| shrinks per layer."""
    return _solve(sigma_w2, sigma_b2)[3]


def correlation_depth_scale(sigma_w2, sigma_b2) -> np.ndarray:
    """xi_c = -1 / ln chi_c: layers over which |c_l - c*| shrinks by a factor e (infinite at chi_c = 1)."""
    chi_c = _solve(sigma_w2, sigma_b2)[3]
    with np.errstate(divide="ignore"):
        return -1.0 / np.log(chi_c)


def with_correlation(grid: pd.DataFrame) -> pd.DataFrame:
    """The phase map's grid (sigma_w2, sigma_b2 columns) with c_star, chi_c and correlation_depth_scale."""
    _, _, c, chi_c = _solve(grid.sigma_w2.to_numpy(), grid.sigma_b2.to_numpy())
    with np.errstate(divide="ignore"):
        xi_c = -1.0 / np.log(chi_c)
    return grid.assign(c_star=c, chi_c=chi_c, correlation_depth_scale=xi_c)


def input_pair(start: float) -> np.ndarray:
    """Two inputs of squared length N_INPUTS (like standardised data: q_1 = sigma_w^2 + sigma_b^2) whose
    correlation (cosine) is `start`."""
    angle = math.acos(start)
    return math.sqrt(N_INPUTS) * np.array([[1.0, 0.0], [math.cos(angle), math.sin(angle)]])


def predicted_correlation(sigma_w2: float, sigma_b2: float, start: float, depth: int) -> np.ndarray:
    """Mean-field c_l for l = 0 (the inputs) .. depth: the two inputs' variances and covariance carried
    layer by layer (q_1 from the inputs, then q_{l+1} = sigma_w^2 E[f(z)^2] + sigma_b^2); deep in the
    network the variances reach q* and c_l the correlation map's fixed point c*."""
    x = input_pair(start)
    q_a, q_b = (sigma_w2 * float(v @ v) / N_INPUTS + sigma_b2 for v in x)
    q_ab = sigma_w2 * float(x[0] @ x[1]) / N_INPUTS + sigma_b2
    out = [start]
    for layer in range(1, depth + 1):
        c = q_ab / math.sqrt(q_a * q_b) if q_a * q_b > 0 else float("nan")
        out.append(c)
        if layer == depth:
            break
        both = float(pair_expectations(np.array(q_a), np.array(q_b), np.array(c))[0])
        q_a, q_b = (sigma_w2 * float(chaos._expect("tanh", np.array([q]), False)[0]) + sigma_b2 for q in (q_a, q_b))
        q_ab = sigma_w2 * both + sigma_b2
    return np.array(out)


def measure_correlation(
    sigma_w2: float,
    sigma_b2: float,
    depth: int,
    starts: tuple[float, ...] = STARTS,
    width: int = MEASURE_WIDTH,
    seeds: int = MEASURE_SEEDS,
) -> pd.DataFrame:
    """start, seed, layer, measured: the cosine between two inputs' pre-activations z_l (over the layer's
    units) in untrained tanh networks, weights drawn as the engine draws them (lecun x sigma_w: variance
    sigma_w^2 / fan_in), biases N(0, sigma_b^2); layer 0 is the inputs. Each start is its own pair."""
    rows = []
    scale, bias_std = math.sqrt(sigma_w2), math.sqrt(sigma_b2)
    pairs = torch.from_numpy(np.stack([input_pair(s) for s in starts]).reshape(-1, N_INPUTS)).float()
    for seed in range(seeds):
        generator = torch.Generator().manual_seed(seed)
        h = pairs
        for layer in range(depth + 1):
            z = h
            if layer > 0:
                weight = torch.empty(width, h.shape[1])  # float32, as the engine's networks
                init_weight(weight, "lecun", scale, generator)
                z = h @ weight.T
                if bias_std > 0:
                    z = z + torch.empty(width).normal_(0.0, bias_std, generator=generator)
                h = torch.tanh(z)
            a, b = z[0::2].double(), z[1::2].double()
            cosine = (a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))
            rows.extend((s, seed, layer, float(v)) for s, v in zip(starts, cosine, strict=True))
    return pd.DataFrame(rows, columns=["start", "seed", "layer", "measured"])
