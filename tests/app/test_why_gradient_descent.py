"""AppTest of the home page (why gradient descent): the descent's figures, the overshoot callout, the map of pages."""

from __future__ import annotations

from explorer.app import navigation
from explorer.lessons.surface import SurfaceConfig, descend
from tests.app.helpers import metrics, open_page, t, url

WHY = "pages/why_gradient_descent.py"


def test_why_page_verdict_and_learning_rate():
    at = open_page(WHY)
    result = descend(SurfaceConfig())
    assert metrics(at)[t("why.metric_loss")] == f"{result.final.loss:.4g}"
    assert len(at.get("page_link")) == len(navigation.other_pages())  # the map of every other page
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


def test_page_runs_with_its_charts():
    at = open_page(WHY)
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == 3
    assert not at.warning
