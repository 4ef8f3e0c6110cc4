"""The activation-derivative page's numbers: σ′ peaks at exactly 0.25 at 0, products of n factors,
and the window where |w|·σ′(z) > 1, analytic edge against autograd's curve."""

import math

import numpy as np
import pytest
import torch

from explorer import i18n
from explorer.charts import activations as charts
from explorer.engine import activations
from explorer.lessons import derivatives
from explorer.lessons.derivatives import DerivativesConfig, compute

t = i18n.translator("en")


def test_sigmoid_derivative_peaks_at_a_quarter_at_zero():
    result = compute(DerivativesConfig())
    sigmoid = result.peaks.set_index("activation").loc["sigmoid"]
    assert sigmoid.peak == pytest.approx(0.25, abs=1e-15)
    assert sigmoid.peak_x == 0.0
    curve = result.curves[result.curves.activation == "sigmoid"]
    s = 1 / (1 + np.exp(-curve.x))
    np.testing.assert_allclose(curve.df, s * (1 - s), rtol=1e-12, atol=1e-18)  # autograd = σ(1 − σ)


def test_peaks_of_the_other_activations():
    result = compute(DerivativesConfig(slope=0.2, alpha=2.0))
    peaks = result.peaks.set_index("activation").peak
    assert peaks["tanh"] == pytest.approx(1.0, abs=1e-15)
    assert peaks["relu"] == peaks["leaky_relu"] == 1.0
    assert peaks["elu"] == pytest.approx(2.0, abs=1e-12)  # α·eˣ as x → 0 from below
    assert peaks["gelu"] == pytest.approx(activations.MAX_DERIVATIVE["gelu"], rel=1e-3)  # grid 0.02 apart
    curves = result.curves
    leaky = curves[(curves.activation == "leaky_relu") & (curves.x < 0)]
    np.testing.assert_allclose(leaky.df, 0.2)
    elu = curves[(curves.activation == "elu") & (curves.x < 0)]
    np.testing.assert_allclose(elu.df, 2.0 * np.exp(elu.x), rtol=1e-12)


@pytest.mark.parametrize("n_layers", [1, 10, 60])
def test_depth_products_are_the_powers(n_layers):
    result = compute(DerivativesConfig(n_layers=n_layers, w_abs=6.0))
    products = result.products.set_index(["quantity", "n"])["product"]
    assert products["sigmoid_alone", n_layers] == pytest.approx(0.25**n_layers, rel=1e-13)
    assert products["with_weight", n_layers] == pytest.approx(1.5**n_layers, rel=1e-13)
    assert result.peaks.set_index("activation").best_product["sigmoid"] == pytest.approx(0.25**n_layers, rel=1e-13)


@pytest.mark.parametrize("w_abs", [4.5, 6.0, 20.0])
def test_exploding_window_edge_is_where_the_factor_is_one(w_abs):
    edge = derivatives.exploding_window(w_abs)
    z = torch.tensor([edge, -edge], dtype=torch.float64, requires_grad=True)
    (slope,) = torch.autograd.grad(torch.sigmoid(z).sum(), z)
    np.testing.assert_allclose((w_abs * slope).numpy(), 1.0, rtol=1e-12)
    result = compute(DerivativesConfig(w_abs=w_abs))
    assert result.measured_window == pytest.approx(edge, abs=0.02 + 1e-9)  # the grid is 0.02 apart
    inside = result.factor[result.factor.z.abs() < edge - 1e-9]
    outside = result.factor[result.factor.z.abs() > edge + 1e-9]
    assert (inside.factor > 1).all() and (outside.factor < 1).all()


@pytest.mark.parametrize("w_abs", [0.1, 1.0, 4.0])
def test_no_window_up_to_four(w_abs):
    result = compute(DerivativesConfig(w_abs=w_abs))
    assert derivatives.exploding_window(w_abs) is None
    assert result.window is None and result.measured_window is None
    assert result.factor.factor.max() == pytest.approx(w_abs / 4, rel=1e-15)


def test_hostile_query_falls_back_to_defaults():
    config, problems = DerivativesConfig.from_query({"n_layers": "abc", "w_abs": "-3", "alpha": "nan", "slope": "0.3"})
    assert config == DerivativesConfig(slope=0.3)
    assert {p.split("=")[0] for p in problems} == {"n_layers", "w_abs", "alpha"}


def test_query_round_trip():
    config = DerivativesConfig(slope=0.05, alpha=1.7, n_layers=33, w_abs=12.5)
    assert DerivativesConfig.from_query(config.to_query()) == (config, [])


def test_charts():
    result = compute(DerivativesConfig(n_layers=30, w_abs=6.0))
    depth = charts.depth_products(result.products, t, w_abs=6.0).to_dict()
    assert depth["layer"][1]["encoding"]["y"]["scale"]["type"] == "log"
    low, high = depth["layer"][1]["encoding"]["y"]["scale"]["domain"]
    assert low <= 0.25**30 and high >= 1.5**30  # both lines fit on the fixed axis
    with_window = charts.weight_factor(result.factor, t, w_abs=6.0).to_dict()
    assert [layer["mark"]["type"] for layer in with_window["layer"]][0] == "area"
    without = compute(DerivativesConfig(w_abs=2.0))
    marks = [layer["mark"]["type"] for layer in charts.weight_factor(without.factor, t, w_abs=2.0).to_dict()["layer"]]
    assert "area" not in marks
    sigmoid = charts.sigmoid_and_slope(result.curves, t).to_dict()
    assert any(layer["mark"]["type"] == "text" for layer in sigmoid["layer"])  # the 0.25 label
    for column in ("f", "df"):
        spec = charts.all_activations(result.curves, column, t).to_dict()
        # a legend-bound highlight: a point selection on the activation's name, bound to the legend
        params = [
            p for p in spec.get("params", []) + [q for part in spec.get("layer", []) for q in part.get("params", [])]
        ]
        assert any(p.get("bind") == "legend" for p in params), params
        rows = [row for rows in spec["datasets"].values() for row in rows if "activation" in row]
        assert {row["activation"] for row in rows} == set(result.curves.activation)  # every curve drawn
        assert len(rows) == len(result.curves)
        assert "⟦" not in str(spec)
    assert math.isfinite(result.window)
