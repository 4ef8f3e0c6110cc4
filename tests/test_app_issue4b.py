"""AppTest of the pretraining, exploding-gradients and activation-cost pages: each runs without an
exception, draws its charts, carries a sidebar change through to what it prints, and turns hostile URL
values into a warning and the defaults."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from explorer.cliff import CliffConfig
from explorer.exploding import ExplodingConfig
from explorer.pretrain import PretrainConfig
from tests.app_registry import ENTRY as _ENTRY

ENTRY = str(_ENTRY)
PRETRAIN, EXPLODING, COST = "pages/pretraining.py", "pages/exploding_gradients.py", "pages/activation_cost.py"

SMALL_PRETRAIN = PretrainConfig(depth=3, width=8, pretrain_steps=20, steps=15, batch_size=32)
SMALL_EXPLODING = {**ExplodingConfig(depth=8, width=16, steps=20).to_query(), **CliffConfig(toy_steps=60).to_query()}


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=90)
    if query:
        at.query_params.update(query)
    at.switch_page(page)
    return at.run()


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def chart_rows(chart) -> pd.DataFrame:
    """The rows Streamlit ships to the browser for a chart (its named Arrow datasets)."""
    frames = [pa.ipc.open_stream(dataset.data.data).read_all().to_pandas() for dataset in chart.proto.datasets]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def titles(at: AppTest) -> list[str]:
    found = []
    for spec in specs(at):
        for part in [spec, *spec.get("vconcat", [])]:
            title = part.get("title")
            found.append(title.get("text") if isinstance(title, dict) else title)
    return [str(title) for title in found if title]


def info_text(at: AppTest) -> str:
    return "\n".join(block.value for block in at.info)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# ----- pretraining ------------------------------------------------------------------------------------


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


# ----- exploding gradients ----------------------------------------------------------------------------


def test_exploding_page_draws_both_parts():
    at = open_page(EXPLODING, SMALL_EXPLODING)
    assert_clean(at)
    assert not at.warning
    assert len(at.get("vega_lite_chart")) == 9
    text = info_text(at)
    assert "No remedy" in text and "overflowed" in text  # this configuration explodes
    assert "Without clipping" in text and "With clipping at 20" in text


def test_exploding_sidebar_change_reaches_the_verdict():
    at = open_page(EXPLODING, SMALL_EXPLODING)
    at.number_input(key="exploding.clip_norm").set_value(0.5).run()
    assert_clean(at)
    assert "Global-norm clipping at 0.5:" in info_text(at)
    at.number_input(key="cliff.toy_clip").set_value(5.0).run()
    assert "With clipping at 5" in info_text(at)


def test_exploding_hostile_url_warns_and_uses_defaults():
    at = open_page(EXPLODING, {"init_scale": "inf", "steps": "-5", "toy_w": "99", "toy_horizon": "abc"})
    assert_clean(at)
    warning = " ".join(w.value for w in at.warning)
    for name in ("init_scale", "steps", "toy_w", "toy_horizon"):
        assert name in warning
    assert at.slider(key="cliff.toy_w").value == CliffConfig().toy_w
    assert len(at.get("vega_lite_chart")) == 9


# ----- activation cost --------------------------------------------------------------------------------


def test_cost_page_measures_and_says_what_it_measured():
    at = open_page(COST, {"log2_size": "14"})
    assert_clean(at)
    assert len(at.get("vega_lite_chart")) == 3
    assert "16,384 float32 values" in info_text(at)


def test_cost_sidebar_change_reaches_the_output():
    at = open_page(COST, {"log2_size": "14"})
    at.select_slider(key="cost.log2_size").set_value(12).run()
    assert_clean(at)
    assert "4,096 float32 values" in info_text(at)


def test_cost_hostile_url_warns_and_uses_defaults():
    at = open_page(COST, {"log2_size": "99999999999999999"})
    assert_clean(at)
    assert any("log2_size" in w.value for w in at.warning)
    assert "1,048,576 float32 values" in info_text(at)
