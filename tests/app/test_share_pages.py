"""Links for a class on every page: hide=prose leaves charts and verdicts only, a locked setting is drawn
disabled with the lock (and a clean accessible label) and enforced on the server, and hide=controls
changes the lab's "change the controls on the left" sentence; in English and Chinese."""

from __future__ import annotations

import pytest

from explorer import i18n
from explorer.app import ui, view
from tests.app.helpers import assert_clean, open_page, text_of, url
from tests.app.test_every_page import NON_DEFAULT
from tests.app_registry import pages

PAGES = {page.url_path: page.path for page in pages()}
MISSING_KEY = "⟦"
# the catalogue section of each page's intro (the tour's steps have none)
INTRO = {
    "why_gradient_descent": "why", "activation_derivatives": "activations", "chain_rule": "chain",
    "lab": "lab", "remedy_comparison": "compare", "shallow_net": "shallow", "rnn_vs_lstm": "rnn",
    "pretraining": "pretrain", "exploding_gradients": "exploding", "activation_cost": "cost",
    "jacobian_spectrum": "spectrum", "order_to_chaos": "chaos", "normalisation_residual": "norm", "papers": "papers",
    "run_board": "board",
}  # fmt: skip


def alerts(at) -> list[str]:
    """The verdicts, warnings and errors: what a projector view keeps."""
    return [str(a.value) for kind in ("success", "info", "warning", "error") for a in at.get(kind)]


@pytest.fixture
def recorded(monkeypatch):
    """Every text a page sends through the prose helpers in this process."""
    texts: list[str] = []
    for name in ("prose", "note"):
        original = getattr(ui, name)
        monkeypatch.setattr(ui, name, lambda text, *a, _o=original, **k: (texts.append(text), _o(text, *a, **k)))
    original_expander = ui.expander
    monkeypatch.setattr(
        ui, "expander", lambda title, text: (texts.extend([title, text]), original_expander(title, text))
    )
    return texts


def test_every_page_is_covered():
    assert set(INTRO) | {"tour"} == set(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_hide_prose_leaves_charts_and_verdicts(name, recorded):
    query = NON_DEFAULT.get(name, {})
    shown = open_page(PAGES[name], query, timeout=600)
    assert_clean(shown)
    prose = [text.strip() for text in recorded if text.strip()]
    assert prose, name  # every page explains something
    bare = open_page(PAGES[name], {**query, "hide": "prose"}, timeout=600)
    assert_clean(bare)
    seen = text_of(bare)
    assert not [text for text in prose if text in seen], name
    if name in INTRO:
        assert t_en(f"{INTRO[name]}.intro").strip().split("{")[0][:60] not in seen
    assert not [b for b in bare.markdown if str(b.value).startswith("> ")]  # the article's quotes
    assert t_en("article.slip_says") not in seen and t_en("article.closing_title") not in seen
    assert len(bare.get("vega_lite_chart")) == len(shown.get("vega_lite_chart")), name
    assert alerts(bare) == alerts(shown), name
    assert [m.value for m in bare.metric] == [m.value for m in shown.metric], name


def t_en(key: str) -> str:
    return i18n.translator("en")(key)


# page, locked parameter, its widget's key, the widget kind, a value the browser might send
LOCKS = [
    ("chain_rule", "x", "chain.x", "slider", 1.5),
    ("why_gradient_descent", "lr", "why.lr", "number_input", 2.0),
    ("rnn_vs_lstm", "seq_len", "rnn.seq_len", "slider", 30),
    ("jacobian_spectrum", "variant", "spectrum.variant", "radio", "hidden"),
    ("activation_cost", "log2_size", "cost.log2_size", "select_slider", 12),
    ("remedy_comparison", "remedy", "compare.remedy", "selectbox", "residual"),
]


@pytest.mark.parametrize(("name", "field", "key", "kind", "sent"), LOCKS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_locked_widget_is_drawn_disabled_and_enforced(name, field, key, kind, sent, lang):
    query = {**NON_DEFAULT[name], "lock": field, "lang": lang}
    at = open_page(PAGES[name], query, timeout=600)
    assert_clean(at)
    assert MISSING_KEY not in text_of(at)
    widget = getattr(at, kind)(key=key)
    assert widget.disabled
    assert widget.label.startswith(view.LOCK_ICON + " ") and ":material" not in widget.label
    assert widget.help.startswith(i18n.translator(lang)("share.locked_help"))
    before = url(at)[field]
    widget._value = sent  # what a hand-made browser message could send for a disabled widget
    at.run(timeout=600)
    assert url(at)[field] == before and url(at)["lock"] == field
    others = [w for w in at.sidebar.get(kind) if w.key not in (key, None) and str(w.key).startswith(key.split(".")[0])]
    assert all(not w.disabled for w in others if view.LOCK_ICON not in w.label)


def test_unlocked_widgets_have_no_lock():
    at = open_page(PAGES["chain_rule"], NON_DEFAULT["chain_rule"])
    assert not [w for w in at.sidebar.slider if w.disabled or view.LOCK_ICON in w.label]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hidden_controls_change_the_labs_intro(lang):
    tr = i18n.translator(lang)
    query = {**NON_DEFAULT["lab"], "lang": lang}
    shown = text_of(open_page(PAGES["lab"], query, timeout=600))
    hidden = open_page(PAGES["lab"], {**query, "hide": "controls"}, timeout=600)
    assert_clean(hidden)
    assert tr("lab.intro_controls") in shown
    assert tr("lab.intro_no_controls") in text_of(hidden) and tr("lab.intro_controls") not in text_of(hidden)
    assert MISSING_KEY not in text_of(hidden)


def test_papers_show_the_script_of_every_engine_run():
    from explorer.engine.config import RunConfig
    from explorer.export.script import export_script
    from explorer.lessons import presets

    at = open_page(PAGES["papers"], timeout=600)
    assert_clean(at)
    shown = [c.proto.code_text.strip() for c in at.get("code") if c.proto.language == "python"]
    expected = [
        export_script(config).strip()
        for preset in presets.PRESETS.values()
        if preset.engine_runs
        for config in preset.configs.values()
        if isinstance(config, RunConfig)
    ]
    assert expected and sorted(shown) == sorted(expected)
