"""The run engine: its measurements against autograd, its record keeping, divergence and determinism."""

import math
import pickle
import sys

import numpy as np
import pandas as pd
import pytest
import torch
import torch.nn.functional as F

from explorer import RunConfig, RunResult, run
from explorer.engine.histograms import QUANTITIES
from explorer.engine.train import (
    LAYER_COLUMNS,
    MAX_LAYER_RECORDED,
    MAX_RECORDED,
    STEP_COLUMNS,
    TABLES_ONLY,
    layer_schedule,
    record_schedule,
    setup,
)
from tests import background, oracles

SMALL = dict(depth=4, width=16, steps=20, batch_size=64)


def test_result_shape_and_columns(measured):
    result = measured(**SMALL)
    assert list(result.layers.columns) == LAYER_COLUMNS
    assert list(result.steps.columns) == STEP_COLUMNS
    assert sorted(result.layers.layer.unique()) == list(range(1, 6))  # 4 hidden + output
    assert result.steps.step.tolist() == list(range(21))
    assert len(result.layers) == 21 * 5
    assert result.diverged_at is None


@pytest.mark.parametrize("steps", [0, 1, 7, 200, 201, 300, 1999, 2000])
def test_record_schedule_is_even_bounded_and_keeps_both_ends(steps):
    schedule = record_schedule(steps)
    assert schedule[0] == 0 and schedule[-1] == steps
    assert len(schedule) <= 201
    gaps = np.diff(schedule)
    if len(gaps):
        assert set(gaps[:-1]) <= {gaps[0]} and 0 < gaps[-1] <= gaps[0]  # one stride; the last gap may be short


@pytest.mark.parametrize("steps", [0, 1, 7, 60, 61, 100, 121, 200, 201, 300, 1999, 2000])
def test_layer_schedule_is_even_bounded_nested_and_keeps_both_ends(steps):
    recorded = record_schedule(steps)
    layers = layer_schedule(recorded)
    assert layers[0] == 0 and layers[-1] == steps
    assert len(layers) <= MAX_LAYER_RECORDED and set(layers) <= set(recorded)
    gaps = np.diff(layers)
    if len(gaps):
        assert set(gaps[:-1]) <= {gaps[0]} and 0 < gaps[-1] <= gaps[0]
    # the fewest recorded steps skipped that keep within the cap: every (k-1)-th would make more
    every = recorded.index(layers[1]) if len(layers) > 1 else 1
    assert every == 1 or len(recorded[:: every - 1]) + (recorded[:: every - 1][-1] != steps) > MAX_LAYER_RECORDED


@pytest.mark.parametrize(
    ("steps", "stride", "count"), [(30, 1, 31), (60, 2, 31), (100, 4, 26), (300, 10, 31), (2000, 70, 30)]
)
def test_layer_steps_of_common_lengths(steps, stride, count):
    """Worked by hand: 300 steps are recorded every 2nd step (151); every 5th of those, every 10th step, is a
    layer step (0, 10, ..., 300: 31), since every 4th would make 38 > 31. 2000 steps: recorded every 10th
    (201), measured every 70th (0, ..., 1960 and the last, 2000: 30)."""
    layers = layer_schedule(record_schedule(steps))
    assert len(layers) == count and layers[1] - layers[0] == stride


def test_recorded_steps_at_most_201_and_layer_steps_at_most_31(measured):
    result = measured(depth=2, width=8, steps=2000, batch_size=16)
    assert len(result.steps) == 201 and result.steps.step.iloc[-1] == 2000
    assert result.layers.step.nunique() == 30 and result.layers.step.iloc[-1] == 2000
    assert set(result.layers.step) <= set(result.steps.step)
    assert set(result.weights.step) == set(result.layers.step)


def test_every_recorded_step_measured_when_asked():
    result = run(RunConfig(depth=2, width=8, steps=300, batch_size=16), layer_steps=MAX_RECORDED, **TABLES_ONLY)
    assert result.layers.step.unique().tolist() == result.steps.step.tolist() == list(range(0, 301, 2))


def test_result_is_plain_picklable_data(measured):
    result = measured(**SMALL)
    restored = pickle.loads(pickle.dumps(result))
    pd.testing.assert_frame_equal(restored.layers, result.layers)
    for value in vars(result).values():
        assert not isinstance(value, torch.nn.Module | torch.Tensor)


def test_signal_and_grad_norms_equal_autograd_oracle():
    """Rebuild the same network, take dL/dz_l and dL/dW_l with torch.autograd.grad, compare to the record."""
    config = RunConfig(depth=5, width=12, activation="tanh", norm="layer", residual=True, steps=0, batch_size=32)
    recorded = run(config).layers.set_index("layer")
    x, y, model, batches, _, _ = setup(config)
    xb, yb = x[batches[0]], y[batches[0]]
    zs, logits = oracles.forward_by_hand(model, xb)
    loss = F.cross_entropy(logits, yb)
    weights = [b.linear.weight for b in model.hidden] + [model.output.weight]
    grads = torch.autograd.grad(loss, zs + weights)
    expected_signal = [g.norm().item() for g in grads[: len(zs)]]
    expected_grad = [g.norm().item() for g in grads[len(zs) :]]
    np.testing.assert_allclose(recorded.signal_norm, expected_signal, rtol=1e-5)
    np.testing.assert_allclose(recorded.grad_norm, expected_grad, rtol=1e-5)
    np.testing.assert_allclose(recorded.act_std.iloc[-1], logits.detach().std(unbiased=False).item(), rtol=1e-5)


