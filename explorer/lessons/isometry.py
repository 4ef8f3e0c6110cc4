"""Dynamical isometry: the Jacobian's singular values measured on the untrained network, beside free
probability's law where one exists, and orthogonal against Gaussian initialisation across depth."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from explorer.engine import query
from explorer.engine.config import RunConfig, run_config_of
from explorer.engine.model import init_std
from explorer.engine.spectrum import HIDDEN, VARIANTS, jacobian_spectrum, singular_value_density
from explorer.lessons.verdict import Sentence

GAUSSIAN_INITS = ("lecun", "xavier", "he")  # normal draws: free probability's Gaussian (Ginibre) case
SWEEP_DEPTHS = (2, 4, 8, 16, 32, 64)
SWEEP_SAMPLES = 4
SHRUNK = 0.1  # a direction counts as vanishing when it is stretched by less than a tenth of the rms


NORMS = ("none", "layer")  # BatchNorm couples a batch's samples: no per-sample Jacobian


@dataclass(frozen=True)
class SpectrumConfig(query.Config):
    """The page's settings: which Jacobian, and the network (a linear net by default: the case free
    probability predicts). Seed and data are the lab's defaults."""

    variant: str = HIDDEN
    depth: int = 16
    width: int = 64
    activation: str = "linear"
    init: str = "lecun"
    init_scale: float = 1.0
    norm: str = "none"
    residual: bool = False

    RULES: ClassVar[Mapping[str, Any]] = {
        **RunConfig.RULES,  # the network's fields as the lab has them, but:
        "variant": query.Choice(VARIANTS),
        "depth": query.Int(2, 64),
        "norm": query.Choice(NORMS),
    }

    def run_config(self) -> RunConfig:
        return run_config_of(self, steps=0)


@dataclass(frozen=True)
class Law:
    """What free probability predicts: `density` (singular_value, log10_density) for Gaussian layers,
    `value` (every singular value equal) for orthogonal ones, or neither with `reason` saying why."""

    density: pd.DataFrame | None = None
    value: float | None = None
    reason: str | None = None


def predicted_law(config: RunConfig, variant: str) -> Law:
    """The limit law of the hidden-to-hidden spectrum of a linear net (depth - 1 square layers)."""
    if config.activation != "linear":
        return Law(reason="nonlinear")
    if variant != HIDDEN:
        return Law(reason="input")
    if config.norm != "none" or config.residual:
        return Law(reason="structure")
    products = config.depth - 1
    if config.init == "orthogonal":
        return Law(value=config.init_scale**products)
    if config.init in GAUSSIAN_INITS:
        gain = config.width * (config.init_scale * init_std(config.init, config.width, config.width)) ** 2
        return Law(density=singular_value_density(products, gain))
    return Law(reason="uniform")


@dataclass(frozen=True)
class Figures:
    mean_square: float  # mean of sigma^2: what a norm sees (the squared stretch of a random direction)
    largest: float
    smallest: float
    condition: float  # median over samples of max / min
    shrunk: float  # fraction of directions stretched by less than SHRUNK x the rms
    zero: float  # fraction of singular values that are 0 to double precision (killed directions)


def figures(frame: pd.DataFrame) -> Figures:
    values = frame.singular_value.to_numpy(dtype=float)
    rms = math.sqrt(float(np.mean(values**2)))
    per_sample = frame.groupby("sample").singular_value
    with np.errstate(divide="ignore"):
        condition = float((per_sample.max() / per_sample.min()).median())
    return Figures(
        mean_square=rms**2,
        largest=float(values.max()),
        smallest=float(values.min()),
        condition=condition,
        shrunk=float(np.mean(values < SHRUNK * rms)),
        zero=float(np.mean(values <= 1e-12 * values.max())) if values.max() > 0 else 1.0,
    )


ISOMETRIC_BELOW = 1.5  # largest ÷ smallest singular value: every direction within a factor 1.5 of every other
HEALTHY_NORM = (0.5, 2.0)  # a mean squared stretch a norm measurement would call healthy flow


def verdict(found: Figures) -> Sentence:
    """Isometric, or a norm that looks healthy while directions shrink, or spread out."""
    if found.condition < ISOMETRIC_BELOW:
        kind = "isometric"
    else:
        kind = "norm_hides" if HEALTHY_NORM[0] < found.mean_square < HEALTHY_NORM[1] else "spread"
    numbers = dict(
        mean_square=f"{found.mean_square:.3g}", shrunk=f"{found.shrunk:.0%}", condition=f"{found.condition:.3g}"
    )
    return Sentence(f"spectrum.verdict_{kind}", numbers)


def depth_sweep(config: RunConfig, variant: str) -> pd.DataFrame:
    """init, depth, p05, p50, p95 (percentiles of log10 sigma over the positive ones), condition: the
    config's activation and width with orthogonal and with Gaussian (LeCun, or the config's) weights."""
    gaussian = config.init if config.init in GAUSSIAN_INITS else "lecun"
    rows = []
    for init in ("orthogonal", gaussian):
        for depth in SWEEP_DEPTHS:
            frame = jacobian_spectrum(config.replace(init=init, depth=depth, freeze_first=0), variant, SWEEP_SAMPLES)
            values = frame.singular_value.to_numpy(dtype=float)
            logs = np.log10(values[values > 1e-12 * values.max()]) if values.max() > 0 else np.array([np.nan])
            p05, p50, p95 = np.percentile(logs, [5, 50, 95])
            rows.append((init, depth, p05, p50, p95, figures(frame).condition))
    return pd.DataFrame(rows, columns=["init", "depth", "p05", "p50", "p95", "condition"])


def page_seconds(config: RunConfig, variant: str) -> float:
    """The page's compute: the measured spectrum plus the depth sweep (two inits, every sweep depth)."""
    from explorer.engine.spectrum import SAMPLES, estimated_seconds

    sweep = sum(
        estimated_seconds(config.replace(depth=depth, freeze_first=0), variant, SWEEP_SAMPLES) for depth in SWEEP_DEPTHS
    )
    return estimated_seconds(config, variant, SAMPLES) + 2 * sweep
