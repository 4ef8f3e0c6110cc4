"""Exploding gradients: the configuration explodes, clipping bounds what is applied, weight decay shrinks
the weights, and Pascanu et al.'s toy: autograd against finite differences, the cliff, clipped descent."""

import functools
import math

import numpy as np
import pandas as pd
import pytest

from explorer import i18n, run
from explorer.charts import exploding as charts
from explorer.engine.config import MAX_RUN_SECONDS, bound_problem
from explorer.lessons.cliff import (
    CliffConfig,
    cliff_slice,
    cliff_surface,
    descent_path,
    descent_paths,
    largest_jump,
    path_verdict,
    toy_gradient,
    toy_loss,
)
from explorer.lessons.exploding import (
    ARM_STEP_COLUMNS,
    ARMS,
    ExplodingConfig,
    arm_summary,
    run_clip_value,
    run_exploding,
)

SMALL = ExplodingConfig(depth=8, width=16, steps=40)  # without a remedy it overflows at step 3
t = i18n.translator("en")


result_of = functools.cache(run_exploding)  # runs are deterministic: each config runs once


def test_every_arm_is_recorded_at_every_step():
    result = result_of(SMALL)
    assert list(result.steps.columns) == ARM_STEP_COLUMNS
    for arm in ARMS:
        steps = result.steps[result.steps.arm == arm]
        if result.diverged_at[arm] is None:
            assert steps.step.tolist() == list(range(SMALL.steps + 1))
        else:
            assert steps.step.tolist() == list(range(result.diverged_at[arm]))


def test_the_configuration_explodes_without_a_remedy_and_survives_with_clipping():
    summary = arm_summary(result_of(SMALL))
    assert summary.loc["none", "diverged_at"] >= 1  # overflowed after a few steps
    assert summary.loc["none", "max_grad_norm"] > 1e3 * summary.loc["none", "start_grad_norm"]
    for arm in ("clip_norm", "clip_value", "clip_norm_decay"):
        assert math.isnan(summary.loc[arm, "diverged_at"]), arm
        assert math.isfinite(summary.loc[arm, "final_loss"]) and summary.loc[arm, "max_grad_norm"] < 1e3


def test_global_norm_clipping_bounds_the_applied_update():
    """SGD without decay moves θ by lr·g: the measured update of all weight matrices is at most lr·clip."""
    config = SMALL.run_config("clip_norm")
    result = run(config)
    layers = result.layers.merge(result.weights, on=["step", "layer"])
    applied = layers[np.isfinite(layers.update_ratio)]
    update = (applied.update_ratio * applied.weight_norm).pow(2).groupby(applied.step).sum().pow(0.5)
    assert (update <= config.lr * config.clip_norm * (1 + 1e-5)).all()
    pre = result.steps.set_index("step").grad_norm_total
    big = pre[pre > 2 * config.clip_norm].index.intersection(update.index)
    assert len(big) > 0
    # when clipping fired, the step is (nearly) all of lr·clip: only the biases' share is missing
    assert (update.loc[big] > 0.5 * config.lr * config.clip_norm).all()


def test_clip_by_value_bounds_every_gradient_entry():
    config = SMALL.run_config()
    frame, diverged = run_clip_value(config, 0.05)
    assert diverged is None
    bound = float(np.float32(0.05))  # clip_grad_value_ clamps float32 gradients to float32(0.05)
    assert (frame.max_entry_applied <= bound).all()
    fired = frame.max_entry > bound
    np.testing.assert_allclose(frame.max_entry_applied[fired], bound)
    assert (frame.fired == fired).all()
    assert (frame.grad_norm_applied <= frame.grad_norm_total * (1 + 1e-9)).all()
    assert ((frame.clipped_share > 0) == fired).all()


