"""AppTest of the RNN vs LSTM page (pages/rnn_vs_lstm.py): it runs cleanly, draws its charts, prints the
numbers a direct run of the same configs gives, carries sidebar changes to the output and the URL, and turns
hostile or oversized URL values into a message instead of a traceback."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from explorer.lessons.recurrent import SequenceConfig, canonical, reach, run_sequence
from tests.app.helpers import assert_clean, chart_rows, fields_of, specs, text_of
from tests.app.helpers import open_page as open_any_page

PAGE = "pages/rnn_vs_lstm.py"
TINY = SequenceConfig(seq_len=8, hidden=8, steps=12)  # each of the page's four runs takes well under a second


def open_page(query: dict[str, str] | None = None) -> AppTest:
    return open_any_page(PAGE, query if query is not None else TINY.to_query(), timeout=90)


@pytest.fixture(scope="module")
def tiny_page() -> AppTest:
    return open_page()


def test_page_runs_and_draws_every_chart(tiny_page):
    at = tiny_page
    assert_clean(at)
    assert at.title[0].value == "RNN vs LSTM through time"
    found = [fields_of(spec) for spec in specs(at)]
    assert sum("log_grad" in f for f in found) == 2  # the RNN's and the LSTM's heatmaps
    assert sum("sigma_max" in f for f in found) == 1
    assert sum("accuracy" in f for f in found) == 1
    profiles = [spec for spec in specs(at) if "grad_norm" in fields_of(spec) and "log_grad" not in fields_of(spec)]
    assert len(profiles) == 2  # at the chosen step, and by forget bias at step 0
    assert all(spec["encoding"]["y"]["scale"]["type"] == "log" for spec in profiles)


def test_printed_numbers_are_those_of_a_direct_run(tiny_page):
    rnn = run_sequence(canonical(TINY))
    lstm = run_sequence(TINY.replace(cell="lstm"))
    metrics = {m.label: m.value for m in tiny_page.metric}
    assert metrics["RNN: gradient at t = 1"] == f"{reach(rnn):.1e}"
    assert metrics["LSTM b = 1: gradient at t = 1"] == f"{reach(lstm):.1e}"
    assert metrics["RNN: final accuracy"] == f"{rnn.steps.accuracy.iloc[-1]:.0%}"
    heatmaps = [c for c in tiny_page.get("vega_lite_chart") if "log_grad" in fields_of(json.loads(c.proto.spec))]
    shipped = chart_rows(heatmaps[0]).sort_values(["step", "t"]).grad_norm.to_numpy()
    assert shipped == pytest.approx(rnn.time_grads.sort_values(["step", "t"]).grad_norm.to_numpy(), rel=1e-6)


def test_sidebar_change_reaches_the_output_and_the_url():
    at = open_page()
    at.slider(key="rnn.seq_len").set_value(11).run()
    assert_clean(at)
    assert "**11**" in text_of(at)
    heatmaps = [c for c in at.get("vega_lite_chart") if "log_grad" in fields_of(json.loads(c.proto.spec))]
    assert int(chart_rows(heatmaps[0]).t.max()) == 11
    assert at.query_params["seq_len"] == ["11"] or at.query_params["seq_len"] == "11"
    at.number_input(key="rnn.forget_bias").set_value(2.0).run()
    assert_clean(at)
    assert any(m.label == "LSTM b = 2: gradient at t = 1" for m in at.metric)
    assert "LSTM, forget bias 2" in json.dumps(specs(at))


def test_step_slider_moves_the_profile():
    at = open_page()
    at.select_slider(key="rnn_view.step").set_value(TINY.steps).run()
    assert_clean(at)
    assert f"**Measured at step {TINY.steps}:**" in text_of(at)


def test_url_values_reach_the_widgets():
    config = SequenceConfig(seq_len=9, hidden=6, recurrent_scale=1.5, forget_bias=-1.0, lr=0.02, steps=10, seed=3)
    at = open_page(config.to_query())
    assert_clean(at)
    assert at.slider(key="rnn.seq_len").value == 9
    assert at.number_input(key="rnn.recurrent_scale").value == 1.5
    assert at.number_input(key="rnn.seed").value == 3
    assert not at.warning


def test_hostile_url_values_give_a_warning_and_defaults():
    at = open_page({"seq_len": "-5", "hidden": "lots", "lr": "nan", "steps": "12"})
    assert_clean(at)
    warning = "\n".join(str(w.value) for w in at.warning)
    assert "seq_len" in warning and "hidden" in warning and "lr" in warning
    assert at.slider(key="rnn.seq_len").value == SequenceConfig().seq_len
    assert at.slider(key="rnn.steps").value == 12


def test_oversized_run_is_refused_with_a_message():
    at = open_page(SequenceConfig(seq_len=200, hidden=64, steps=1000).to_query())
    assert not at.exception
    assert at.error and not at.get("vega_lite_chart")


def test_overflowing_gradients_are_reported_not_raised():
    """Recurrent weights 4/√n over 200 steps: ‖∂L/∂h_1‖ overflows float32, and the page says so."""
    exploding = SequenceConfig(seq_len=200, hidden=32, recurrent_scale=4.0, lr=1.0, steps=4)
    assert reach(run_sequence(exploding)) == float("inf")
    at = open_page(exploding.to_query())
    assert_clean(at)
    assert "overflowed float32" in text_of(at)
    assert {m.label: m.value for m in at.metric}["RNN: gradient at t = 1"] == "∞"
