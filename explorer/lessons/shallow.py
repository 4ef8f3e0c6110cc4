"""'It trains like a shallow net': a deep net against the same net with its first k layers frozen.

Same seed, so the same initial weights and batches: the two loss curves can only differ through what
the first k layers learn. When the gradient vanishes before reaching them, they learn nothing and the
curves coincide; when it reaches them, they separate.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from explorer.engine import measures, query
from explorer.engine.config import RunConfig
from explorer.engine.train import TABLES_ONLY, run
from explorer.lessons.verdict import Sentence

# The curves "overlap" when they never differ by more than this, in nats: 3% of ln 2, the loss of a
# 50/50 guess, so the threshold means the same for every dataset (all are balanced two-class sets).
OVERLAP_NATS = 0.03 * math.log(2)
# Both final losses above this share of ln 2: neither net got past a 50/50 guess.
NO_LEARNING = 0.97


# The page's own settings: a deep sigmoid net on moons whose first 7 of 10 layers are frozen in the second
# run. Old links name the frozen count `frozen`; the page asks for at least one frozen layer and one step.
DEFAULTS = RunConfig(depth=10, width=32, lr=0.5, batch_size=128, dataset="moons", freeze_first=7)
RULES: dict[str, Any] = {"depth": query.Int(2, 64), "freeze_first": query.Int(1, 64), "steps": query.Int(1, 2000)}
ALIASES = {"frozen": "freeze_first"}
URL_OPTIONS: dict[str, Any] = {"defaults": DEFAULTS, "rules": RULES, "aliases": ALIASES}

# The two reference cases every visit shows: gradients that vanish, and gradients that flow.
VANISHING = DEFAULTS
FLOWING = DEFAULTS.replace(activation="relu", init="he", lr=0.05)


def from_query(raw_query: Mapping[str, Any]) -> tuple[RunConfig, list[query.Problem]]:
    """The page's config from a link (never raises): its defaults, its narrower rules, `frozen` read too."""
    return RunConfig.from_query(raw_query, **URL_OPTIONS)


def estimated_seconds(config: RunConfig) -> float:
    """Both runs of a comparison, on the demo machine."""
    return 2 * config.replace(freeze_first=0).estimated_seconds()


def view_seconds(config: RunConfig) -> float:
    """One view of the page: the reader's comparison and the reference comparisons shown beside it."""
    return sum(estimated_seconds(c) for c in [config, *references(config).values()])


def references(config: RunConfig) -> dict[str, RunConfig]:
    """The reference cases that differ from the reader's settings: the vanishing one, the flowing one, or both."""
    return {case: ref for case, ref in (("vanishing", VANISHING), ("flowing", FLOWING)) if ref != config}


@dataclass(frozen=True)
class FrozenComparison:
    config: RunConfig  # the frozen run's config (k = freeze_first); the deep run is the same with 0
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


def compare_frozen(config: RunConfig) -> FrozenComparison:
    """The net of `config` trained whole and with its first `config.freeze_first` layers frozen."""
    deep_run, frozen_run = (run(c, **TABLES_ONLY) for c in (config.replace(freeze_first=0), config))
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
    return FrozenComparison(
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


def verdict(comparison: FrozenComparison) -> list[Sentence]:
    """What the page says under a comparison: a warning alone when there is no verdict to give, else the
    verdict and its notes (keys of the `shallow` catalogue, with the measured numbers)."""
    if comparison.diverged:  # the curves stop where a run overflowed: no verdict on a cut-short comparison
        return [Sentence("shallow.diverged", kind="warning")]
    k, depth = comparison.config.freeze_first, comparison.config.depth
    values = dict(
        max_gap=comparison.max_gap,
        mean_gap=comparison.mean_gap,
        signal=comparison.signal_ratio,
        k=k,
        rest=depth - k,
        loss_start=comparison.loss_start,
        loss_deep=comparison.loss_deep,
        loss_frozen=comparison.loss_frozen,
        accuracy_deep=comparison.accuracy_deep,
        accuracy_frozen=comparison.accuracy_frozen,
    )
    if any(isinstance(v, float) and not math.isfinite(v) for v in values.values()):
        return [Sentence("shallow.nothing_recorded", kind="warning")]
    said = [Sentence("shallow.verdict_overlap" if comparison.overlap else "shallow.verdict_separate", values)]
    if max(comparison.loss_deep, comparison.loss_frozen) > NO_LEARNING * math.log(2):
        said.append(Sentence("shallow.no_learning", {"rest": depth - k}, kind="caption"))
    if comparison.config.optimizer == "adam" and not comparison.overlap:
        said.append(Sentence("shallow.adam_note", kind="caption"))
    return said
