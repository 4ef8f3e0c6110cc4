"""Activation cost: every activation is timed with positive, finite times (speed is never asserted here:
timing is noisy; python -m benchmarks is the place for it), the config's URL rules, the charts."""

import functools
import math

import numpy as np

from explorer import i18n
from explorer.charts import cost as charts
from explorer.lessons.cost import COLUMNS, TIMED_ACTIVATIONS, CostConfig, measure_costs, measure_elu_by_sign, setting

t = i18n.translator("en")


@functools.cache
def small_costs():
    return measure_costs(n_elements=4096)


def test_all_seven_activations_are_timed_with_positive_times():
    costs = small_costs()
    assert list(costs.columns) == COLUMNS
    assert costs.activation.tolist() == list(TIMED_ACTIVATIONS)
    assert set(TIMED_ACTIVATIONS) == {"relu", "leaky_relu", "elu", "gelu", "silu", "sigmoid", "tanh"}
    times = costs[["forward_us", "backward_us", "total_us"]].to_numpy()
    assert np.isfinite(times).all() and (times > 0).all()
    np.testing.assert_allclose(costs.total_us, costs.forward_us + costs.backward_us)
    relu = costs.set_index("activation").loc["relu"]
    assert relu.forward_rel == relu.backward_rel == relu.total_rel == 1.0
    np.testing.assert_allclose(costs.forward_rel, costs.forward_us / relu.forward_us)

    elu = measure_elu_by_sign(n_elements=4096)
    assert elu.inputs.tolist() == ["positive", "negative"] and (elu.forward_us > 0).all()
    assert setting()["threads"] >= 1


def test_config_rules():
    assert CostConfig().n_elements == 2**20
    assert CostConfig.from_query(CostConfig(log2_size=14).to_query()) == (CostConfig(log2_size=14), [])
    parsed, problems = CostConfig.from_query({"log2_size": "99"})
    assert parsed == CostConfig() and len(problems) == 1
    parsed, problems = CostConfig.from_query({"log2_size": "'; drop"})
    assert parsed == CostConfig() and len(problems) == 1


def test_charts_from_a_measured_frame():
    costs = small_costs()
    times = charts.times(costs, t).to_dict()
    assert times["encoding"]["x"]["scale"]["type"] == "log"
    assert len(times["datasets"][times["data"]["name"]]) == 2 * len(TIMED_ACTIVATIONS)
    relative = charts.relative(costs, t).to_dict()
    bars = relative["layer"][0]
    assert bars["encoding"]["x"]["scale"]["type"] == "log" and bars["encoding"]["x2"]["datum"] == 1
    domain = bars["encoding"]["x"]["scale"]["domain"]
    assert domain[0] <= costs.total_rel.min() and domain[1] >= costs.total_rel.max() and domain[0] < 1 < domain[1]
    assert charts.times(costs.iloc[:0], t).to_dict()["mark"]["type"] == "text"
    sign = charts.elu_by_sign(measure_elu_by_sign(n_elements=4096), t).to_dict()
    assert sign["mark"]["type"] == "bar"
    assert not math.isnan(costs.total_rel.max())
