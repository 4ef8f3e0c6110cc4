"""The Jacobian spectrum page: measured histogram against free probability, verdicts from the figures."""

from explorer import RunConfig
from explorer.engine.spectrum import jacobian_spectrum
from explorer.lessons import isometry
from tests.app.helpers import assert_clean, chart_rows, metrics, open_page, t, text_of, titles, url

PAGE = "pages/jacobian_spectrum.py"


def test_default_gaussian_linear_net_shows_the_norm_hiding_vanishing_directions():
    at = open_page(PAGE)
    assert_clean(at)
    assert t("spectrum.histogram_title") in titles(at) and t("spectrum.sweep_title") in titles(at)
    config = RunConfig(activation="linear", depth=16, width=64, steps=0)
    found = isometry.figures(jacobian_spectrum(config, "hidden"))
    shown = metrics(at)
    assert shown[t("spectrum.metric_mean_square")] == f"{found.mean_square:.3g}"
    assert 0.5 < found.mean_square < 2 and found.shrunk > 0.2  # the norm's average holds; directions do not
    assert "The norm looks fine" in text_of(at)
    histogram = at.get("vega_lite_chart")[0]
    values = jacobian_spectrum(config, "hidden").singular_value
    resolved = int((values > 1e-12 * values.max()).sum())  # below that, double precision cannot tell from 0
    assert chart_rows(histogram)["count"].sum() == resolved == round(len(values) * (1 - found.zero))
    assert url(at)["variant"] == "hidden"


def test_orthogonal_linear_link_is_isometric():
    at = open_page(PAGE, {"activation": "linear", "init": "orthogonal", "depth": "20", "width": "32"})
    assert_clean(at)
    assert "**Isometric.**" in text_of(at)
    assert metrics(at)[t("spectrum.metric_condition")] == "1"


def test_relu_reports_lost_directions_and_hostile_variant_warns():
    at = open_page(PAGE, {"activation": "relu", "init": "he", "depth": "8", "variant": "sideways", "norm": "batch"})
    assert_clean(at)
    warned = "".join(str(w.value) for w in at.warning)
    assert "variant" in warned and "norm" in warned  # BatchNorm has no per-sample Jacobian
    assert t("spectrum.no_law_nonlinear")[:40] in "".join(str(i.value) for i in at.info)
    assert "are 0 to double precision" in text_of(at)