def test_update_ratio_is_lr_times_gradient_over_weight_for_plain_sgd(measured):
    result = measured(**SMALL, lr=0.3)
    layers = result.layers.merge(result.weights, on=["step", "layer"])
    applied = layers[layers.step < 20]
    # rtol: the update is measured as W_after - W_before in float32, which loses digits when |dW| << |W|
    np.testing.assert_allclose(applied.update_ratio * applied.weight_norm, 0.3 * applied.grad_norm, rtol=2e-3)
    assert layers[layers.step == 20].update_ratio.isna().all()  # the last step applies no update


ELSEWHERE = background.child(
    [
        sys.executable,
        "-c",
        "import pickle,sys; from explorer import RunConfig, run; "
        f"sys.stdout.buffer.write(pickle.dumps(run(RunConfig(**{SMALL!r}, activation='elu', norm='batch', "
        "optimizer='adam', lr=0.01)).layers))",
    ],
    text=False,
)


START_EARLY = {  # the other process of the test below, started beside the tests before it (tests/background.py)
    "test_same_config_same_numbers_across_processes": lambda: background.start(
        "train.elsewhere", ELSEWHERE, background.Child.kill, background.Child.wait
    )
}


def test_same_config_same_numbers_across_processes(measured):
    config = RunConfig(**SMALL, activation="elu", norm="batch", optimizer="adam", lr=0.01)
    here = run(config)
    done = background.take("train.elsewhere", ELSEWHERE).result(timeout=300)
    assert done.returncode == 0, done.stderr
    there = pickle.loads(done.stdout)
    pd.testing.assert_frame_equal(here.layers, there, check_exact=True)
    pd.testing.assert_frame_equal(here.layers, run(config).layers, check_exact=True)


def test_divergence_is_a_result_not_an_error(measured):
    result = measured(depth=20, width=64, activation="linear", init_scale=4.0, lr=1.0, steps=50)
    assert result.diverged_at is not None
    assert result.steps.step.max() < result.diverged_at
    numeric = result.layers[result.layers.layer <= 20].drop(columns="update_ratio")
    assert np.isfinite(numeric.to_numpy()).all()


def test_overflow_in_the_first_forward_pass_diverges_at_step_zero(measured):
    result = measured(depth=64, width=256, activation="linear", init_scale=8.0, steps=5, batch_size=8, boundary=True)
    assert result.diverged_at == 0
    assert result.layers.empty and result.steps.empty
    assert result.boundary.empty  # no decision boundary from a net whose outputs overflow


def test_frozen_layers_keep_gradients_but_do_not_move(measured):
    result = measured(**SMALL, freeze_first=2)
    applied = result.layers[result.layers.step < 20]
    assert (applied[applied.layer <= 2].update_ratio == 0).all()
    assert (applied[applied.layer > 2].update_ratio > 0).all()
    assert (applied.grad_norm > 0).all()


def test_boundary_covers_the_data(measured):
    result = measured(**SMALL, boundary=True)
    assert len(result.boundary) == 64 * 64
    assert result.boundary.p.between(0, 1).all()
    assert result.boundary.x1.min() < result.data.x1.min() and result.boundary.x1.max() > result.data.x1.max()
    assert isinstance(result, RunResult) and math.isfinite(result.seconds)


def test_the_tables_alone_are_the_same_tables(measured):
    """TABLES_ONLY skips the decision boundary (drawn after training, in eval mode, without grad) and the
    histograms (read from what the recorded steps keep anyway): the tables stay bit for bit the same."""
    config = dict(SMALL, norm="batch")  # BatchNorm: eval mode must leave its running statistics as they were
    everything, tables = measured(**config, boundary=True, histograms=True), run(RunConfig(**config), **TABLES_ONLY)
    assert len(everything.boundary) == 64 * 64 and tables.boundary.empty
    assert set(everything.histograms.quantity) == set(QUANTITIES) and tables.histograms.empty
    for part in ("layers", "steps", "weights", "data"):
        pd.testing.assert_frame_equal(getattr(everything, part), getattr(tables, part))


def test_learns_an_easy_dataset(measured):
    result = measured(depth=3, width=32, activation="relu", init="he", lr=0.1, steps=300, dataset="gaussians")
    assert result.steps.accuracy.iloc[-1] > 0.85
    assert result.steps.loss.iloc[-1] < 0.6 * result.steps.loss.iloc[0]
