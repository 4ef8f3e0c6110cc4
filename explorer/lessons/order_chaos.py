"""Order to chaos for tanh: the mean-field map over (sigma_w^2, sigma_b^2), and one untrained network run
at a chosen point, its measured signal beside the prediction."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from explorer.engine import chaos, chaos_correlation, measures, query
from explorer.engine.config import RunConfig, run_config_of
from explorer.engine.train import RunResult

# The map's grid: the region of Schoenholz et al.'s phase diagram for tanh around the critical line.
WEIGHT_GRID = np.round(np.arange(0.5, 4.0 + 1e-9, 0.125), 3)
BIAS_GRID = np.round(np.arange(0.0, 0.5 + 1e-9, 0.025), 3)


@dataclass(frozen=True)
class ChaosPoint(query.Config):
    sigma_w2: float = 1.75
    sigma_b2: float = 0.05
    depth: int = 30
    width: int = 256

    # init_scale allows 0.05 … 8 and bias_std 0 … 2: their squares bound the variances
    RULES: ClassVar[Mapping[str, Any]] = {
        "sigma_w2": query.Float(0.0025, 64.0),
        "sigma_b2": query.Float(0.0, 4.0),
        "depth": query.Int(2, 64),
        "width": query.Int(16, 256),
    }

    def run_config(self) -> RunConfig:
        """Weights N(0, sigma_w^2 / fan_in): LeCun's std times sqrt(sigma_w^2); biases N(0, sigma_b^2)."""
        scales = dict(init_scale=math.sqrt(self.sigma_w2), bias_std=math.sqrt(self.sigma_b2))
        return run_config_of(self, activation="tanh", init="lecun", **scales, steps=0)


def phase_map() -> pd.DataFrame:
    """The grid with q*, chi_1 and the depth scale, plus ln chi_1 (the colour: -1/xi ordered, +1/xi chaotic)."""
    grid = chaos.phase_map(WEIGHT_GRID, BIAS_GRID)
    return grid.assign(log_chi=np.log(grid.chi_1))


def critical_line() -> pd.DataFrame:
    line = chaos.critical_line()
    return line[line.sigma_b2 <= BIAS_GRID.max()]


@dataclass(frozen=True)
class PointFigures:
    chi_1: float
    depth_scale: float
    phase: str
    predicted_factor: float  # sqrt(chi_1): the signal's factor per layer at the fixed point
    measured_factor: float  # geometric mean per layer, last hidden layer to layer 1, at step 0
    c_star: float  # where two inputs' correlation settles (NaN where q* = 0: no signal left to correlate)
    correlation_depth_scale: float  # xi_c = -1 / ln chi_c


def point_figures(point: ChaosPoint, result: RunResult) -> PointFigures:
    chi = float(chaos.chi_1(np.array(point.sigma_w2), np.array(point.sigma_b2)))
    c_star = float(chaos_correlation.correlation_fixed_point(point.sigma_w2, point.sigma_b2))
    return PointFigures(
        chi_1=chi,
        depth_scale=float(chaos.depth_scale(chi)),
        phase=chaos.phase(chi),
        predicted_factor=math.sqrt(chi),
        measured_factor=measures.per_layer_factor(result.layers, 0),
        c_star=c_star,
        correlation_depth_scale=float(chaos_correlation.correlation_depth_scale(point.sigma_w2, point.sigma_b2)),
    )


def correlation_kind(c_star: float) -> str:
    """What the page says of two inputs' correlation: undefined (q* = 0), all alike (c* = 1), or apart."""
    if c_star != c_star:  # NaN
        return "none"
    return "ordered" if c_star == 1 else "chaotic"


@dataclass(frozen=True)
class CorrelationRun:
    """Two pairs of inputs (correlations STARTS) through `seeds` random tanh nets `width` units wide.
    `frame`: start, layer, measured (mean over the nets), low, high (mean -+ 2 standard errors), predicted
    (mean-field c_l); layer 0 is the inputs."""

    frame: pd.DataFrame
    width: int
    seeds: int


def correlation_run(sigma_w2: float, sigma_b2: float, depth: int) -> CorrelationRun:
    width, seeds = chaos_correlation.MEASURE_WIDTH, chaos_correlation.MEASURE_SEEDS
    runs = chaos_correlation.measure_correlation(sigma_w2, sigma_b2, depth, width=width, seeds=seeds)
    frame = runs.groupby(["start", "layer"]).measured.agg(["mean", "std"]).reset_index()
    error = 2 * frame.pop("std") / math.sqrt(seeds)
    frame = frame.rename(columns={"mean": "measured"}).assign(low=lambda f: f.measured - error)
    frame["high"] = frame.measured + error
    frame["predicted"] = np.concatenate(
        [chaos_correlation.predicted_correlation(sigma_w2, sigma_b2, s, depth) for s in sorted(frame.start.unique())]
    )
    return CorrelationRun(frame=frame, width=width, seeds=seeds)
