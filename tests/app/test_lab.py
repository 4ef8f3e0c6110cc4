"""AppTest of the gradient flow lab (pages/lab.py): the charts it draws, the numbers it prints checked
against a direct run of the same config, sidebar -> config -> URL, URL -> widgets, and untrusted URLs.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import fields

import pytest
from streamlit.testing.v1 import AppTest

from explorer import RunConfig, i18n, run
from tests import oracles
from tests.app.helpers import (
    LAB_CHARTS,
    chart_rows,
    fields_of,
    filled_in,
    in_every_section,
    open_page,
    open_section,
    specs,
    warnings_text,
)

t = i18n.translator("en")
LAB = "pages/lab.py"

# Small configs keep each AppTest run well under a second.
SMALL = RunConfig(depth=4, width=16, steps=20, batch_size=64)
NON_DEFAULT = RunConfig(
    depth=5,
    width=8,
    activation="tanh",
    init="xavier",
    init_scale=1.5,
    norm="layer",
    residual=True,
    optimizer="adam",
    lr=0.01,
    steps=30,
    batch_size=32,
    clip_norm=0.5,
    weight_decay=0.001,
    dataset="moons",
    seed=3,
    freeze_first=2,
)
DIVERGING = RunConfig(activation="linear", depth=20, init_scale=4.0, lr=1.0, steps=50, width=16, batch_size=64)
TOO_LARGE = RunConfig(depth=64, width=256, steps=2000, batch_size=1024)


@functools.cache
def direct(config: RunConfig):
    """The oracle: the same config run straight through the compute core, no Streamlit."""
    return run(config)


def chart_with(at: AppTest, field: str) -> tuple[dict, object]:
    matching = [(json.loads(c.proto.spec), c) for c in at.get("vega_lite_chart")]
    matching = [(spec, chart) for spec, chart in matching if field in fields_of(spec)]
    assert matching, f"no chart encodes {field!r}"
    return matching[0]


def metric(at: AppTest, label_key: str) -> str:
    label = t(label_key)
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric labelled {label!r}; have {[m.label for m in at.metric]}"
    return values[0]


def widget_config(at: AppTest) -> RunConfig:
    """The RunConfig the sidebar widgets hold now (clip_norm is off unless its checkbox is ticked)."""
    values = {f.name: at.get_by_key(f"run.{f.name}").value for f in fields(RunConfig)}
    if not at.get_by_key("run.clip_on").value:
        values["clip_norm"] = None
    return RunConfig(**values)


# What each section of the lab's view draws (fields its charts encode): a section's charts are sent only
# while it is open, so a visit sends the first section's two charts, not all eleven.
SECTION_FIELDS = {
    "layers": {"norm", "relative"},
    "training": {"log_ratio", "loss", "accuracy", "signal_norm", "grad_norm"},
    "distributions": {"top", "x"},
    "prediction": {"p", "act_std", "saturation"},
}


def test_each_section_of_the_view_draws_its_charts_from_the_run_and_no_other():
    at = open_page(LAB)
    assert not at.exception, at.exception
    drawn = in_every_section(at, specs)
    assert list(drawn) == list(SECTION_FIELDS)  # the first section is the one a visit opens on
    for name, charts in drawn.items():
        seen = set().union(*(fields_of(spec) for spec in charts))
        assert SECTION_FIELDS[name] <= seen, f"{name}: no chart of {SECTION_FIELDS[name] - seen}"
        elsewhere = set().union(*(fields for other, fields in SECTION_FIELDS.items() if other != name))
        elsewhere -= SECTION_FIELDS[name]
        assert not (seen & elsewhere), f"{name} also drew {seen & elsewhere}"
    assert {name: len(charts) for name, charts in drawn.items()} == LAB_CHARTS
    assert at.get("download_button"), "the run's CSV download is missing"


def test_the_open_section_stays_open_when_a_control_changes():
    at = open_section(open_page(LAB, SMALL.to_query()), "training")
    at.get_by_key("run.depth").set_value(SMALL.depth + 1).run()
    assert not at.exception and at.query_params["depth"] == str(SMALL.depth + 1)
    seen = set().union(*(fields_of(spec) for spec in specs(at)))
    assert SECTION_FIELDS["training"] <= seen and not (seen & SECTION_FIELDS["layers"])


def test_norms_chart_is_a_timer_animation_with_a_scrubber():
    at = open_page(LAB, SMALL.to_query())
    spec, _ = chart_with(at, "norm")
    params = {p["name"]: p for p in spec["params"]}
    timers = [p for p in params.values() if p.get("select", {}).get("on") == "timer"]
    assert timers, f"no timer selection in {list(params)}"
    assert spec["encoding"]["time"]["field"] == "step"
    assert spec["mark"]["type"] == "point", "Vega-Lite 6.5 animates a single point mark; bars/layers drew nothing"
    ranges = [p for p in params.values() if p.get("bind", {}).get("input") == "range"]
    assert ranges, "no slider to stop at a step"
    assert ranges[0]["bind"]["max"] == SMALL.steps  # one frame per recorded step: 0..20
    assert "expr" in spec["title"]["text"], "the title should name the step on screen"
    assert spec["encoding"]["y"]["scale"]["type"] == "log"


def test_charts_carry_the_measured_numbers():
    at = open_page(LAB, SMALL.to_query())
    assert not at.exception, at.exception
    oracle = direct(SMALL).layers
    _, chart = chart_with(at, "norm")
    shipped = chart_rows(chart)
    at_start = shipped[(shipped.step == 0) & (shipped.quantity == t("charts.signal"))].set_index("layer").norm
    expected = oracle[oracle.step == 0].set_index("layer").signal_norm
    assert len(at_start) == SMALL.depth + 1  # hidden layers and the output layer
    assert at_start.to_numpy() == pytest.approx(expected.loc[at_start.index].to_numpy(), rel=1e-6)

    spec, chart = chart_with(open_section(at, "training"), "log_ratio")
    assert spec["mark"]["type"] == "rect" and "x2" in spec["encoding"]
    shipped = chart_rows(chart)
    assert set(shipped.layer) == set(range(1, SMALL.depth + 2))


def test_metrics_match_a_direct_run():
    at = open_page(LAB, SMALL.to_query())
    oracle = direct(SMALL)
    assert metric(at, "lab.metric_signal_ratio") == f"{oracles.signal_ratio(oracle.layers, SMALL.depth):.1e}"
    assert metric(at, "lab.metric_factor") == f"×{oracles.per_layer_factor(oracle.layers, SMALL.depth):.3g}"
    assert metric(at, "lab.metric_accuracy") == f"{oracle.steps.accuracy.iloc[-1]:.0%}"
    # sigmoid with LeCun init: the signal shrinks on the way to layer 1 (sigma' <= 1/4 per layer)
    speed = oracles.learning_speed_ratio(oracle.layers, SMALL.depth)
    assert metric(at, "lab.metric_speed") == f"{speed:.2g}×"
    assert oracles.signal_ratio(oracle.layers, SMALL.depth) < 0.1


def test_sidebar_changes_reach_the_config_the_run_and_the_url():
    at = open_page(LAB, SMALL.to_query())
    before = metric(at, "lab.metric_signal_ratio")

    deeper = SMALL.replace(depth=8)
    at.slider(key="run.depth").set_value(8).run()
    assert not at.exception, at.exception
    assert at.query_params["depth"] == "8"
    assert metric(at, "lab.metric_signal_ratio") == f"{oracles.signal_ratio(direct(deeper).layers, 8):.1e}"
    assert metric(at, "lab.metric_signal_ratio") != before  # four more sigmoid layers: less signal reaches layer 1

    relu = deeper.replace(activation="relu")
    at.selectbox(key="run.activation").set_value("relu").run()
    assert not at.exception, at.exception
    assert at.query_params["activation"] == "relu"
    assert at.query_params["depth"] == "8"
    assert metric(at, "lab.metric_signal_ratio") == f"{oracles.signal_ratio(direct(relu).layers, 8):.1e}"
    assert widget_config(at) == relu


def test_url_round_trips_through_the_widgets():
    query = {**NON_DEFAULT.to_query(), "lang": "en"}
    at = open_page(LAB, query)
    assert not at.exception, at.exception
    assert not at.warning, warnings_text(at)
    assert widget_config(at) == NON_DEFAULT
    assert dict(at.query_params) == query
    assert (
        metric(at, "lab.metric_signal_ratio")
        == f"{oracles.signal_ratio(direct(NON_DEFAULT).layers, NON_DEFAULT.depth):.1e}"
    )


def test_hostile_url_values_warn_by_name_and_fall_back_to_defaults():
    at = open_page(LAB, {"depth": "1e9", "activation": "<script>", "lr": "nan", "lang": "xx"})
    assert not at.exception, at.exception
    text = warnings_text(at)
    for name in ("depth", "activation", "lr", "xx"):
        assert name in text, f"no warning names {name!r}: {text}"
    defaults = RunConfig()
    assert at.query_params["depth"] == str(defaults.depth)
    assert at.query_params["activation"] == defaults.activation
    assert at.query_params["lr"] == repr(defaults.lr)
    assert at.query_params["lang"] == "en"
    assert widget_config(at) == defaults
    assert {name: len(charts) for name, charts in in_every_section(at, specs).items()} == LAB_CHARTS


def test_divergence_is_a_callout_with_the_measured_step_and_the_charts_stay():
    oracle = direct(DIVERGING)
    assert oracle.diverged_at is not None, "the config meant to diverge did not: pick a harsher one"
    at = open_page(LAB, DIVERGING.to_query())
    assert not at.exception, at.exception
    callouts = [filled_in("ui.diverged", e.value) for e in at.error]
    callouts = [values for values in callouts if values is not None]
    assert callouts, f"no divergence callout among {[e.value for e in at.error]}"
    assert callouts[0]["step"] == str(oracle.diverged_at)  # the step the direct run overflowed at
    if "recorded" in callouts[0]:
        assert callouts[0]["recorded"] == str(int(oracle.steps.step.max()))
    drawn = in_every_section(at, specs)  # what was recorded until then, never a blank page
    assert sum(len(charts) for charts in drawn.values()) >= 9 and all(drawn.values())


def test_a_run_over_the_compute_bound_is_refused_before_it_starts():
    assert TOO_LARGE.bound_problem() is not None
    at = open_page(LAB, TOO_LARGE.to_query())
    assert not at.exception, at.exception
    assert any(filled_in("ui.too_large", e.value) is not None for e in at.error), [e.value for e in at.error]
    assert not at.get("vega_lite_chart")
    assert not at.metric


def test_theory_overlay_states_the_prediction_beside_the_measurement():
    from explorer.engine import theory

    config = RunConfig(depth=12, width=64, steps=10, batch_size=128)
    at = open_page(LAB, config.to_query())
    assert not at.exception
    prediction = theory.predict_signal(config)
    found = theory.agreement(direct(config).layers, prediction)
    text = next(m.value for m in at.markdown if m.value.startswith("Theory:"))
    assert f"×{found.predicted_factor:.3g}" in text and f"×{found.measured_factor:.3g}" in text
    assert any("predicted" in json.dumps(spec) for spec in specs(at))  # the overlay chart is drawn


def test_no_theory_for_batch_norm_says_why():
    at = open_page(LAB, RunConfig(depth=6, width=16, steps=10, batch_size=32, norm="batch").to_query())
    assert not at.exception
    assert any("BatchNorm" in info.value for info in at.info)


@pytest.mark.parametrize(
    "config",
    [
        RunConfig(activation="relu", init="he", init_scale=0.9, depth=60, steps=2),  # factor 0.86, ratio 1.4e-4
        RunConfig(activation="relu", init="lecun", init_scale=1.2, depth=40, steps=2),  # factor 0.83, ratio 8e-4
    ],
)
def test_a_mild_factor_over_many_layers_reads_vanishing_with_both_numbers(config):
    at = open_page(LAB, config.to_query())
    assert not at.exception, at.exception
    oracle = direct(config).layers
    said = [v for v in (filled_in("lab.verdict_vanishing", m.value) for m in at.markdown) if v is not None]
    assert said, "no vanishing verdict: " + " | ".join(m.value[:80] for m in at.markdown)
    assert said[0]["factors"] == str(config.depth - 1)  # layer 1 to the last hidden layer: depth - 1 factors
    assert said[0]["factor"] == f"{oracles.per_layer_factor(oracle, config.depth):.3g}"
    assert said[0]["ratio"] == f"{oracles.signal_ratio(oracle, config.depth):.1e}"
    assert not any(filled_in("lab.verdict_stable", m.value) for m in at.markdown)


def shown_ratio(ratio: float) -> str:
    """How the verdict prints a ratio: two significant digits between 0.01 and 1000, else scientific."""
    return f"{ratio:.2g}" if 1e-2 <= ratio < 1e3 else f"{ratio:.1e}"


# Each threshold of the lab's verdict (layer 1 / last hidden layer: below 0.1 vanishing, above 10 exploding)
# with a measured run just inside and one just outside it (ReLU, He init scaled by 0.9 or 1.15: ratios
# 0.14 | 0.071 around 0.1, and 7.0 | 13 around 10).
BOUNDARY = [
    (RunConfig(activation="relu", init="he", init_scale=0.9, depth=15, steps=2), "stable"),
    (RunConfig(activation="relu", init="he", init_scale=0.9, depth=20, steps=2), "vanishing"),
    (RunConfig(activation="relu", init="he", init_scale=1.15, depth=20, steps=2), "stable"),
    (RunConfig(activation="relu", init="he", init_scale=1.15, depth=25, steps=2), "exploding"),
]


@pytest.mark.parametrize(("config", "kind"), BOUNDARY, ids=[f"{c.init_scale}-{c.depth}-{k}" for c, k in BOUNDARY])
def test_the_verdict_on_either_side_of_each_threshold(config, kind):
    oracle = direct(config).layers
    ratio = oracles.signal_ratio(oracle, config.depth)
    expected = "vanishing" if ratio < 0.1 else "exploding" if ratio > 10 else "stable"
    assert expected == kind, f"the run meant to read {kind} measures {ratio:.3g}: pick another"
    at = open_page(LAB, config.to_query())
    assert not at.exception, at.exception
    verdicts = {}
    for name in ("vanishing", "stable", "exploding"):
        found = [v for v in (filled_in(f"lab.verdict_{name}", m.value) for m in at.markdown) if v is not None]
        if found:
            verdicts[name] = found[0]
    assert list(verdicts) == [kind], f"the page says {list(verdicts)} for a ratio of {ratio:.3g}"
    said = verdicts[kind]
    assert said["ratio"] == shown_ratio(ratio)
    assert said["factor"] == f"{oracles.per_layer_factor(oracle, config.depth):.3g}"
    assert said["factors"] == str(config.depth - 1)
    if "decades" in said:
        assert said["decades"] == f"{abs(math.log10(ratio)):.1f}"
    assert metric(at, "lab.metric_signal_ratio") == f"{ratio:.1e}"
