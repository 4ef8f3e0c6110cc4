"""'It trains like a shallow net': a deep net against the same net with its first k layers frozen.

Same seed, so the same initial weights and batches: the two loss curves can only differ through what
the first k layers learn. When the gradient vanishes before reaching them, they learn nothing and the
curves coincide; when it reaches them, they separate.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from explorer.engine import measures, query
from explorer.engine.config import ACTIVATIONS, DATASETS, INITS, NORMS, OPTIMIZERS, RunConfig
from explorer.engine.train import run

# The curves "overlap" when they never differ by more than this, in nats: 3% of ln 2, the loss of a
# 50/50 guess, so the threshold means the same for every dataset (all are balanced two-class sets).
OVERLAP_NATS = 0.03 * math.log(2)


@dataclass(frozen=True)
class ShallowConfig(query.Config):
    depth: int = 10
    frozen: int = 7  # the first `frozen` hidden layers keep their initial weights in the second run
    width: int = 32
    activation: str = "sigmoid"
    init: str = "lecun"
    init_scale: float = 1.0
    norm: str = "none"
    residual: bool = False
    optimizer: str = "sgd"
    lr: float = 0.5
    steps: int = 300
    batch_size: int = 128
    dataset: str = "moons"
    seed: int = 0

    RULES: ClassVar[Mapping[str, Any]] = {
        "depth": query.Int(2, 64),
        "frozen": query.Int(1, 64),
        "width": query.Int(2, 256),
        "activation": query.Choice(ACTIVATIONS),
        "init": query.Choice(INITS),
        "init_scale": query.Float(0.05, 8.0),
        "norm": query.Choice(NORMS),
        "residual": query.Bool(),
        "optimizer": query.Choice(OPTIMIZERS),
        "lr": query.Float(1e-5, 10.0),
        "steps": query.Int(1, 2000),
        "batch_size": query.Int(8, 1024),
        "dataset": query.Choice(DATASETS),
        "seed": query.Int(0, 2**31 - 1),
    }

    @classmethod
    def across(cls, values: Mapping[str, Any], rules: Mapping[str, Any]) -> list[query.Crossed]:
        depth, frozen = values["depth"], values["frozen"]
        if frozen <= depth:
            return []
        return [query.Crossed("frozen", f"must be at most depth ({depth}), got {frozen}", f"1 … {depth}", depth)]

    def run_config(self, freeze_first: int) -> RunConfig:
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "frozen"}
        return RunConfig(**fields, freeze_first=freeze_first)

    def estimated_seconds(self) -> float:
        """Both runs of the comparison, on the demo machine."""
        return 2 * self.run_config(0).estimated_seconds()


# The two reference cases every visit shows: gradients that vanish, and gradients that flow.
VANISHING = ShallowConfig()
FLOWING = ShallowConfig(activation="relu", init="he", lr=0.05)


@dataclass(frozen=True)
class Comparison:
    config: ShallowConfig
    curves: pd.DataFrame  # step, loss, accuracy, net ("deep" | "frozen")
    speeds: pd.DataFrame  # layer, update_ratio: the deep net's mean ||dW||/||W|| per layer (output last)
    mean_gap: float  # mean |loss_deep - loss_frozen| over the recorded steps, in nats
    max_gap: float  # the largest |loss_deep - loss_frozen| at any recorded step (nats)
    overlap: bool  # max_gap below OVERLAP_NATS (never for a run that diverged: its curves are cut short)
    signal_ratio: float  # the deep net's step-0 signal at layer 1 over the last hidden layer
    loss_start: float
    loss_deep: float  # final losses
    loss_frozen: float
    accuracy_deep: float
    accuracy_frozen: float
    diverged: bool  # either run overflowed: the comparison is cut to the steps both recorded


def gap(deep: pd.Series, frozen: pd.Series) -> tuple[float, float]:
    """(mean |difference|, max |difference|) of two aligned loss curves, both in nats. (Relative to the
    deep curve's mean the mean gap exceeded 100% once the deep net's loss went to ~0: nats read plainly.)"""
    difference = np.abs(deep.to_numpy(dtype=float) - frozen.to_numpy(dtype=float))
    if difference.size == 0:
        return math.nan, math.nan
    return float(difference.mean()), float(difference.max())


def compare(config: ShallowConfig) -> Comparison:
    deep_run, frozen_run = run(config.run_config(0)), run(config.run_config(config.frozen))
    both = deep_run.steps.merge(frozen_run.steps, on="step", suffixes=("_deep", "_frozen"))
    mean_gap, max_gap = gap(both.loss_deep, both.loss_frozen)
    curves = pd.concat(
        [
            deep_run.steps[["step", "loss", "accuracy"]].assign(net="deep"),
            frozen_run.steps[["step", "loss", "accuracy"]].assign(net="frozen"),
        ],
        ignore_index=True,
    )
    speeds = measures.mean_update_ratio(deep_run.layers).rename("update_ratio").reset_index()
    last = both.iloc[-1] if len(both) else None
    diverged = deep_run.diverged_at is not None or frozen_run.diverged_at is not None
    return Comparison(
        config=config,
        curves=curves,
        speeds=speeds,
        mean_gap=mean_gap,
        max_gap=max_gap,
        overlap=bool(max_gap < OVERLAP_NATS) and not diverged,
        signal_ratio=measures.signal_ratio(deep_run.layers, 0) if len(deep_run.layers) else math.nan,
        loss_start=float(both.loss_deep.iloc[0]) if last is not None else math.nan,
        loss_deep=float(last.loss_deep) if last is not None else math.nan,
        loss_frozen=float(last.loss_frozen) if last is not None else math.nan,
        accuracy_deep=float(last.accuracy_deep) if last is not None else math.nan,
        accuracy_frozen=float(last.accuracy_frozen) if last is not None else math.nan,
        diverged=diverged,
    )
