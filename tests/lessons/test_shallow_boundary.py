"""The shallow-net comparison's overlap verdict at its threshold, computed by the lesson from two loss
curves whose largest gap is set just inside or just outside it (the engine's runs replaced by curves
built here), and on the page that shows it. The threshold itself is written out independently: 3% of
ln 2 nats, the loss of a 50/50 guess.
"""

from __future__ import annotations

import functools
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from explorer import RunConfig, i18n, run
from explorer.lessons import shallow

THRESHOLD = 0.03 * math.log(2)  # nats: the overlap threshold, independently of shallow.OVERLAP_NATS
t = i18n.translator("en")
STEPS = 5
DEPTH, FROZEN = 4, 2


def fake_runs(max_gap: float, *, diverged: bool = False):
    """run(config) stand-in: the deep run (freeze_first 0) and the frozen one, with losses differing by
    `max_gap` at one step and by less elsewhere; every layer moves a little."""

    def fake(config: RunConfig, **_):
        steps = np.arange(STEPS + 1)
        loss = 0.69 - 0.01 * steps
        if config.freeze_first:
            loss = loss + max_gap * np.array([0.0, 0.2, 0.5, 1.0, 0.5, 0.1])
        layers = pd.DataFrame(
            [
                {"step": s, "layer": layer, "signal_norm": 10.0**-layer, "grad_norm": 1.0, "update_ratio": 1e-3}
                for s in steps
                for layer in range(1, config.depth + 2)
            ]
        )
        frame = pd.DataFrame({"step": steps, "loss": loss, "accuracy": 0.5})
        return SimpleNamespace(steps=frame, layers=layers, diverged_at=3 if diverged and config.freeze_first else None)

    return fake


def comparison(seed: int):
    """The lesson's comparison of a small net (whatever the lesson's config type is called today)."""
    if hasattr(shallow, "compare_frozen"):
        return shallow.compare_frozen(RunConfig(depth=DEPTH, freeze_first=FROZEN, steps=STEPS, seed=seed))
    return shallow.compare(shallow.ShallowConfig(depth=DEPTH, frozen=FROZEN, steps=STEPS, seed=seed))


def test_the_threshold_is_three_percent_of_ln_2():
    assert pytest.approx(THRESHOLD, rel=1e-12) == shallow.OVERLAP_NATS


@pytest.mark.parametrize(
    ("gap", "overlap"),
    [(0.0, True), (0.99 * THRESHOLD, True), (1.01 * THRESHOLD, False), (4 * THRESHOLD, False), (0.3, False)],
)
def test_overlap_is_decided_by_the_largest_gap_against_the_threshold(monkeypatch, gap, overlap):
    monkeypatch.setattr(shallow, "run", fake_runs(gap))
    result = comparison(seed=0)
    assert result.max_gap == pytest.approx(gap, abs=1e-15)
    assert result.mean_gap == pytest.approx(gap * (0.0 + 0.2 + 0.5 + 1.0 + 0.5 + 0.1) / 6, abs=1e-15)
    assert result.overlap is overlap
    assert result.signal_ratio == pytest.approx(10.0**-1 / 10.0**-DEPTH)  # layer 1 over layer DEPTH


def test_a_cut_short_comparison_never_overlaps(monkeypatch):
    monkeypatch.setattr(shallow, "run", fake_runs(0.0, diverged=True))
    result = comparison(seed=0)
    assert result.diverged and not result.overlap


@functools.cache
def frozen_and_deep(depth: int, k: int):
    config = RunConfig(depth=depth, width=16, steps=30, batch_size=64, activation="relu", init="he", lr=0.05)
    return run(config), run(config.replace(freeze_first=k))


def test_freezing_keeps_exactly_the_first_k_layers_still():
    """What the comparison rests on: the frozen run differs from the deep run only in its first k layers,
    which never move (update ratio 0), while the deep run moves them."""
    deep, frozen = frozen_and_deep(6, 3)
    frozen_moves = frozen.layers.groupby("layer").update_ratio.max()
    deep_moves = deep.layers.groupby("layer").update_ratio.max()
    assert (frozen_moves.loc[1:3] == 0).all()
    assert (frozen_moves.loc[4:] > 0).all()
    assert (deep_moves > 0).all()
    first = deep.steps.loss.iloc[0]
    assert frozen.steps.loss.iloc[0] == first  # the same initial weights and batch
    assert not np.array_equal(deep.steps.loss.to_numpy(), frozen.steps.loss.to_numpy())
