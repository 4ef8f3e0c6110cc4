"""The shallow-net comparison: frozen and unfrozen loss curves coincide when the gradient vanishes and
separate when it flows; its config's URL form; its charts."""

import functools
import math

import numpy as np
import pandas as pd
import pytest

from explorer import RunConfig, i18n, run
from explorer.charts.shallow import layer_speeds, loss_overlay
from explorer.lessons.shallow import FLOWING, OVERLAP_NATS, VANISHING, ShallowConfig, compare, gap

t = i18n.translator("en")


@functools.cache
def compared(config: ShallowConfig):
    return compare(config)


def test_deep_sigmoid_trains_exactly_like_its_last_layers():
    result = compared(VANISHING)
    assert result.overlap
    assert result.max_gap < OVERLAP_NATS / 10  # measured: ~4e-5 nats
    assert result.signal_ratio < 1e-4  # because almost nothing reaches layer 1 (measured ~1e-6)
    speeds = result.speeds.set_index("layer").update_ratio
    assert speeds[1] < speeds[VANISHING.depth] / 1e4  # and the first layers barely move in the deep net


def test_relu_he_curves_separate():
    result = compared(FLOWING)
    assert not result.overlap
    assert result.max_gap > 5 * OVERLAP_NATS  # measured: ~0.3 nats
    assert result.loss_deep < result.loss_frozen  # training the first layers helps


def test_residual_net_curves_separate():
    result = compared(ShallowConfig(activation="tanh", residual=True, lr=0.05, steps=150))
    assert not result.overlap


def test_adam_undoes_the_overlap_of_the_deep_sigmoid_net():
    # Adam normalises each step by the gradient's own size: the tiny gradients of layers 1..k still move them
    result = compared(VANISHING.replace(optimizer="adam", lr=0.01, steps=200))
    assert not result.overlap


def test_the_two_runs_share_initial_weights_and_batches():
    result = compared(VANISHING)
    curves = result.curves.set_index(["net", "step"]).loss
    assert curves["deep", 0] == curves["frozen", 0]
    # the frozen run is the engine's own run with freeze_first = k
    frozen = run(RunConfig(**{**VANISHING.run_config(0).__dict__, "freeze_first": VANISHING.frozen})).steps
    np.testing.assert_array_equal(result.curves[result.curves.net == "frozen"].loss.to_numpy(), frozen.loss.to_numpy())


def test_gap_definition():
    deep, frozen = pd.Series([1.0, 0.5, 0.5]), pd.Series([1.0, 0.7, 0.4])
    mean_gap, max_gap = gap(deep, frozen)
    assert max_gap == pytest.approx(0.2)
    assert mean_gap == pytest.approx((0.0 + 0.2 + 0.1) / 3)


def test_config_round_trips_through_the_url():
    config = ShallowConfig(depth=6, frozen=4, activation="tanh", init="xavier", residual=True, lr=0.02, seed=5)
    parsed, problems = ShallowConfig.from_query(config.to_query())
    assert parsed == config and problems == []


def test_hostile_query_never_raises():
    parsed, problems = ShallowConfig.from_query(
        {"depth": "abc", "frozen": "99", "lr": "inf", "activation": "<script>", "steps": "-1", "width": "1e9"}
    )
    assert parsed.depth == ShallowConfig.depth and parsed.frozen <= parsed.depth
    for name in ("depth", "frozen", "lr", "activation", "steps", "width"):
        assert any(name in p for p in problems), (name, problems)
    parsed, problems = ShallowConfig.from_query({"depth": "3", "frozen": "9"})
    assert (parsed.depth, parsed.frozen) == (3, 3) and any("frozen" in p for p in problems)


def test_invalid_config_is_refused():
    with pytest.raises(ValueError, match="frozen"):
        ShallowConfig(depth=3, frozen=4)
    with pytest.raises(ValueError, match="depth"):
        ShallowConfig(depth=0)


def test_loss_overlay_draws_both_curves():
    result = compared(VANISHING)
    spec = loss_overlay(result.curves, VANISHING.frozen, t, title="x").to_dict()
    rows = [row for rows in spec["datasets"].values() for row in rows]
    labels = {row["label"] for row in rows}
    assert labels == {t("shallow.deep_label"), t("shallow.frozen_label", k=VANISHING.frozen)}
    assert len(rows) == len(result.curves)
    assert spec["encoding"]["strokeDash"]["field"] == "label"


def test_layer_speeds_marks_the_frozen_layers_and_leaves_out_the_output():
    result = compared(VANISHING)
    spec = layer_speeds(result.speeds, VANISHING.frozen, t).to_dict()
    rows = [row for rows in spec["datasets"].values() for row in rows]
    assert sorted(row["layer"] for row in rows) == list(range(1, VANISHING.depth + 1))
    frozen = {row["layer"] for row in rows if row["group"] == t("shallow.group_frozen", k=VANISHING.frozen)}
    assert frozen == set(range(1, VANISHING.frozen + 1))
    assert spec["encoding"]["y"]["scale"]["type"] == "log"


def test_charts_say_why_when_there_is_nothing_to_draw():
    empty = pd.DataFrame(columns=["step", "loss", "accuracy", "net"])
    assert loss_overlay(empty, 2, t, title="x").to_dict()["mark"]["type"] == "text"
    no_speeds = pd.DataFrame({"layer": [1, 2, 3], "update_ratio": [math.nan] * 3})
    assert layer_speeds(no_speeds, 1, t).to_dict()["mark"]["type"] == "text"


def test_a_diverged_run_gets_no_overlap_verdict():
    result = compare(ShallowConfig(depth=20, frozen=5, activation="linear", init_scale=4.0, lr=1.0, steps=50, width=16))
    assert result.diverged and not result.overlap