def test_weight_decay_shrinks_the_weight_norm():
    summary = arm_summary(result_of(SMALL))
    assert summary.loc["clip_norm_decay", "final_weight_norm"] < 0.9 * summary.loc["clip_norm", "final_weight_norm"]
    assert summary.loc["clip_norm_decay", "final_weight_norm"] < summary.loc["clip_norm_decay", "start_weight_norm"]
    assert summary.loc["clip_norm_decay", "final_grad_norm"] < summary.loc["clip_norm", "final_grad_norm"]


def test_weight_decay_alone_is_plain_sgd_with_decay():
    """Theory: with decay λ, a step changes the weights by -lr·(g + λW); with a huge λ·lr the norm falls."""
    steps = result_of(SMALL.replace(weight_decay=1.0, lr=0.5, init_scale=1.0)).steps
    decayed = steps[steps.arm == "clip_norm_decay"].weight_norm
    assert decayed.iloc[-1] < 0.1 * decayed.iloc[0]


# ----- the one-unit toy -----------------------------------------------------------------------------


@pytest.mark.parametrize("w, b", [(1.0, 0.0), (3.0, -1.5), (8.0, -2.0), (6.0, -4.0), (9.5, 1.0)])
def test_toy_gradient_from_autograd_matches_finite_differences(w, b):
    _, grad_w, grad_b = toy_gradient(w, b, 50)
    h = 1e-6

    def loss(w_, b_):
        import torch

        return toy_loss(torch.tensor(w_, dtype=torch.float64), torch.tensor(b_, dtype=torch.float64), 50).item()

    fd_w = (loss(w + h, b) - loss(w - h, b)) / (2 * h)
    fd_b = (loss(w, b + h) - loss(w, b - h)) / (2 * h)
    np.testing.assert_allclose([grad_w, grad_b], [fd_w, fd_b], rtol=1e-5, atol=1e-7)


def test_toy_loss_unrolls_the_recurrence():
    import torch

    x = 0.5
    for _ in range(7):
        x = 2.0 * (1 / (1 + math.exp(-x))) - 0.3
    assert toy_loss(torch.tensor(2.0, dtype=torch.float64), torch.tensor(-0.3, dtype=torch.float64), 7).item() == (
        pytest.approx((x - 0.7) ** 2, rel=1e-12)
    )


def test_toy_surface_has_a_cliff_where_the_gradient_spans_orders_of_magnitude():
    surface = cliff_surface(50, points=61)
    assert len(surface) == 61 * 61 and np.isfinite(surface.grad_norm).all()
    grid = surface.pivot(index="w", columns="b", values="loss")
    assert (grid.loc[6.0:].diff(axis=1).abs().max(axis=1) > 5).all()  # for w >= 6 the loss steps by > 5
    wall = cliff_slice(8.0, 50)
    assert wall.grad_b.max() / wall.grad_b.median() > 1e6  # the wall: many decades above the slope around it
    jumps = np.abs(np.diff(wall.loss.to_numpy()))
    gaps = np.diff(wall.b.to_numpy())
    assert ((jumps > 5) & (gaps < 1e-9)).any()  # the loss jumps by > 5 over a change of b below 1e-9
    flat = cliff_slice(2.0, 50)  # w < 4: one stable state, no wall
    assert flat.grad_b.max() / flat.grad_b.median() < 10


def test_clipped_descent_never_moves_farther_than_lr_times_threshold():
    config = CliffConfig()
    clipped = descent_path(config, clip=True)
    moves = np.hypot(np.diff(clipped.w), np.diff(clipped.b))
    assert (moves <= config.toy_lr * config.toy_clip * (1 + 1e-12)).all()
    assert clipped.fired.any()
    plain = descent_path(config, clip=False)
    _, jump = largest_jump(plain)
    assert jump > 10 * config.toy_lr * config.toy_clip  # the default start walks onto the cliff
    assert clipped.loss.iloc[-1] < plain.loss.iloc[-1]


