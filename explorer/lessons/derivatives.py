"""The numbers of the activation-derivatives page: each activation and its derivative (autograd through
the real torch module), the sigmoid's peak σ′(0) = 0.25, what n such factors multiply to, and the
per-layer factor |w|·σ′(z) that exceeds 1 only for |w| > 4, in a window around z = 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from explorer.engine import activations, query, runtime

SHOWN = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")
X_RANGE = (-6.0, 6.0)
N_POINTS = 601  # 0.02 apart, x = 0 exactly on the grid (6 curves stay under Altair's 5000-row limit)
SLOPE_RANGE = (0.0, 1.0)
ALPHA_RANGE = (0.1, 3.0)
LAYERS_RANGE = (1, 60)
WEIGHT_RANGE = (0.1, 20.0)


@dataclass(frozen=True)
class DerivativesConfig(query.Config):
    slope: float = 0.1  # LeakyReLU's negative slope (torch's default 0.01 is too flat to see)
    alpha: float = 1.0  # ELU's α
    n_layers: int = 10
    w_abs: float = 6.0  # |w| for the per-layer factor |w|·σ′(z)

    RULES: ClassVar[Mapping[str, Any]] = {
        "slope": query.Float(*SLOPE_RANGE),
        "alpha": query.Float(*ALPHA_RANGE),
        "n_layers": query.Int(*LAYERS_RANGE),
        "w_abs": query.Float(*WEIGHT_RANGE),
    }


@dataclass(frozen=True)
class Derivatives:
    config: DerivativesConfig
    curves: pd.DataFrame  # x, f, df, activation: f′ by autograd through the torch module
    peaks: pd.DataFrame  # activation, peak = max |f′| on the grid, at x = peak_x, best_product = peak ** n_layers
    products: pd.DataFrame  # n, quantity (sigmoid_alone | with_weight), product
    factor: pd.DataFrame  # z, sigmoid_slope = σ′(z), factor = |w|·σ′(z)
    window: float | None  # |w|·σ′(z) > 1 exactly for |z| < window; None when |w| ≤ 4 (never)
    measured_window: float | None  # the same edge read off the grid: largest |z| with factor > 1


def xs() -> np.ndarray:
    return np.linspace(*X_RANGE, N_POINTS)


def all_curves(config: DerivativesConfig) -> pd.DataFrame:
    runtime.configure_threads()
    grid = xs()
    return pd.concat(
        [activations.curves(name, grid, slope=config.slope, alpha=config.alpha) for name in SHOWN], ignore_index=True
    )


def peaks(curves: pd.DataFrame, n_layers: int) -> pd.DataFrame:
    """Each activation's largest |f′| on the grid and where, and that peak to the n-th power: the most a
    chain of n such derivatives (weights of 1) can keep of the gradient."""
    rows = []
    for name, curve in curves.groupby("activation", sort=False):
        top = curve.loc[curve.df.abs().idxmax()]
        rows.append((name, float(abs(top.df)), float(top.x), float(abs(top.df)) ** n_layers))
    return pd.DataFrame(rows, columns=["activation", "peak", "peak_x", "best_product"])


def exploding_window(w_abs: float) -> float | None:
    """|w|·σ′(z) > 1 ⇔ σ(1−σ) > 1/|w| ⇔ |z| < logit((1 + √(1 − 4/|w|))/2); no z at all for |w| ≤ 4."""
    if w_abs <= 4.0:
        return None
    s = (1.0 + math.sqrt(1.0 - 4.0 / w_abs)) / 2.0
    return math.log(s / (1.0 - s))


def compute(config: DerivativesConfig) -> Derivatives:
    curves = all_curves(config)
    table = peaks(curves, config.n_layers)
    sigmoid = curves[curves.activation == "sigmoid"]
    peak = float(table.set_index("activation").peak["sigmoid"])  # measured: 0.25 at x = 0
    n = np.arange(1, config.n_layers + 1)
    products = pd.concat(
        [
            pd.DataFrame({"n": n, "quantity": "sigmoid_alone", "product": peak**n}),
            pd.DataFrame({"n": n, "quantity": "with_weight", "product": (config.w_abs * peak) ** n}),
        ],
        ignore_index=True,
    )
    factor = pd.DataFrame(
        {
            "z": sigmoid.x.to_numpy(),
            "sigmoid_slope": sigmoid.df.to_numpy(),
            "factor": config.w_abs * sigmoid.df.to_numpy(),
        }
    )
    above = factor[factor.factor > 1]
    return Derivatives(
        config=config,
        curves=curves,
        peaks=table,
        products=products,
        factor=factor,
        window=exploding_window(config.w_abs),
        measured_window=float(above.z.abs().max()) if len(above) else None,
    )
