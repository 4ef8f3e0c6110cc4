"""explorer.engine.measures: on small hand-built tables whose answers are known by construction, and
flow_kind's thresholds (the whole path, layer 1 / last hidden layer) with measured runs on either side."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from explorer.engine import measures
from tests import oracles


def table(signal_by_step: dict[int, list[float]], update_by_step: dict[int, list[float]] | None = None) -> pd.DataFrame:
    """A per-layer table: for each step, layers 1..n with the given signal norms (the last is the output)."""
    rows = []
    for step, signals in signal_by_step.items():
        updates = (update_by_step or {}).get(step, [math.nan] * len(signals))
        for layer, (signal, update) in enumerate(zip(signals, updates, strict=True), start=1):
            rows.append(
                {"step": step, "layer": layer, "signal_norm": signal, "grad_norm": 2 * signal, "update_ratio": update}
            )
    return pd.DataFrame(rows)


# Layers 1..4 hidden, layer 5 the output; step 0 the signal grows by 10 per layer from layer 1 up.
FOUR_HIDDEN = table({0: [1e-3, 1e-2, 1e-1, 1.0, 50.0], 2: [2.0, 2.0, 2.0, 4.0, 7.0]})


def test_hidden_at_leaves_out_the_output_layer_and_indexes_by_layer():
    hidden = measures.hidden_at(FOUR_HIDDEN, 0)
    assert list(hidden.index) == [1, 2, 3, 4]
    assert hidden.signal_norm.tolist() == [1e-3, 1e-2, 1e-1, 1.0]
    assert list(measures.hidden_at(FOUR_HIDDEN, 2).index) == [1, 2, 3, 4]


def test_hidden_at_of_a_one_layer_table_keeps_that_layer():
    one = table({0: [0.5]})
    assert measures.hidden_at(one, 0).signal_norm.tolist() == [0.5]


def test_signal_ratio_is_layer_one_over_the_last_hidden_layer():
    assert measures.signal_ratio(FOUR_HIDDEN, 0) == pytest.approx(1e-3)  # 1e-3 / 1.0, not / 50 (the output)
    assert measures.signal_ratio(FOUR_HIDDEN, 2) == pytest.approx(0.5)  # 2 / 4


def test_signal_ratio_reads_the_step_asked_for_and_nan_when_missing():
    assert math.isnan(measures.signal_ratio(FOUR_HIDDEN, 1))  # step 1 was not recorded
    zero_last = table({0: [1.0, 0.0, 3.0]})
    assert math.isnan(measures.signal_ratio(zero_last, 0))  # nothing reached the last hidden layer


def test_per_layer_factor_is_the_geometric_mean_over_depth_minus_one_factors():
    assert measures.per_layer_factor(FOUR_HIDDEN, 0) == pytest.approx(0.1)  # (1e-3) ** (1/3)
    assert measures.per_layer_factor(FOUR_HIDDEN, 2) == pytest.approx(0.5 ** (1 / 3))
    growing = table({0: [8.0, 4.0, 2.0, 1.0, 1.0]})
    assert measures.per_layer_factor(growing, 0) == pytest.approx(2.0)


def test_per_layer_factor_needs_two_hidden_layers_and_a_positive_ratio():
    assert math.isnan(measures.per_layer_factor(table({0: [1.0, 5.0]}), 0))  # one hidden layer, no factor
    assert math.isnan(measures.per_layer_factor(table({0: [0.0, 1.0, 5.0]}), 0))  # ratio 0


def test_mean_update_ratio_averages_the_finite_updates_per_layer():
    layers = table(
        {0: [1.0, 1.0, 1.0], 1: [1.0, 1.0, 1.0], 2: [1.0, 1.0, 1.0]},
        {0: [1e-4, 1e-2, 0.5], 1: [3e-4, 3e-2, 0.7], 2: [math.nan, math.nan, math.nan]},
    )
    means = measures.mean_update_ratio(layers)
    assert means.to_dict() == pytest.approx({1: 2e-4, 2: 2e-2, 3: 0.6})


def test_learning_speed_ratio_is_the_last_hidden_layer_over_layer_one_not_the_output():
    layers = table({0: [1.0] * 4, 1: [1.0] * 4}, {0: [1e-4, 1e-3, 1e-2, 9.0], 1: [3e-4, 3e-3, 3e-2, 9.0]})
    assert measures.learning_speed_ratio(layers) == pytest.approx(100.0)  # layer 3 (2e-2) / layer 1 (2e-4)


def test_learning_speed_ratio_is_nan_without_three_layers_or_a_moving_first_layer():
    assert math.isnan(measures.learning_speed_ratio(table({0: [1.0, 1.0]}, {0: [1e-3, 1e-2]})))
    assert math.isnan(measures.learning_speed_ratio(table({0: [1.0, 1.0, 1.0]}, {0: [0.0, 1e-2, 1.0]})))


@pytest.mark.parametrize(("value", "expected"), [(1e-6, -6.0), (1.0, 0.0), (1e3, 3.0), (0.5, math.log10(0.5))])
def test_decades_is_the_signed_log10(value, expected):
    assert measures.decades(value) == pytest.approx(expected)


@pytest.mark.parametrize("value", [0.0, -1.0, math.inf, math.nan])
def test_decades_of_a_non_ratio_is_nan(value):
    assert math.isnan(measures.decades(value))


def test_a_real_run_agrees_with_the_layer_number_oracle(measured):
    result = measured(depth=6, width=16, steps=6, batch_size=32)
    assert measures.signal_ratio(result.layers, 0) == pytest.approx(oracles.signal_ratio(result.layers, 6), rel=1e-12)
    assert measures.per_layer_factor(result.layers, 0) == pytest.approx(
        oracles.per_layer_factor(result.layers, 6), rel=1e-12
    )
    assert measures.learning_speed_ratio(result.layers) == pytest.approx(
        oracles.learning_speed_ratio(result.layers, 6), rel=1e-12
    )
    assert np.isfinite(measures.signal_ratio(result.layers, 0))


# ----- flow_kind: the verdict's thresholds ------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "kind"),
    [
        (0.0999, "vanishing"),
        (0.1, "stable"),
        (1.0, "stable"),
        (10.0, "stable"),
        (10.01, "exploding"),
        (math.inf, "exploding"),
        (0.0, "vanishing"),
        (math.nan, "undefined"),
    ],
)
def test_flow_kind_thresholds(ratio, kind):
    assert measures.flow_kind(ratio) == kind


# The two cases: a per-layer factor that looks harmless (0.86, 0.83: the old per-layer verdict
# called them "stable") but, multiplied over the depth, leaves ~1e-4 of the signal at layer 1.
@pytest.mark.parametrize(
    ("fields", "factor_low", "ratio_high"),
    [
        (dict(activation="relu", init="he", init_scale=0.9, depth=60), 0.8, 1e-3),
        (dict(activation="relu", init="lecun", init_scale=1.2, depth=40), 0.8, 1e-2),
    ],
)
def test_a_mild_per_layer_factor_over_many_layers_is_vanishing(measured, fields, factor_low, ratio_high):
    layers = measured(steps=0, **fields).layers
    assert measures.per_layer_factor(layers, 0) > factor_low  # the factor alone would pass for stable
    ratio = oracles.signal_ratio(layers, fields["depth"])
    assert measures.signal_ratio(layers, 0) == pytest.approx(ratio, rel=1e-12)
    assert ratio < ratio_high
    assert measures.flow_kind(ratio) == "vanishing"


# Measured pairs straddling each threshold: ReLU He x 0.9 leaves 0.14 at depth 15 and 0.071 at depth 20;
# ReLU He x 1.15 gives 7.0 at depth 20 and 13 at depth 25.
@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        (dict(activation="relu", init="he", init_scale=0.9, depth=15), "stable"),
        (dict(activation="relu", init="he", init_scale=0.9, depth=20), "vanishing"),
        (dict(activation="relu", init="he", init_scale=1.15, depth=20), "stable"),
        (dict(activation="relu", init="he", init_scale=1.15, depth=25), "exploding"),
    ],
)
def test_measured_runs_either_side_of_the_thresholds(measured, fields, kind):
    layers = measured(steps=0, **fields).layers
    depth = fields["depth"]
    ratio = oracles.signal_ratio(layers, depth)  # read by layer number, not through measures
    assert measures.signal_ratio(layers, 0) == pytest.approx(ratio, rel=1e-12)
    assert measures.flow_kind(ratio) == kind


@pytest.mark.parametrize("depth", [2, 10, 60])
def test_the_path_has_depth_minus_one_factors(measured, depth):
    layers = measured(steps=0, depth=depth, width=16, batch_size=64, activation="relu", init="he").layers
    assert measures.factor_count(layers, 0) == depth - 1
    assert max(oracles.at_step(layers, 0, "signal_norm")) == depth + 1  # the output layer is not a factor
    ratio = measures.signal_ratio(layers, 0)
    assert measures.per_layer_factor(layers, 0) ** (depth - 1) == pytest.approx(ratio, rel=1e-9)


def test_the_step_defaults_to_the_untrained_network():
    assert measures.signal_ratio(FOUR_HIDDEN) == measures.signal_ratio(FOUR_HIDDEN, 0) == pytest.approx(1e-3)
    assert measures.per_layer_factor(FOUR_HIDDEN) == pytest.approx(0.1)
    assert measures.factor_count(FOUR_HIDDEN) == 3
