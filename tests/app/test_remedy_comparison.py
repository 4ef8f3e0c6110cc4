"""AppTest of the remedy comparison page: the verdict quotes the two runs, the remedy reaches the URL."""

from streamlit.testing.v1 import AppTest

from explorer import RunConfig, i18n, run
from explorer.lessons.remedies import apply_remedy
from tests import oracles
from tests.app.helpers import open_page as open_any_page

t = i18n.translator("en")
SMALL = RunConfig(depth=12, width=16, steps=20, batch_size=32)


def open_page(query: dict[str, str]) -> AppTest:
    return open_any_page("pages/remedy_comparison.py", query)


def verdict(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**"))


def test_verdict_quotes_both_runs_and_remedy_is_in_the_url():
    at = open_page({**SMALL.to_query(), "remedy": "residual"})
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 5
    base, remedied = run(SMALL), run(apply_remedy(SMALL, "residual"))
    text = verdict(at)
    assert f"{oracles.signal_ratio(base.layers, SMALL.depth):.1e}" in text
    assert f"{oracles.signal_ratio(remedied.layers, SMALL.depth):.1e}" in text
    hidden = {layer: value for layer, value in oracles.at_step(base.layers, 0, "signal_norm").items()}
    assert f"{hidden[1]:.1e}" in text  # the signal reaching layer 1 without the remedy
    assert at.query_params["remedy"] == "residual" and at.query_params["depth"] == "12"


def test_changing_the_remedy_reruns_the_comparison():
    at = open_page({**SMALL.to_query(), "remedy": "residual"})
    at.sidebar.selectbox(key="compare.remedy").set_value("batch_norm").run()
    assert not at.exception
    assert at.query_params["remedy"] == "batch_norm"
    remedied = run(apply_remedy(SMALL, "batch_norm"))
    assert f"{remedied.steps.accuracy.iloc[-1]:.0%}" in verdict(at)


def test_remedy_already_on_says_so():
    at = open_page({**SMALL.replace(residual=True).to_query(), "remedy": "residual"})
    assert not at.exception
    assert [info.value for info in at.info] == [t("compare.unchanged")]


def test_a_diverging_run_is_named_with_its_measured_step():
    blowup = RunConfig(activation="linear", depth=20, init_scale=4.0, lr=1.0, steps=50, width=16, batch_size=64)
    base, remedied = run(blowup), run(apply_remedy(blowup, "weight_decay"))
    assert base.diverged_at is not None and remedied.diverged_at is not None, "pick a config that overflows"
    at = open_page({**blowup.to_query(), "remedy": "weight_decay"})
    assert not at.exception, at.exception
    errors = [error.value for error in at.error]
    assert t("compare.diverged", run=t("compare.without"), step=base.diverged_at) in errors
    with_remedy = t("compare.with", remedy=t("compare.remedy_weight_decay"))
    assert t("compare.diverged", run=with_remedy, step=remedied.diverged_at) in errors


def test_no_divergence_message_when_both_runs_finish():
    at = open_page({**SMALL.to_query(), "remedy": "residual"})
    assert not [error.value for error in at.error if "diverged" in error.value]


def test_hostile_remedy_warns_and_falls_back():
    at = open_page({**SMALL.to_query(), "remedy": "'; drop table"})
    assert not at.exception
    assert any("remedy" in w.value for w in at.warning)
    assert at.sidebar.selectbox(key="compare.remedy").value == "relu"
