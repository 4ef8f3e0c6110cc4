"""Links for a class: lock (disabled widgets, enforced on the server), hide (controls, nav, prose), the
Share control's link, and the view parameters surviving the app's URL rewriting and page switches."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from explorer import RunConfig
from explorer.app import share, view
from tests.app.helpers import assert_clean, in_every_section, open_page, t, text_of, url, warnings_text

SMALL = RunConfig(depth=4, width=8, steps=4, batch_size=16)
LAB = "pages/lab.py"


def styles(at) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


def force(widget, value, at):
    """Send a value for a widget as a hand-made browser message would, disabled or not."""
    widget._value = value
    return at.run()


def test_parse_keeps_known_values_and_reports_the_rest():
    found, problems = view.parse({"lock": "depth, activation,,nonsense", "hide": "prose,nav,sidebar"})
    assert found == view.View(frozenset({"depth", "activation"}), frozenset({"prose", "nav"}))
    assert problems == [("lock", "nonsense"), ("hide", "sidebar")]
    assert found.to_query() == {"lock": "activation,depth", "hide": "nav,prose"}
    assert view.parse({})[0].to_query() == {}


def test_every_page_setting_can_be_locked():
    assert {"depth", "activation", "clip_norm", "remedy", "seq_len"} <= view.LOCKABLE


def test_locked_widgets_are_disabled_marked_and_enforced():
    at = open_page(LAB, {**SMALL.to_query(), "lock": "depth,clip_norm"})
    assert_clean(at)
    depth = at.slider(key="run.depth")
    assert depth.disabled and depth.label.startswith(view.LOCK_ICON)
    assert not at.slider(key="run.width").disabled
    force(depth, 9, at)  # the server sets it back
    assert at.slider(key="run.depth").value == 4 and url(at)["depth"] == "4"
    force(at.checkbox(key="run.clip_on"), True, at)  # clipping stays off: it is part of the lock
    assert url(at)["clip_norm"] == "off"
    at.slider(key="run.width").set_value(16).run()  # an unlocked setting still changes
    assert url(at)["width"] == "16" and url(at)["lock"] == "clip_norm,depth"


def test_view_survives_url_rewriting_and_page_switches():
    at = open_page(LAB, {**SMALL.to_query(), "lock": "depth", "hide": "prose"})
    at.slider(key="run.width").set_value(16).run()
    assert (url(at)["lock"], url(at)["hide"]) == ("depth", "prose")
    for page in ("pages/papers.py", "pages/chain_rule.py", LAB):
        at.switch_page(page).run(timeout=600)
        assert_clean(at)
        assert (url(at)["lock"], url(at)["hide"]) == ("depth", "prose"), page
    assert at.slider(key="run.depth").disabled and url(at)["width"] == "16"


def test_carried_parameters_stay_in_the_url():
    at = open_page(LAB, SMALL.to_query())
    at.session_state["view.carried"] = {"step": "3"}
    at.run()
    assert url(at)["step"] == "3"
    at.switch_page("pages/chain_rule.py").run()
    assert url(at)["step"] == "3"


def test_hide_prose_keeps_charts_and_verdicts():
    shown = open_page(LAB, SMALL.to_query())
    bare = open_page(LAB, {**SMALL.to_query(), "hide": "prose"})
    assert_clean(bare)
    assert t("lab.read_norms") in text_of(shown) and t("lab.read_norms") not in text_of(bare)
    assert t("lab.intro") not in text_of(bare)

    def read(at):  # a section's charts and its texts
        return len(at.get("vega_lite_chart")), {str(b.value).strip() for b in at.markdown}

    with_prose, without = in_every_section(shown, read), in_every_section(bare, read)
    charts = [n for n, _ in with_prose.values()]
    assert [n for n, _ in without.values()] == charts and all(n > 0 for n in charts)
    removed = set().union(*(texts - without[name][1] for name, (_, texts) in with_prose.items()))
    prose = {t(f"lab.{key}") for key in ("read_norms", "read_heatmap", "read_history", "how_measured")}
    prose.add(t("lab.intro") + " " + t("lab.intro_controls"))
    texts = set().union(*(texts for _, texts in with_prose.values()))
    histogram_note = [t(k) for k in ("hist.read", "hist.read_no_theory") if t(k).strip() in texts]
    assert len(histogram_note) == 1  # the histograms' reading note: with or without a theory to compare
    prose = {text.strip() for text in prose | {t("theory.explain"), *histogram_note}}
    quotes = {text for text in removed if text.startswith("> ")}  # the article's sentence the page examines
    assert removed - quotes == prose  # the verdicts and the theory's agreement stay


def test_hide_controls_keeps_navigation_unless_nav_is_hidden_too():
    at = open_page(LAB, {**SMALL.to_query(), "hide": "controls"})
    assert "stSidebarUserContent" in styles(at) and '"stSidebar"]' not in styles(at)
    both = open_page(LAB, {**SMALL.to_query(), "hide": "controls,nav"})
    assert '[data-testid="stSidebar"]' in styles(both)
    assert styles(open_page(LAB, SMALL.to_query())) == ""


def test_unknown_values_warn_in_both_languages():
    at = open_page(LAB, {**SMALL.to_query(), "lock": "depth,wings", "hide": "all"})
    assert "wings" in warnings_text(at) and "all" in warnings_text(at)
    assert at.slider(key="run.depth").disabled
    zh = open_page(LAB, {**SMALL.to_query(), "lock": "wings", "lang": "zh"})
    assert "wings" in warnings_text(zh) and "不是本应用可以锁定或隐藏的内容" in warnings_text(zh)


def test_share_link_carries_the_choices():
    at = open_page(LAB, SMALL.to_query())
    at.multiselect(key="share.lock").set_value(["depth", "activation"])
    at.checkbox(key="share.hide_prose").check()
    at.checkbox(key="share.embed").check().run()
    assert_clean(at)
    link, frame = (block.proto.code_text for block in at.sidebar.get("code"))
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert query["lock"] == "activation,depth" and query["hide"] == "prose" and query["embed"] == "true"
    assert query["depth"] == "4" and query["lang"] == "en"
    assert frame.startswith("<iframe src=") and "embed=true" in frame
    assert "lock" not in url(at)  # choosing for a link does not lock this reader's own view
    assert t("share.not_security") in [c.value for c in at.sidebar.caption]


def test_link_for_keeps_commas_readable():
    assert share.link_for("http://host/lab", {"lock": "a,b"}, embed=False) == "http://host/lab?lock=a,b"
    assert share.link_for(None, {"x": "1"}, embed=True) == "?x=1&embed=true"
