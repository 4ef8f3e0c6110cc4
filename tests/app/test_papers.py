"""AppTest of the papers page: every preset with its verdict (checked against the preset run straight
through the core) and its chart; a hostile URL warns and the page still runs."""

from __future__ import annotations

from explorer.lessons import presets
from tests.app.helpers import open_page, specs, t, title_of

PAPERS = "pages/papers.py"


def test_papers_page_shows_every_preset_with_its_verdict_and_chart():
    at = open_page(PAPERS)
    assert not at.exception, at.exception
    shown = specs(at)
    assert len(shown) == len(presets.PRESETS)
    assert [title_of(s) for s in shown] == [t(f"papers.{name}.chart_title") for name in presets.PRESETS]
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
