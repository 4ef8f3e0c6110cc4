"""AppTest of the three material pages (why gradient descent, activation derivatives, chain rule): they
run cleanly, draw their charts, show the numbers the compute modules give for the same config, follow
the sidebar, keep the setting in the URL, and answer hostile URL values with a warning."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from explorer import i18n
from explorer.chain import ChainConfig
from explorer.chain import compute as chain_compute
from explorer.derivatives import DerivativesConfig
from explorer.surface import SurfaceConfig, descend
from tests.app_registry import ENTRY

t = i18n.translator("en")
WHY, ACTIVATIONS, CHAIN = "pages/why_gradient_descent.py", "pages/activation_derivatives.py", "pages/chain_rule.py"


@pytest.fixture(scope="module", autouse=True)
def settle_navigation_mode():
    """The first AppTest of a process reruns once through the entry (explorer/ui.py settles Streamlit's
    pages-directory mode) and lands on the default page; spend that on a throwaway run."""
    AppTest.from_file(str(ENTRY), default_timeout=60).run()


def open_page(path: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    if query:
        at.query_params.update(query)
    at.switch_page(path)
    return at.run()


def url(at: AppTest) -> dict[str, str]:
    """The address bar's parameters after the run (AppTest keeps each as a list of values)."""
    return {k: v[-1] if isinstance(v, list) else v for k, v in at.query_params.items()}


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def no_missing_keys(at: AppTest) -> bool:
    texts = [str(e.value) for e in (*at.markdown, *at.info, *at.warning, *at.success, *at.metric)]
    specs = [chart.proto.spec for chart in at.get("vega_lite_chart")]
    return not any("⟦" in text for text in texts + specs)


@pytest.mark.parametrize(("path", "charts"), [(WHY, 3), (ACTIVATIONS, 5), (CHAIN, 2)])
def test_page_runs_with_its_charts(path, charts):
    at = open_page(path)
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == charts
    assert not at.warning or path == ACTIVATIONS  # the activations page warns about |w| > 4 by design
    assert no_missing_keys(at)


# ----- chain rule --------------------------------------------------------------------------------------


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


# ----- why gradient descent ----------------------------------------------------------------------------


def test_why_page_verdict_and_learning_rate():
    at = open_page(WHY)
    result = descend(SurfaceConfig())
    assert metrics(at)[t("why.metric_loss")] == f"{result.final.loss:.4g}"
    assert len(at.get("page_link")) == 10  # the map of every other page
    at.sidebar.number_input(key="why.lr").set_value(20.0)
    at.run()
    assert not at.exception
    big = descend(SurfaceConfig(lr=20.0))
    assert metrics(at)[t("why.metric_loss")] == f"{big.final.loss:.4g}"
    assert at.warning, "an overshooting descent is called out"
    assert f"{big.final.loss:.6g}" in str(at.warning[0].value)
    assert url(at)["lr"] == "20.0"


def test_why_hostile_url():
    at = open_page(WHY, {"lr": "inf", "steps": "-1", "start_w": "1e308"})
    assert not at.exception
    warning = " ".join(str(w.value) for w in at.warning)
    assert "lr" in warning and "steps" in warning and "start_w" in warning
    assert metrics(at)[t("why.metric_loss")] == f"{descend(SurfaceConfig()).final.loss:.4g}"


# ----- activation derivatives --------------------------------------------------------------------------


def test_activations_depth_slider_changes_the_product():
    at = open_page(ACTIVATIONS)
    label = t("activations.metric_best", n=10)
    assert metrics(at)[label] == f"{0.25**10:.3e}"
    at.sidebar.slider(key="activations.n_layers").set_value(30)
    at.run()
    assert not at.exception
    assert metrics(at)[t("activations.metric_best", n=30)] == f"{0.25**30:.3e}"
    assert DerivativesConfig.from_query(url(at))[0].n_layers == 30


def test_activations_weight_below_four_never_explodes():
    at = open_page(ACTIVATIONS, DerivativesConfig(w_abs=3.0).to_query())
    assert not at.exception
    assert not at.warning
    assert any("never above 1" in str(i.value) for i in at.info)
    spec = json.loads(at.get("vega_lite_chart")[2].proto.spec)
    assert all(layer["mark"]["type"] != "area" for layer in spec["layer"])


def test_activations_hostile_url():
    at = open_page(ACTIVATIONS, {"n_layers": "abc", "w_abs": "-5", "slope": "nan"})
    assert not at.exception
    warning = " ".join(str(w.value) for w in at.warning)
    assert "n_layers" in warning and "w_abs" in warning and "slope" in warning
