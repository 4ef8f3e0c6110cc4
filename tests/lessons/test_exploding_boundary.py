"""The exploding-gradients verdicts at their boundaries.

- Clipping "fires" when the norm is strictly above the threshold: Pascanu's one-unit toy is descended here
  with its gradient written out by forward-mode differentiation in plain Python (no torch), and a clip
  just above the plain path's largest gradient never fires, just below it fires.
- How often clipping fired, as a share of the steps: one step in 201 is 0.5%, not "0%"; all but one is
  99.5%, not "100%" (a result built by hand, so the counts are known).
- An arm's fate: it overflowed at a step, or it finished.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from explorer.lessons import cliff, exploding
from explorer.lessons.cliff import CliffConfig

X0, TARGET = 0.5, 0.7  # the toy's start and target, written out independently of the lesson


def toy_gradient(w: float, b: float, horizon: int) -> tuple[float, float, float]:
    """L = (x_T − 0.7)², x_t = w·σ(x_{t−1}) + b, x₀ = 0.5, with ∂x_t/∂w and ∂x_t/∂b carried forward."""
    x, dw, db = X0, 0.0, 0.0
    for _ in range(horizon):
        s = 1 / (1 + math.exp(-x))
        slope = w * s * (1 - s)
        x, dw, db = w * s + b, s + slope * dw, 1 + slope * db
    return (x - TARGET) ** 2, 2 * (x - TARGET) * dw, 2 * (x - TARGET) * db


def toy_path(config: CliffConfig, clip: float | None) -> list[tuple[float, bool]]:
    """(gradient norm, clipped?) at each step of gradient descent, clipping to `clip` when longer."""
    w, b, seen = config.toy_w, config.toy_b, []
    for step in range(config.toy_steps + 1):
        _, gw, gb = toy_gradient(w, b, config.toy_horizon)
        norm = math.hypot(gw, gb)
        fired = clip is not None and norm > clip
        seen.append((norm, fired))
        if step == config.toy_steps:
            break
        scale = clip / norm if fired else 1.0
        w, b = w - config.toy_lr * scale * gw, b - config.toy_lr * scale * gb
    return seen


TOY = CliffConfig(toy_steps=20, toy_horizon=10)


def test_the_toys_gradient_is_the_chain_rule_through_time():
    for w, b in [(8.0, -2.0), (3.0, 0.5), (6.5, -4.0)]:
        assert cliff.toy_gradient(w, b, 10) == pytest.approx(toy_gradient(w, b, 10), rel=1e-12)


@pytest.mark.parametrize(("margin", "fires"), [(1e-6, False), (-1e-3, True)])
def test_clipping_fires_only_above_its_threshold(margin, fires):
    peak = max(norm for norm, _ in toy_path(TOY, None))
    config = TOY.replace(toy_clip=peak * (1 + margin))
    expected = toy_path(TOY, config.toy_clip)
    path = cliff.descent_path(config, clip=True)
    assert path.grad_norm.to_numpy() == pytest.approx([norm for norm, _ in expected], rel=1e-9)
    said = cliff.path_verdict(path, "exploding.verdict_clipped", config.toy_clip)
    assert said.values["fired"] == sum(fired for _, fired in expected)
    assert (said.values["fired"] > 0) is fires
    assert said.values["peak"] == f"{max(norm for norm, _ in expected):.3g}"


def built(fired_norm: list[bool], fired_value: list[bool], diverged: dict[str, int | None] | None = None):
    """An ExplodingResult by hand: len(fired_norm) recorded steps per arm, clipping firing where told."""
    n = len(fired_norm)
    frames = []
    for arm in exploding.ARMS:
        fired = fired_norm if arm == "clip_norm" else fired_value if arm == "clip_value" else [False] * n
        frames.append(
            pd.DataFrame(
                {
                    "arm": arm,
                    "step": range(n),
                    "loss": 0.5,
                    "accuracy": 0.5,
                    "grad_norm_total": 2.0,
                    "grad_norm_applied": np.where(fired, 1.0, 2.0),
                    "max_entry": 0.1,
                    "max_entry_applied": 0.1,
                    "clipped_share": np.where(fired, 1e-5, 0.0) if arm == "clip_value" else np.nan,
                    "fired": fired,
                    "weight_norm": 3.0,
                }
            )
        )
    config = exploding.ExplodingConfig(steps=n - 1)
    return exploding.ExplodingResult(
        config, pd.concat(frames, ignore_index=True), diverged or dict.fromkeys(exploding.ARMS)
    )


@pytest.mark.parametrize(
    ("fired", "share"),
    [(0, "0%"), (1, "0.5%"), (2, "1%"), (199, "99%"), (200, "99.5%"), (201, "100%")],
)
def test_the_share_of_steps_clipping_fired_on_reads_0_or_100_only_when_it_is(fired, share):
    pattern = [i < fired for i in range(201)]
    said = exploding.verdict(built(pattern, pattern))
    assert said[1].values["share"] == share  # global-norm clipping
    assert said[2].values["share"] == share  # clip-by-value
    assert said[1].values["applied"] == ("1" if fired == 201 else "2")
    entries = 1e-5 * fired / 201  # of the entries, averaged over the steps: never shown as 0.0% unless 0
    stated = float(said[2].values["entries"].rstrip("%")) / 100
    assert stated == pytest.approx(entries, rel=0.1) and (stated == 0) is (fired == 0)


@pytest.mark.parametrize(("diverged_at", "key"), [(None, "exploding.fate_survived"), (200, "exploding.fate_diverged")])
def test_an_arm_that_overflowed_even_at_the_last_step_did_not_finish(diverged_at, key):
    result = built([False] * 201, [False] * 201, {**dict.fromkeys(exploding.ARMS), "none": diverged_at})
    fate = exploding.verdict(result)[0].values["fate"]
    assert fate.key == key
    assert fate.values == ({"step": 200} if diverged_at is not None else {"steps": 200, "loss": "0.5"})
