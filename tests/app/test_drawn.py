"""ui.draw: the chart a page sends is the one st.altair_chart would send, whether it was just built or
comes from the shared cache, and a reader in another language gets their own."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from explorer import i18n
from tests.app.helpers import chart_rows, in_every_section, open_page, specs, title_of


def both_ways(lang: str, seed: int) -> AppTest:
    """One script drawing the same chart through st.altair_chart, then twice through ui.draw."""

    def script(lang: str, seed: int) -> None:
        import streamlit as st

        from explorer import RunConfig, i18n, run
        from explorer.app import ui
        from explorer.charts import lab as charts

        st.session_state["lang"] = lang
        t = i18n.translator(lang)
        result = run(RunConfig(depth=3, width=8, steps=10, seed=seed))
        st.altair_chart(charts.update_ratio_heatmap(result.layers, t), width="stretch")
        ui.draw(st, charts.update_ratio_heatmap, result.layers, t)  # built and kept
        ui.draw(st, charts.update_ratio_heatmap, result.layers, t)  # from the cache

    return AppTest.from_function(script, args=(lang, seed), default_timeout=60).run()


def test_a_drawn_chart_is_the_chart_streamlit_would_send_built_or_cached():
    at = both_ways("en", seed=5)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3 and not at.exception
    direct, built, cached = (chart.proto for chart in charts)
    assert built.spec == direct.spec == cached.spec
    assert built.use_container_width == direct.use_container_width
    rows = [chart_rows(chart) for chart in charts]
    assert len(rows[0]) > 0 and all(r.equals(rows[0]) for r in rows)


def test_another_language_gets_its_own_chart():
    english, chinese = both_ways("en", seed=6), both_ways("zh", seed=6)
    for at, lang in ((english, "en"), (chinese, "zh")):
        expected = i18n.translator(lang)("charts.heatmap_title")
        assert {title_of(spec) for spec in specs(at)} == {expected}


def test_the_lab_draws_its_charts_through_the_cache_and_the_same_again():
    query = {"depth": "4", "width": "8", "steps": "20", "seed": "17"}
    first, again = open_page("pages/lab.py", query), open_page("pages/lab.py", query)
    assert not first.exception
    drawn, redrawn = in_every_section(first, specs), in_every_section(again, specs)
    assert sum(len(section) for section in drawn.values()) >= 10
    assert drawn == redrawn
