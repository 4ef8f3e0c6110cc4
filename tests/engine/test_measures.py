"""measures.flow_kind judges the whole path (layer 1 / last hidden layer), not the per-layer factor:
its thresholds, and the measured runs on either side of them."""

import math

import pytest

from explorer.engine import measures


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
    ratio = measures.signal_ratio(layers, 0)
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
    assert measures.flow_kind(measures.signal_ratio(layers, 0)) == kind


@pytest.mark.parametrize("depth", [2, 10, 60])
def test_the_path_has_depth_minus_one_factors(measured, depth):
    layers = measured(steps=0, depth=depth, width=16, batch_size=64, activation="relu", init="he").layers
    assert measures.factor_count(layers, 0) == depth - 1
    ratio = measures.signal_ratio(layers, 0)
    assert measures.per_layer_factor(layers, 0) ** (depth - 1) == pytest.approx(ratio, rel=1e-9)
