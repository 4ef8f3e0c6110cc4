"""explorer.engine.measures on hand-built per-layer tables, the cases test_measures.py leaves open: the
underflow span the lab reports when layer 1's signal reads exactly 0, and the edges of each figure
(which step, which layers, when there is no figure). Layer numbers: 1 is the input side, the last row
of a step is the output layer."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from explorer.engine import measures


def table(signal_by_step: dict[int, list[float]], update_by_step: dict[int, list[float]] | None = None) -> pd.DataFrame:
    """Per step, layers 1..n with the given signal norms (the last one is the output layer)."""
    rows = []
    for step, signals in signal_by_step.items():
        updates = (update_by_step or {}).get(step, [math.nan] * len(signals))
        for layer, (signal, update) in enumerate(zip(signals, updates, strict=True), start=1):
            rows.append({"step": step, "layer": layer, "signal_norm": signal, "update_ratio": update})
    return pd.DataFrame(rows)


# ----- underflow_span -----------------------------------------------------------------------------------


def test_the_span_runs_from_the_lowest_non_zero_layer_to_the_last_hidden_one():
    # hidden layers 1..5, output 6: layers 1 and 2 underflowed; 1e-30 at layer 3, 1e-10 at layer 5
    layers = table({0: [0.0, 0.0, 1e-30, 1e-20, 1e-10, 5.0]})
    lowest, factor = measures.underflow_span(layers, 0)
    assert lowest == 3
    assert factor == pytest.approx(1e-10)  # (1e-30 / 1e-10) ** (1 / (5 - 3)), not over the output layer


def test_the_span_starts_at_the_first_non_zero_layer_even_with_a_zero_above_it():
    layers = table({0: [0.0, 1e-12, 0.0, 1e-6, 2.0]})  # layer 3 reads 0 too; layer 2 is the lowest non-zero
    lowest, factor = measures.underflow_span(layers, 0)
    assert lowest == 2
    assert factor == pytest.approx(1e-3)  # (1e-12 / 1e-6) ** (1 / 2)


def test_the_span_is_read_at_the_step_asked_for():
    layers = table({0: [1.0, 1.0, 1.0, 1.0], 4: [0.0, 1e-8, 1e-4, 7.0]})
    assert measures.underflow_span(layers, 0) is None  # nothing underflowed at step 0
    lowest, factor = measures.underflow_span(layers, 4)
    assert (lowest, factor) == (2, pytest.approx(1e-4))
    assert measures.underflow_span(layers) is None  # the default is step 0
    later = table({0: [0.0, 1e-9, 1e-3, 7.0], 1: [1.0, 1.0, 1.0, 1.0]})
    assert measures.underflow_span(later) == (2, pytest.approx(1e-6))  # the untrained net's, not step 1's


@pytest.mark.parametrize(
    "signals",
    [
        [1e-30, 1e-20, 1e-10, 5.0],  # layer 1 did not underflow
        [0.0, 1e-20, 0.0, 5.0],  # the last hidden layer reads 0 as well
        [0.0, 1e-20, math.nan, 5.0],  # the last hidden layer has no number
        [0.0, 0.0, 1e-10, 5.0],  # only the last hidden layer is non-zero: no span to measure
        [0.0, 5.0],  # one hidden layer
        [],
    ],
)
def test_no_span_without_an_underflowed_layer_one_and_two_non_zero_layers(signals):
    layers = table({0: signals}) if signals else table({0: [1.0]}).iloc[0:0]
    assert measures.underflow_span(layers, 0) is None


# ----- the other figures at their edges -----------------------------------------------------------------


def test_hidden_at_of_a_missing_step_is_empty():
    assert measures.hidden_at(table({0: [1.0, 2.0]}), 3).empty


def test_signal_ratio_of_a_missing_step_or_a_single_layer():
    assert math.isnan(measures.signal_ratio(table({0: [1.0, 2.0]}), 5))
    assert measures.signal_ratio(table({0: [0.25]}), 0) == 1.0  # one layer: itself over itself


def test_signal_ratio_needs_a_positive_last_hidden_layer():
    assert measures.signal_ratio(table({0: [0.0, 1e-300, 9.0]}), 0) == 0.0  # a real 0 at layer 1 is a figure
    assert math.isnan(measures.signal_ratio(table({0: [1.0, -0.0, 9.0]}), 0))


def test_per_layer_factor_with_exactly_two_hidden_layers_is_their_ratio():
    assert measures.per_layer_factor(table({0: [3.0, 12.0, 1.0]}), 0) == pytest.approx(0.25)
    assert math.isnan(measures.per_layer_factor(table({0: [1.0, 2.0]}), 3))  # a missing step


def test_mean_update_ratio_by_group():
    a = table({0: [1.0, 1.0], 1: [1.0, 1.0]}, {0: [1e-3, 0.1], 1: [3e-3, math.nan]}).assign(arm="a")
    b = table({0: [1.0, 1.0]}, {0: [0.5, math.inf]}).assign(arm="b")
    means = measures.mean_update_ratio(pd.concat([a, b]), by=("arm",))
    assert means.to_dict() == pytest.approx({("a", 1): 2e-3, ("a", 2): 0.1, ("b", 1): 0.5})


def test_learning_speed_ratio_with_exactly_three_layers():
    layers = table({0: [1.0, 1.0, 1.0]}, {0: [2e-3, 4e-2, 9.0]})  # layers 1, 2 hidden, 3 the output
    assert measures.learning_speed_ratio(layers) == pytest.approx(20.0)


def test_factor_count_is_depth_minus_one_and_never_negative():
    assert measures.factor_count(table({0: [1.0, 1.0, 1.0, 1.0]}), 0) == 2
    assert measures.factor_count(table({0: [1.0]}), 0) == 0
    assert measures.factor_count(table({0: [1.0, 1.0]}), 7) == 0  # a missing step: no factors, not -1


def test_flow_kind_thresholds_are_a_tenth_and_ten():
    assert (measures.VANISHING_BELOW, measures.EXPLODING_ABOVE) == (0.1, 10.0)
    assert measures.flow_kind(math.nextafter(0.1, 0.0)) == "vanishing"
    assert measures.flow_kind(math.nextafter(10.0, math.inf)) == "exploding"
