"""AppTest of the papers page (pages/papers.py) and the shallow-net page (pages/shallow_net.py): they run,
draw their charts, print the figures the compute core gives, follow the sidebar, and shrug off bad URLs."""

from __future__ import annotations

import functools
import json

from streamlit.testing.v1 import AppTest

from explorer import i18n, presets
from explorer.shallow import ShallowConfig, compare
from tests.app_registry import ENTRY

t = i18n.translator("en")
PAPERS, SHALLOW = "pages/papers.py", "pages/shallow_net.py"
SMALL = ShallowConfig(depth=5, frozen=3, width=16, steps=40, batch_size=64)


def open_page(path: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ENTRY), default_timeout=120)
    if query:
        at.query_params.update(query)
    at.switch_page(path)
    return at.run()


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def title_of(spec: dict) -> str:
    title = spec.get("title", "")
    return title.get("text", "") if isinstance(title, dict) else str(title)


@functools.cache
def oracle(config: ShallowConfig):
    return compare(config)


def test_papers_page_shows_every_preset_with_its_verdict_and_chart():
    at = open_page(PAPERS)
    assert not at.exception, at.exception
    specs = chart_specs(at)
    assert len(specs) == len(presets.PRESETS)
    assert [title_of(s) for s in specs] == [t(f"papers.{name}.chart_title") for name in presets.PRESETS]
    verdicts = [s.value for s in at.success]
    assert len(verdicts) == len(presets.PRESETS) and not at.error
    for verdict, name in zip(verdicts, presets.PRESETS, strict=True):
        outcome = presets.evaluate(name)  # the oracle: the same preset run straight through the core
        assert verdict.startswith(f"**{t('papers.pass')}**")
        assert t(f"papers.{name}.figure", **outcome.values) in verdict
    assert [h.value for h in at.header] == [t(f"papers.{name}.title") for name in presets.PRESETS]


def test_papers_page_with_a_hostile_url_warns_and_runs():
    at = open_page(PAPERS, {"lang": "<script>", "depth": "abc"})
    assert not at.exception, at.exception
    assert any("script" in w.value for w in at.warning)
    assert len(at.get("vega_lite_chart")) == len(presets.PRESETS)


def test_shallow_page_default_shows_the_overlap_and_the_contrast():
    at = open_page(SHALLOW)
    assert not at.exception, at.exception
    titles = [title_of(s) for s in chart_specs(at)]
    assert t("shallow.chart_title", k=ShallowConfig.frozen) in titles
    assert t("shallow.flowing_title") in titles  # the default is the vanishing case: the contrast is the other
    text = "\n".join(m.value for m in at.markdown)
    assert "**The curves overlap**" in text and "**The curves separate**" in text


def test_shallow_page_sidebar_change_reaches_charts_metrics_and_url():
    at = open_page(SHALLOW, SMALL.to_query())
    assert not at.exception, at.exception
    assert at.slider(key="shallow.depth").value == SMALL.depth  # URL -> widgets
    at.slider(key="shallow.frozen").set_value(1)
    at.selectbox(key="shallow.activation").set_value("relu")
    at.run()
    assert not at.exception, at.exception
    changed = SMALL.replace(frozen=1, activation="relu")
    assert at.query_params["frozen"] == "1" and at.query_params["activation"] == "relu"
    expected = oracle(changed)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("shallow.metric_max_gap")] == f"{expected.max_gap:.3g}"
    assert metrics[t("shallow.metric_final")] == f"{expected.loss_deep:.3f} / {expected.loss_frozen:.3f}"
    assert t("shallow.chart_title", k=1) in [title_of(s) for s in chart_specs(at)]


def test_shallow_page_frozen_is_clamped_when_depth_drops():
    at = open_page(SHALLOW, SMALL.to_query())
    at.slider(key="shallow.depth").set_value(2)
    at.run()
    assert not at.exception, at.exception
    assert at.slider(key="shallow.frozen").value <= 2


def test_shallow_page_hostile_url_warns_and_uses_defaults():
    at = open_page(SHALLOW, {"depth": "abc", "frozen": "99", "lr": "inf", "activation": "<b>x</b>"})
    assert not at.exception, at.exception
    warning = "\n".join(w.value for w in at.warning)
    for name in ("depth", "lr", "activation"):
        assert name in warning
    assert at.query_params["depth"] == str(ShallowConfig.depth)
    assert int(at.query_params["frozen"]) <= ShallowConfig.depth
    assert at.get("vega_lite_chart")


def test_shallow_page_too_large_says_so_and_still_shows_the_references():
    huge = ShallowConfig(depth=64, frozen=10, width=256, steps=2000, batch_size=1024)
    at = open_page(SHALLOW, huge.to_query())
    assert not at.exception, at.exception
    assert at.error
    assert len(at.get("vega_lite_chart")) == 4  # the two reference comparisons
