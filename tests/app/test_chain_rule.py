"""AppTest of the chain-rule page: the chain-rule and autograd numbers, sidebar -> numbers -> URL, hostile URL."""

from __future__ import annotations

from explorer.lessons.chain import ChainConfig
from explorer.lessons.chain import compute as chain_compute
from tests.app.helpers import metrics, open_page, t, url

CHAIN = "pages/chain_rule.py"


def test_chain_page_shows_the_chain_rule_and_autograd_numbers():
    at = open_page(CHAIN)
    result = chain_compute(ChainConfig())
    shown = metrics(at)
    assert shown[t("chain.metric_chain")] == f"{result.grad_w1:.6e}"
    assert shown[t("chain.metric_autograd")] == f"{result.grad_w1_autograd:.6e}"
    assert float(shown[t("chain.metric_difference")]) < 1e-12
    assert ChainConfig.from_query(url(at)) == (ChainConfig(), [])


def test_chain_sidebar_change_reaches_the_numbers_and_the_url():
    at = open_page(CHAIN)
    before = metrics(at)[t("chain.metric_chain")]
    at.sidebar.slider(key="chain.w2").set_value(-3.5)
    at.sidebar.selectbox(key="chain.activation").set_value("tanh")
    at.run()
    assert not at.exception
    expected = chain_compute(ChainConfig(w2=-3.5, activation="tanh"))
    shown = metrics(at)
    assert shown[t("chain.metric_chain")] == f"{expected.grad_w1:.6e}" != before
    assert shown[t("chain.metric_autograd")] == f"{expected.grad_w1_autograd:.6e}"
    assert ChainConfig.from_query(url(at)) == (ChainConfig(w2=-3.5, activation="tanh"), [])


def test_chain_url_sets_the_widgets():
    config = ChainConfig(x=-2.0, w3=7.5, b4=-1.0, activation="elu")
    at = open_page(CHAIN, config.to_query())
    assert at.sidebar.slider(key="chain.w3").value == 7.5
    assert metrics(at)[t("chain.metric_chain")] == f"{chain_compute(config).grad_w1:.6e}"


def test_chain_hostile_url_warns_and_uses_defaults():
    at = open_page(CHAIN, {"w1": "nan", "b3": "1e999", "activation": "<script>", "x": "0.5"})
    assert not at.exception
    warning = " ".join(str(w.value) for w in at.warning)
    assert "w1" in warning and "b3" in warning and "activation" in warning
    expected = chain_compute(ChainConfig(x=0.5))
    assert metrics(at)[t("chain.metric_chain")] == f"{expected.grad_w1:.6e}"


def test_page_runs_with_its_charts():
    at = open_page(CHAIN)
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == 2
    assert not at.warning


def test_unit_relu_chain_is_called_neutral_on_the_page():
    at = open_page(CHAIN, ChainConfig(activation="relu").to_query())
    assert not at.exception, at.exception
    said = " ".join(str(i.value) for i in at.info)
    assert "Neither vanishing nor exploding" in said and "exploding." not in said
    assert "as much as the last" in said
