"""The shallow-net comparison: frozen and unfrozen loss curves coincide when the gradient vanishes and
separate when it flows; its config's URL form; its charts."""

import dataclasses
import functools
import math

import numpy as np
import pandas as pd
import pytest

from explorer import i18n, run
from explorer.charts.shallow import layer_speeds, loss_overlay
from explorer.lessons import shallow
from explorer.lessons.shallow import DEFAULTS, FLOWING, OVERLAP_NATS, VANISHING, compare_frozen, gap

t = i18n.translator("en")


compared = functools.cache(compare_frozen)  # runs are deterministic: each config runs once


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
    result = compared(DEFAULTS.replace(activation="tanh", residual=True, lr=0.05, steps=150))
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
    frozen = run(VANISHING).steps
    np.testing.assert_array_equal(result.curves[result.curves.net == "frozen"].loss.to_numpy(), frozen.loss.to_numpy())


def test_gap_definition():
    deep, frozen = pd.Series([1.0, 0.5, 0.5]), pd.Series([1.0, 0.7, 0.4])
    mean_gap, max_gap = gap(deep, frozen)
    assert max_gap == pytest.approx(0.2)
    assert mean_gap == pytest.approx((0.0 + 0.2 + 0.1) / 3)


def test_config_round_trips_through_the_url():
    config = DEFAULTS.replace(depth=6, freeze_first=4, activation="tanh", init="xavier", residual=True, lr=0.02, seed=5)
    parsed, problems = shallow.from_query(config.to_query())
    assert parsed == config and problems == []


def test_links_people_hold_keep_their_view():
    # `frozen` was the page's name for freeze_first; a link without settings gives the page's own defaults
    old = {"depth": "6", "frozen": "4", "width": "32", "lr": "0.5", "dataset": "moons", "batch_size": "128"}
    assert shallow.from_query(old) == (DEFAULTS.replace(depth=6, freeze_first=4), [])
    assert shallow.from_query({}) == (DEFAULTS, [])
    assert (DEFAULTS.depth, DEFAULTS.freeze_first, DEFAULTS.width, DEFAULTS.lr) == (10, 7, 32, 0.5)
    assert (DEFAULTS.dataset, DEFAULTS.batch_size, DEFAULTS.steps, DEFAULTS.activation) == (
        "moons",
        128,
        300,
        "sigmoid",
    )


def test_hostile_query_never_raises():
    parsed, problems = shallow.from_query(
        {"depth": "abc", "frozen": "99", "lr": "inf", "activation": "<script>", "steps": "-1", "width": "1e9"}
    )
    assert parsed.depth == DEFAULTS.depth and parsed.freeze_first <= parsed.depth
    for name in ("depth", "frozen", "lr", "activation", "steps", "width"):
        assert any(name in p for p in problems), (name, problems)
    parsed, problems = shallow.from_query({"depth": "3", "frozen": "9"})
    assert (parsed.depth, parsed.freeze_first) == (3, 3) and any("frozen" in p for p in problems)
    # the page's own rules: at least one frozen layer, two layers, one step
    for raw in ({"frozen": "0"}, {"depth": "1"}, {"steps": "0"}):
        parsed, problems = shallow.from_query(raw)
        assert parsed == DEFAULTS and len(problems) == 1, raw


def test_invalid_config_is_refused():
    with pytest.raises(ValueError, match="freeze_first"):
        DEFAULTS.replace(depth=3, freeze_first=4)
    with pytest.raises(ValueError, match="depth"):
        DEFAULTS.replace(depth=0)


def test_loss_overlay_draws_both_curves():
    result = compared(VANISHING)
    spec = loss_overlay(result.curves, VANISHING.freeze_first, t, title="x").to_dict()
    rows = [row for rows in spec["datasets"].values() for row in rows]
    labels = {row["label"] for row in rows}
    assert labels == {t("shallow.deep_label"), t("shallow.frozen_label", k=VANISHING.freeze_first)}
    assert len(rows) == len(result.curves)
    assert spec["encoding"]["strokeDash"]["field"] == "label"


