"""AppTest of the remedy comparison page: the verdict quotes the two runs, the remedy reaches the URL."""

from streamlit.testing.v1 import AppTest

from explorer import RunConfig, run
from explorer.engine import measures
from explorer.lessons.remedies import apply_remedy
from tests.app.helpers import open_page as open_any_page

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
    assert f"{measures.signal_ratio(base.layers):.1e}" in text
    assert f"{measures.signal_ratio(remedied.layers):.1e}" in text
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
    assert len(at.info) == 1


def test_hostile_remedy_warns_and_falls_back():
    at = open_page({**SMALL.to_query(), "remedy": "'; drop table"})
    assert not at.exception
    assert any("remedy" in w.value for w in at.warning)
    assert at.sidebar.selectbox(key="compare.remedy").value == "relu"
