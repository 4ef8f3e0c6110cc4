"""Chart builders of the lab and the comparison page, through their Vega-Lite specs."""

import re

import altair as alt
import numpy as np
import pandas as pd
import pytest

from explorer import i18n
from explorer.charts import common
from explorer.charts import compare as compare_charts
from explorer.charts import lab as charts
from explorer.lessons.remedies import tidy_pair

t = i18n.translator("en")


def spec(chart):
    return chart.to_dict()


def test_animated_norms_spec_plays_scrubs_and_titles_the_step(measured):
    result = measured(depth=4, width=16, steps=20, batch_size=64)
    chart = spec(charts.animated_layer_norms(result.layers, t))
    assert chart["mark"]["type"] == "point"  # the one mark type the frontend animates
    assert chart["encoding"]["time"]["field"] == "step"
    params = {p["name"]: p for p in chart["params"]}
    assert params["play"]["select"]["on"] == "timer"
    assert params["picked"]["bind"]["input"] == "range" and params["picked"]["bind"]["max"] == 20
    assert params["playing"]["bind"]["input"] == "checkbox"
    assert "anim_value" in chart["title"]["text"]["expr"]
    # fixed log axis covering every frame's values
    low, high = chart["encoding"]["y"]["scale"]["domain"]
    values = pd.concat([result.layers.signal_norm, result.layers.grad_norm])
    assert low <= values.min() and high >= values.max()
    data = chart["datasets"][chart["data"]["name"]]
    assert len(data) == 2 * len(result.layers)  # every (step, layer) for both quantities


@pytest.mark.parametrize(("steps", "step"), [(list(range(0, 301, 10)), 10), (list(range(0, 1961, 70)) + [2000], 1)])
def test_norms_slider_ends_at_the_last_step_and_reaches_every_frame(steps, step):
    """The slider shows steps: it ends at the run's last step (not past it when the last frame is a shorter
    stride away), and each position shows the frame at or before it."""
    layers = pd.DataFrame({"step": steps, "layer": 1, "signal_norm": 1.0, "grad_norm": 1.0})
    chart = spec(charts.animated_layer_norms(layers, t))
    bind = {p["name"]: p for p in chart["params"]}["picked"]["bind"]
    assert (bind["min"], bind["max"], bind["step"]) == (0, steps[-1], step)
    expr = next(f for f in chart["transform"] if "picked" in str(f))
    frame_expr = re.search(r"\(picked >= (\d+) \? (\d+) : min\(floor\(picked / (\d+)\), (\d+)\)\)", str(expr))
    last_step, last_frame, stride, cap = (int(g) for g in frame_expr.groups())

    def frame(picked):
        return last_frame if picked >= last_step else min(picked // stride, cap)

    positions = range(0, steps[-1] + 1, bind["step"])
    assert [steps[frame(p)] for p in positions] == [max(s for s in steps if s <= p) for p in positions]
    assert {frame(p) for p in positions} == set(range(len(steps)))


def test_norms_drop_what_a_log_axis_cannot_draw():
    layers = pd.DataFrame({"step": [0, 0], "layer": [1, 2], "signal_norm": [0.0, 1e-3], "grad_norm": [np.nan, 2e-3]})
    tidy = charts.norms_by_layer(layers, t)
    assert sorted(tidy.norm) == [1e-3, 2e-3]


def test_charts_of_an_empty_run_say_why(measured):
    empty = measured(depth=64, width=256, activation="linear", init_scale=8.0, steps=5, batch_size=8).layers
    assert empty.empty
    for chart in (
        charts.animated_layer_norms(empty, t),
        charts.update_ratio_heatmap(empty, t),
        charts.layer_history(empty, "signal_norm", t),
    ):
        assert spec(chart)["mark"]["type"] == "text"


def test_heatmap_log_colour_and_frozen_cells_blank(measured):
    result = measured(depth=4, width=16, steps=20, batch_size=64, freeze_first=1)
    chart = spec(charts.update_ratio_heatmap(result.layers, t))
    data = pd.DataFrame(chart["datasets"][chart["data"]["name"]])
    assert data[data.layer == 1].log_ratio.isna().all()  # frozen: ||dW|| = 0 has no log
    applied = data[data.layer > 1]
    np.testing.assert_allclose(10**applied.log_ratio, applied.update_ratio, rtol=1e-9)


def test_one_layer_colour_scale_everywhere(measured):
    result = measured(depth=4, width=16, steps=20, batch_size=64)
    chart = spec(charts.layer_history(result.layers, "signal_norm", t))
    scale = chart["encoding"]["color"]["scale"]
    assert scale == {"scheme": common.LAYER_SCHEME, "domain": [1, 5]}


def test_tooltips_show_exact_values(measured):
    result = measured(depth=4, width=16, steps=20, batch_size=64)
    for chart in (
        charts.animated_layer_norms(result.layers, t),
        charts.layer_history(result.layers, "grad_norm", t),
        charts.update_ratio_heatmap(result.layers, t),
    ):
        formats = [tip.get("format") for tip in spec(chart)["encoding"]["tooltip"]]
        assert common.EXACT in formats


def test_decision_boundary_layers_surface_and_points(measured):
    result = measured(depth=4, width=16, steps=20, batch_size=64, boundary=True)
    chart = spec(charts.decision_boundary(result.boundary, result.data, t))
    assert [layer["mark"]["type"] for layer in chart["layer"]] == ["rect", "circle"]


def test_log_domain_spans_at_least_a_decade():
    low, high = common.log_domain(pd.Series([3.0, 3.0]))
    assert high / low >= 10 - 1e-9 and low < 3 < high
    assert common.log_domain(pd.Series([0.0, np.nan])) == [1e-3, 1.0]


def test_comparison_charts_overlay_both_runs(measured):
    base = measured(depth=4, width=16, steps=20, batch_size=64)
    other = measured(depth=4, width=16, steps=20, batch_size=64, residual=True)
    layers, steps = tidy_pair(base, other, ("a", "b"))
    for chart in (
        compare_charts.signal_by_layer(layers, ["a", "b"], 0, t),
        compare_charts.curves(steps, ["a", "b"], "loss", t),
        compare_charts.mean_update_ratio(layers, ["a", "b"], t),
    ):
        d = spec(chart)
        assert d["encoding"]["color"]["scale"]["domain"] == ["a", "b"]
        assert set(pd.DataFrame(d["datasets"][d["data"]["name"]]).run) == {"a", "b"}
    assert isinstance(compare_charts.signal_by_layer(layers, ["a", "b"], "last", t), alt.Chart)
