"""Histograms over training: counts add up to the entries measured, bins match an independent histogram of
the same network's values, saturation and dead units show where the article says, and a result stays small."""

import numpy as np
import torch

from explorer import RunConfig, run
from explorer.engine import histograms
from explorer.engine.train import setup


def totals(result):
    return result.histograms.groupby(["step", "layer", "quantity"], observed=True)["count"].sum().unstack("quantity")


def test_counts_sum_to_the_entries_measured_at_21_steps():
    config = RunConfig(depth=4, width=16, batch_size=32, steps=100, activation="tanh")
    result = run(config)
    steps = sorted(result.histograms.step.unique())
    assert len(steps) == 21 and steps[0] == 0 and steps[-1] == 100
    assert set(steps) <= set(result.layers.step)
    table = totals(result)
    assert (table[["z", "activation", "signal"]] == 32 * 16).all().all()
    fan_in = table.index.get_level_values("layer").map(lambda layer: 2 if layer == 1 else 16)
    assert (table["weight_grad"].to_numpy() == 16 * np.asarray(fan_in)).all()


def test_step_zero_bins_match_numpy_on_the_same_forward_pass():
    config = RunConfig(depth=3, width=32, batch_size=64, steps=0)
    x, y, model, batches, _, _ = setup(config)
    h = x[batches[0]]
    expected = {}
    with torch.no_grad():
        for layer, block in enumerate(model.hidden, start=1):
            z = block.norm(block.linear(h))
            h = block(h)
            bounds = histograms.edges("z", config.activation)
            clipped = np.clip(z.numpy().ravel(), bounds[0], bounds[-1] - 1e-9)  # edge bins take the tails
            expected[layer] = np.histogram(clipped, bounds)[0]
    frame = run(config).histograms
    for layer, counts in expected.items():
        rows = frame[(frame.layer == layer) & (frame.quantity == "z")]
        measured = np.zeros(histograms.LINEAR_BINS, dtype=int)
        measured[rows["bin"].to_numpy()] = rows["count"].to_numpy()
        np.testing.assert_array_equal(measured, counts)


def share(result, quantity, bins, step=0):
    rows = result.histograms[(result.histograms.step == step) & (result.histograms.quantity == quantity)]
    return rows[rows["bin"].isin(bins)]["count"].sum() / rows["count"].sum()


def test_sigmoid_saturates_at_0_and_1_when_the_init_is_large_and_relu_spikes_at_0():
    outer = [0, 1, 2, 29, 30, 31]  # within 3/32 of 0 or of 1, where sigma' < 0.09
    saturated = run(RunConfig(depth=6, width=64, init_scale=8.0, steps=0))
    assert share(saturated, "activation", outer) > 0.5
    calm = run(RunConfig(depth=6, width=64, init_scale=1.0, steps=0))
    assert share(calm, "activation", outer) < 0.05
    relu = run(RunConfig(depth=6, width=64, activation="relu", init="he", steps=0))
    zero_bin = int(np.searchsorted(histograms.edges("activation", "relu"), 0.0, side="right")) - 1
    assert share(relu, "activation", [zero_bin]) > 0.45  # the inactive half of the units: exactly 0


def test_vanishing_signal_moves_down_the_decades():
    result = run(RunConfig(depth=10, width=64, steps=0))  # sigmoid + LeCun: x0.25 per layer
    rows = result.histograms[result.histograms.quantity == "signal"]
    median_bin = rows.groupby("layer").apply(lambda r: np.repeat(r["bin"], r["count"]).median(), include_groups=False)
    assert median_bin.loc[1] < median_bin.loc[10] - 6  # more than three decades (half-decade bins) lower


def test_a_depth_64_result_stays_under_2_mb():
    result = run(RunConfig(depth=64, width=128, steps=20, activation="relu", init="he"))
    assert result.histograms.step.nunique() == 21
    assert result.histograms.memory_usage(deep=True).sum() < 2_000_000
    assert result.nbytes() > result.histograms.memory_usage(deep=True).sum()


def test_histograms_can_be_left_out():
    assert run(RunConfig(depth=2, width=8, steps=3), histograms=False).histograms.empty