def test_query_rules_round_trip_and_reject_hostile_values():
    config = ExplodingConfig(depth=5, clip_norm=0.25, weight_decay=0.0, seed=4)
    assert ExplodingConfig.from_query(config.to_query()) == (config, [])
    toy = CliffConfig(toy_w=5.5, toy_steps=30)
    assert CliffConfig.from_query(toy.to_query()) == (toy, [])
    parsed, problems = ExplodingConfig.from_query({"init_scale": "inf", "steps": "-1", "clip_value": "x" * 500})
    assert parsed == ExplodingConfig() and len(problems) == 3
    parsed, problems = CliffConfig.from_query({"toy_w": "99", "toy_horizon": "1e6", "toy_clip": "0"})
    assert parsed == CliffConfig() and len(problems) == 3
    # the page's largest settings (five runs, ~5.5 s measured) stay inside the one demo bound on time
    largest = ExplodingConfig(depth=24, width=128, steps=200)
    assert largest.bound_problem() is None and largest.estimated_seconds() <= MAX_RUN_SECONDS
    assert bound_problem(MAX_RUN_SECONDS + 1) is not None


def test_charts_are_log_scaled_with_tooltips_and_survive_empty_frames():
    steps = result_of(SMALL).steps
    spec = charts.by_arm(steps, "grad_norm_total", t).to_dict()
    assert spec["encoding"]["y"]["scale"]["type"] == "log"
    assert any(tip.get("format") == ".3e" for tip in spec["encoding"]["tooltip"])
    clip = steps[steps.arm == "clip_norm"]
    layered = charts.before_after(clip, "grad_norm_total", "grad_norm_applied", 1.0, "norm", t).to_dict()
    assert layered["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"
    empty = charts.by_arm(steps.iloc[:0], "loss", t).to_dict()
    assert empty["mark"]["type"] == "text"
    paths = descent_paths(CliffConfig(toy_steps=20))
    surface = charts.cliff_surface(cliff_surface(20, points=21), paths, t).to_dict()
    assert len(surface["layer"]) == 3
    assert "vconcat" in charts.cliff_slice(cliff_slice(8.0, 20), 8.0, t).to_dict()
    assert charts.path_gradients(paths, 20.0, t).to_dict()["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"
    assert charts.clipped_share(pd.DataFrame({"step": [], "clipped_share": []}), t).to_dict()["mark"]["type"] == "text"


# ----- the verdict, pure: one sentence per arm with its measured figures ---------------------------------


def test_verdict_quotes_each_arms_figures():
    from explorer.lessons.exploding import verdict  # noqa: PLC0415

    result = result_of(SMALL)
    summary = arm_summary(result)
    said = verdict(result)
    assert [s.key for s in said] == [
        "exploding.verdict_none",
        "exploding.verdict_clip_norm",
        "exploding.verdict_clip_value",
        "exploding.verdict_decay",
    ]
    assert said[0].values["peak"] == f"{summary.loc['none', 'max_grad_norm']:.3g}"
    # the arm without a remedy overflowed (at step 3): its fate says so, the clipped arm's says it survived
    assert said[0].values["fate"].key == "exploding.fate_diverged"
    assert said[0].values["fate"].values["step"] == int(summary.loc["none", "diverged_at"])
    assert said[1].values["fate"].key == "exploding.fate_survived"
    assert said[1].values["share"] == f"{summary.loc['clip_norm', 'fired_share']:.0%}"
    value_steps = result.steps[result.steps.arm == "clip_value"]
    assert said[2].values["entries"] == f"{value_steps.clipped_share.mean():.1%}"
    assert said[3].values["w_both"] == f"{summary.loc['clip_norm_decay', 'final_weight_norm']:.3g}"


def test_toy_path_verdict_quotes_the_path():
    path = descent_path(CliffConfig(), clip=True)
    said = path_verdict(path, "exploding.verdict_clipped", 20.0)
    assert said.values["fired"] == int(path.fired.sum()) and said.values["threshold"] == "20"
    assert said.values["peak"] == f"{path.grad_norm.max():.3g}"
    assert said.values["jump_step"] == largest_jump(path)[0]
