"""AppTest of the exploding-gradients page: both parts (deep net, one-unit cliff), sidebar -> verdict, hostile URL."""

from __future__ import annotations

from explorer.lessons.cliff import CliffConfig
from explorer.lessons.exploding import ExplodingConfig
from tests.app.helpers import assert_clean, info_text, open_page

EXPLODING = "pages/exploding_gradients.py"
SMALL_EXPLODING = {**ExplodingConfig(depth=8, width=16, steps=20).to_query(), **CliffConfig(toy_steps=60).to_query()}


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
