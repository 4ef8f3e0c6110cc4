"""AppTest of the activation-derivatives page: the 0.25ⁿ product follows the depth slider; |w| < 4 never explodes."""

from __future__ import annotations

import json

from explorer.lessons.derivatives import DerivativesConfig
from tests.app.helpers import metrics, open_page, t, url

ACTIVATIONS = "pages/activation_derivatives.py"


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


def test_page_runs_with_its_charts():
    at = open_page(ACTIVATIONS)
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == 5
    assert at.warning  # the default |w| is above 4: the page warns by design
