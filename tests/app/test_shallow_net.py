"""AppTest of the shallow-net page: the overlap and the contrast, sidebar -> charts, metrics and URL (checked
against the comparison run straight through the core), the frozen count clamped, hostile and oversized URLs."""

from __future__ import annotations

import functools

from explorer.lessons.shallow import DEFAULTS, compare_frozen
from tests.app.helpers import open_page, specs, t, title_of

SHALLOW = "pages/shallow_net.py"
SMALL = DEFAULTS.replace(depth=5, freeze_first=3, width=16, steps=40, batch_size=64)


@functools.cache
def oracle(config):
    return compare_frozen(config)


def test_shallow_page_default_shows_the_overlap_and_the_contrast():
    at = open_page(SHALLOW)
    assert not at.exception, at.exception
    titles = [title_of(s) for s in specs(at)]
    assert t("shallow.chart_title", k=DEFAULTS.freeze_first) in titles
    assert t("shallow.flowing_title") in titles  # the default is the vanishing case: the contrast is the other
    text = "\n".join(m.value for m in at.markdown)
    assert "**The curves overlap**" in text and "**The curves separate**" in text


def test_shallow_page_sidebar_change_reaches_charts_metrics_and_url():
    at = open_page(SHALLOW, SMALL.to_query())
    assert not at.exception, at.exception
    assert at.slider(key="shallow.depth").value == SMALL.depth  # URL -> widgets
    at.slider(key="shallow.freeze_first").set_value(1)
    at.selectbox(key="shallow.activation").set_value("relu")
    at.run()
    assert not at.exception, at.exception
    changed = SMALL.replace(freeze_first=1, activation="relu")
    assert at.query_params["freeze_first"] == "1" and at.query_params["activation"] == "relu"
    expected = oracle(changed)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("shallow.metric_max_gap")] == f"{expected.max_gap:.3g}"
    assert metrics[t("shallow.metric_final")] == f"{expected.loss_deep:.3f} / {expected.loss_frozen:.3f}"
    assert t("shallow.chart_title", k=1) in [title_of(s) for s in specs(at)]


def test_shallow_page_frozen_is_clamped_when_depth_drops():
    at = open_page(SHALLOW, SMALL.to_query())
    at.slider(key="shallow.depth").set_value(2)
    at.run()
    assert not at.exception, at.exception
    assert at.slider(key="shallow.freeze_first").value <= 2


def test_shallow_page_hostile_url_warns_and_uses_defaults():
    at = open_page(SHALLOW, {"depth": "abc", "frozen": "99", "lr": "inf", "activation": "<b>x</b>"})
    assert not at.exception, at.exception
    warning = "\n".join(w.value for w in at.warning)
    for name in ("depth", "lr", "activation"):
        assert name in warning
    assert at.query_params["depth"] == str(DEFAULTS.depth)
    assert int(at.query_params["freeze_first"]) <= DEFAULTS.depth
    assert at.get("vega_lite_chart")


def test_shallow_page_too_large_says_so_and_still_shows_the_references():
    huge = DEFAULTS.replace(depth=64, freeze_first=10, width=256, steps=2000, batch_size=1024)
    at = open_page(SHALLOW, huge.to_query())
    assert not at.exception, at.exception
    assert at.error
    assert len(at.get("vega_lite_chart")) == 4  # the two reference comparisons


def test_shallow_page_reads_links_made_with_frozen():
    at = open_page(SHALLOW, {"depth": "5", "frozen": "2", "width": "16", "steps": "40", "batch_size": "64"})
    assert not at.exception, at.exception
    assert at.slider(key="shallow.freeze_first").value == 2 and not at.warning
    assert at.query_params["freeze_first"] == "2"
    assert t("shallow.chart_title", k=2) in [title_of(s) for s in specs(at)]
