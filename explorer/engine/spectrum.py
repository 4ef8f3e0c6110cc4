"""The singular values of an untrained network's Jacobian (dynamical isometry, Pennington et al. 2017).

The norm of the back-propagated signal is one number per layer; the Jacobian's singular values say how
each *direction* is stretched. A net can keep the average (the norm) while most directions shrink and a
few grow. Jacobians come from autograd (torch.func.jacrev, vmapped over a batch of inputs), in float64
on the same network `run(config)` starts from (same seed, same draws).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import torch
from torch.func import jacrev, vmap

from explorer.engine import runtime
from explorer.engine.config import N_SAMPLES, RunConfig
from explorer.engine.data import make_dataset
from explorer.engine.model import build

INPUT = "input"  # x (2 coordinates) -> h_L: width x 2 per sample
HIDDEN = "hidden"  # h_1 -> h_L: width x width per sample
VARIANTS = (INPUT, HIDDEN)
SAMPLES = 16
COLUMNS = ["sample", "index", "singular_value"]
# Seconds per multiply-add of the batched backward passes (measured here: depth 64, width 256, 16 samples,
# hidden variant took 1.3 s for 1.7e10 multiply-adds; this rounds up).
SECONDS_PER_MAC = 1.0e-10


def jacobian_spectrum(config: RunConfig, variant: str = INPUT, samples: int = SAMPLES) -> pd.DataFrame:
    """sample, index, singular_value: the singular values (largest first) of d h_L / d x (variant "input")
    or d h_L / d h_1 ("hidden") of the untrained network, at `samples` training inputs spread over the set.

    BatchNorm is refused (ValueError): in training mode it couples the samples of a batch, so the
    per-sample Jacobian is not the function the network computes."""
    if variant not in VARIANTS:
        raise ValueError(f"variant: must be one of {', '.join(VARIANTS)}; got {variant!r}")
    if config.norm == "batch":
        raise ValueError("norm: the per-sample Jacobian is not defined under BatchNorm (it couples the batch)")
    if variant == HIDDEN and config.depth < 2:
        raise ValueError("depth: the hidden-to-hidden Jacobian needs at least 2 hidden layers")
    if not 1 <= samples <= N_SAMPLES:
        raise ValueError(f"samples: must be 1 … {N_SAMPLES}; got {samples}")
    runtime.configure_threads()
    model = build(config, torch.Generator().manual_seed(config.seed)).double()
    points, _ = make_dataset(config.dataset, config.seed)
    spread = np.linspace(0, len(points) - 1, samples).round().astype(int)  # both classes, all of the set
    inputs = torch.from_numpy(points[spread]).double()
    blocks = list(model.hidden)
    if variant == HIDDEN:
        with torch.no_grad():
            inputs = blocks[0](inputs)
        blocks = blocks[1:]

    def forward(h: torch.Tensor) -> torch.Tensor:
        for block in blocks:
            h = block(h)
        return h

    with torch.no_grad():
        jacobians = vmap(jacrev(forward))(inputs)  # (samples, width, fan_in)
        values = torch.linalg.svdvals(jacobians).numpy()
    rows = values.shape[1]
    return pd.DataFrame(
        {
            "sample": np.repeat(np.arange(samples), rows),
            "index": np.tile(np.arange(rows), samples),
            "singular_value": values.reshape(-1),
        }
    )


def estimated_seconds(config: RunConfig, variant: str = INPUT, samples: int = SAMPLES) -> float:
    """Rough time of `jacobian_spectrum`: one backward pass per Jacobian row, through every layer."""
    rows = config.width
    per_row = config.depth * config.width**2
    svd = config.width**2 * (config.width if variant == HIDDEN else 2)
    return samples * (rows * per_row + svd) * SECONDS_PER_MAC + 0.05


def condition(frame: pd.DataFrame) -> pd.Series:
    """Largest over smallest singular value of each sample's Jacobian (inf where the smallest is 0)."""
    by_sample = frame.groupby("sample").singular_value
    with np.errstate(divide="ignore"):
        return by_sample.max() / by_sample.min()


def fuss_catalan_density(products: int, points: int = 400) -> pd.DataFrame:
    """x, density: the limit law of the squared singular values of a product of `products` independent
    square Gaussian matrices with entry variance 1/n (n -> infinity), the Fuss-Catalan distribution
    (its k-th moment is binom((s+1)k, k)/(sk+1) with s = products). Parametrised by phi in (0, pi/(s+1))
    (Haagerup & Möller 2012; Neuschel 2014):
        x(phi) = sin((s+1)phi)^(s+1) / (sin(phi) sin(s phi)^s),
        density(x(phi)) = sin(phi)^2 sin(s phi)^(s-1) / (pi sin((s+1)phi)^s).
    The support is (0, (s+1)^(s+1)/s^s]; for s = 1 this is the Marchenko-Pastur law with ratio 1."""
    s = int(products)
    if s < 1:
        raise ValueError(f"products: must be at least 1; got {products}")
    phi = np.linspace(0, math.pi / (s + 1), points + 2)[1:-1]
    big = np.sin((s + 1) * phi)
    x = big ** (s + 1) / (np.sin(phi) * np.sin(s * phi) ** s)
    density = np.sin(phi) ** 2 * np.sin(s * phi) ** (s - 1) / (math.pi * big**s)
    order = np.argsort(x)
    return pd.DataFrame({"x": x[order], "density": density[order]})


def singular_value_density(products: int, gain: float, points: int = 400) -> pd.DataFrame:
    """singular_value, log10_density: the Fuss-Catalan law mapped to the singular values sigma = sqrt(x)
    of a product of `products` Gaussian layers whose entries have variance gain/n (x scales by gain^s).
    `log10_density` is the density per unit of log10(sigma), the scale the page draws histograms on."""
    law = fuss_catalan_density(products, points)
    sigma = np.sqrt(law.x.to_numpy() * gain**products)
    # x = sigma^2 / gain^s: p(log10 sigma) = p_x(x) * dx/dlog10(sigma) = p_x(x) * 2 x ln 10
    per_log10 = law.density.to_numpy() * 2 * law.x.to_numpy() * math.log(10)
    return pd.DataFrame({"singular_value": sigma, "log10_density": per_log10})
