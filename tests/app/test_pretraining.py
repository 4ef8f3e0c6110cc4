"""AppTest of the layer-wise pretraining page: charts, verdict, sidebar -> charts -> URL, hostile URL."""

from __future__ import annotations

from explorer.lessons.pretrain import PretrainConfig
from tests.app.helpers import assert_clean, chart_rows, info_text, open_page, titles

PRETRAIN = "pages/pretraining.py"
SMALL_PRETRAIN = PretrainConfig(depth=3, width=8, pretrain_steps=20, steps=15, batch_size=32)


def test_pretraining_page_draws_its_charts_and_verdict():
    at = open_page(PRETRAIN, SMALL_PRETRAIN.to_query())
    assert_clean(at)
    assert not at.warning
    assert len(at.get("vega_lite_chart")) == 6
    assert any("reconstruction" in title for title in titles(at))
    assert "Measured:" in info_text(at) and "layer 1" in info_text(at)


def test_pretraining_sidebar_change_reaches_the_charts_and_url():
    at = open_page(PRETRAIN, SMALL_PRETRAIN.to_query())
    at.slider(key="pretrain.depth").set_value(4).run()
    assert_clean(at)
    assert at.query_params["depth"] == ["4"] or at.query_params["depth"] == "4"
    signal = next(chart for chart in at.get("vega_lite_chart") if "Signal" in chart.proto.spec)
    assert set(chart_rows(signal).layer) == {1, 2, 3, 4, 5}  # 4 hidden layers + output


def test_pretraining_hostile_url_warns_and_uses_defaults():
    at = open_page(PRETRAIN, {"depth": "1e99", "lr": "nan", "dataset": "<script>alert(1)</script>", "seed": "-3"})
    assert_clean(at)
    warning = " ".join(w.value for w in at.warning)
    assert "depth" in warning and "lr" in warning and "dataset" in warning and "seed" in warning
    assert at.slider(key="pretrain.depth").value == PretrainConfig().depth
    assert len(at.get("vega_lite_chart")) == 6