def test_layer_speeds_marks_the_frozen_layers_and_leaves_out_the_output():
    result = compared(VANISHING)
    spec = layer_speeds(result.speeds, VANISHING.freeze_first, t).to_dict()
    rows = [row for rows in spec["datasets"].values() for row in rows]
    assert sorted(row["layer"] for row in rows) == list(range(1, VANISHING.depth + 1))
    frozen = {row["layer"] for row in rows if row["group"] == t("shallow.group_frozen", k=VANISHING.freeze_first)}
    assert frozen == set(range(1, VANISHING.freeze_first + 1))
    assert spec["encoding"]["y"]["scale"]["type"] == "log"


def test_charts_say_why_when_there_is_nothing_to_draw():
    empty = pd.DataFrame(columns=["step", "loss", "accuracy", "net"])
    assert loss_overlay(empty, 2, t, title="x").to_dict()["mark"]["type"] == "text"
    no_speeds = pd.DataFrame({"layer": [1, 2, 3], "update_ratio": [math.nan] * 3})
    assert layer_speeds(no_speeds, 1, t).to_dict()["mark"]["type"] == "text"


def test_a_diverged_run_gets_no_overlap_verdict():
    result = compare_frozen(
        DEFAULTS.replace(depth=20, freeze_first=5, activation="linear", init_scale=4.0, lr=1.0, steps=50, width=16)
    )
    assert result.diverged and not result.overlap


# ----- the verdict: pure, from the measured comparison --------------------------------------------------


def test_verdict_overlap_and_no_learning_note():
    said = shallow.verdict(compared(VANISHING))
    assert said[0].key == "shallow.verdict_overlap"
    assert said[0].values["k"] == 7 and said[0].values["rest"] == 3
    assert said[0].values["max_gap"] == compared(VANISHING).max_gap
    # the note on a 50/50 guess appears exactly when both final losses are above 0.97 ln 2
    result = compared(VANISHING)
    expected = max(result.loss_deep, result.loss_frozen) > 0.97 * math.log(2)
    assert ("shallow.no_learning" in [s.key for s in said]) == expected


def test_verdict_separate_and_adam_note():
    said = shallow.verdict(compared(VANISHING.replace(optimizer="adam", lr=0.01, steps=200)))
    assert [s.key for s in said][0] == "shallow.verdict_separate"
    assert "shallow.adam_note" in [s.key for s in said]
    assert [s.key for s in shallow.verdict(compared(FLOWING))] == ["shallow.verdict_separate"]


def test_verdict_near_the_overlap_threshold():
    # the same comparison just below and just above OVERLAP_NATS: the verdict follows max_gap
    base = compared(FLOWING)
    below = dataclasses.replace(base, max_gap=OVERLAP_NATS * 0.99, overlap=True)
    above = dataclasses.replace(base, max_gap=OVERLAP_NATS * 1.01, overlap=False)
    assert shallow.verdict(below)[0].key == "shallow.verdict_overlap"
    assert shallow.verdict(above)[0].key == "shallow.verdict_separate"


def test_verdict_refuses_a_cut_short_or_empty_comparison():
    base = compared(FLOWING)
    assert [s.key for s in shallow.verdict(dataclasses.replace(base, diverged=True))] == ["shallow.diverged"]
    empty = dataclasses.replace(base, loss_deep=math.nan)
    assert [s.key for s in shallow.verdict(empty)] == ["shallow.nothing_recorded"]


def test_a_view_sums_the_compare_and_its_references():
    # the reader's pair plus the reference pairs that differ from it
    assert shallow.view_seconds(VANISHING) == pytest.approx(2 * shallow.estimated_seconds(VANISHING))
    mine = VANISHING.replace(depth=12)
    assert shallow.view_seconds(mine) == pytest.approx(
        sum(shallow.estimated_seconds(c) for c in (mine, VANISHING, FLOWING))
    )
