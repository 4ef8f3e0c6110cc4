"""AppTest of every page in explorer_app.py's registry: it runs without an exception and shows no missing
catalogue key; its URL round-trips both ways with non-default values (URL -> widgets -> the same URL, and
a fresh session on that URL holds the same widgets); every parameter it reads, given a hostile value,
is named in a warning and replaced by its default; and a run that diverges says so on the page.

A page added to the registry fails `test_every_page_has_its_cases` until it is given cases below.
"""

from __future__ import annotations

import functools
import re

import pytest
from streamlit.testing.v1 import AppTest

from explorer import i18n
from tests.app import helpers
from tests.app.helpers import open_page as open_path
from tests.app.helpers import url, warnings_text
from tests.app_registry import Page, pages

PAGES = pages()
MISSING_KEY = "⟦".encode()  # i18n shows a missing catalogue key as ⟦section.key⟧
t = i18n.translator("en")

# Small, valid, non-default values for EVERY parameter a page keeps in the URL (each on its widget's grid).
SMALL_RUN = {
    "depth": "5", "width": "8", "activation": "tanh", "init": "xavier", "init_scale": "1.5", "bias_std": "0.1", "norm": "layer",
    "residual": "true", "optimizer": "adam", "lr": "0.01", "steps": "12", "batch_size": "32",
    "clip_norm": "0.5", "weight_decay": "0.001", "dataset": "moons", "seed": "3", "freeze_first": "2",
}  # fmt: skip
NON_DEFAULT: dict[str, dict[str, str]] = {
    "tour": {"step": "4"},
    "why_gradient_descent": {"lr": "0.5", "start_w": "-2.0", "start_b": "2.0", "steps": "30"},
    "activation_derivatives": {"slope": "0.2", "alpha": "0.5", "n_layers": "6", "w_abs": "3.0"},
    "chain_rule": {
        "x": "0.5",
        "y": "0.25",
        "w1": "1.5",
        "w2": "-0.5",
        "w3": "2.0",
        "w4": "0.7",
        "b1": "0.1",
        "b2": "-0.3",
        "b3": "0.2",
        "b4": "0.4",
        "activation": "tanh",
    },  # fmt: skip
    "lab": SMALL_RUN,
    "remedy_comparison": {**SMALL_RUN, "remedy": "batch_norm"},
    "shallow_net": {
        "depth": "6",
        "freeze_first": "3",
        "clip_norm": "off",
        "weight_decay": "0.0",
        "bias_std": "0.0",
        "width": "16",
        "activation": "tanh",
        "init": "xavier",
        "init_scale": "1.5",
        "norm": "layer",
        "residual": "true",
        "optimizer": "adam",
        "lr": "0.01",
        "steps": "20",
        "batch_size": "64",
        "dataset": "xor",
        "seed": "2",
    },  # fmt: skip
    "rnn_vs_lstm": {
        "cell": "rnn",
        "seq_len": "12",
        "hidden": "8",
        "recurrent_scale": "0.8",
        "forget_bias": "2.0",
        "lr": "0.02",
        "steps": "20",
        "seed": "1",
    },  # fmt: skip
    "pretraining": {
        "depth": "4",
        "width": "16",
        "pretrain_steps": "20",
        "pretrain_lr": "0.02",
        "steps": "30",
        "lr": "0.2",
        "batch_size": "64",
        "dataset": "xor",
        "seed": "1",
    },  # fmt: skip
    "exploding_gradients": {
        "depth": "4",
        "width": "16",
        "init_scale": "2.0",
        "lr": "0.05",
        "steps": "20",
        "clip_norm": "0.5",
        "clip_value": "0.1",
        "weight_decay": "0.01",
        "seed": "1",
        "toy_w": "6.0",
        "toy_b": "-1.0",
        "toy_lr": "0.02",
        "toy_steps": "50",
        "toy_clip": "10.0",
        "toy_horizon": "30",
    },  # fmt: skip
    "activation_cost": {"log2_size": "16"},
    "jacobian_spectrum": {
        "variant": "input",
        "depth": "6",
        "width": "16",
        "activation": "tanh",
        "init": "orthogonal",
        "init_scale": "0.9",
        "norm": "layer",
        "residual": "true",
    },  # fmt: skip
    "order_to_chaos": {"sigma_w2": "2.5", "sigma_b2": "0.1", "depth": "8", "width": "32"},
    "run_board": {
        "pins": "deep%20tanh~depth:5,width:8,activation:tanh,steps:12,batch_size:32|~width:8,steps:10,seed:3"
    },
}
# Parameters a page writes but has no widget for, so a link cannot change them (the RNN page runs both cells).
FIXED = {"rnn_vs_lstm": {"cell"}, "shallow_net": {"clip_norm", "weight_decay", "bias_std"}}
# Pages that keep nothing in the URL (no setting to share).
STATELESS = {"papers", "normalisation_residual"}  # fixed, measured demonstrations: no settings

# A run that overflows, and the catalogue entry the page must show for it. Pages absent here run nothing
# that can overflow (closed forms in float64, timings, the papers' fixed presets).
LINEAR_BLOWUP = {"activation": "linear", "depth": "20", "init_scale": "4.0", "lr": "1.0", "steps": "50", "width": "16", "batch_size": "64"}  # fmt: skip
DIVERGING: dict[str, tuple[dict[str, str], str]] = {
    "lab": (LINEAR_BLOWUP, "ui.diverged"),
    "remedy_comparison": ({**LINEAR_BLOWUP, "remedy": "weight_decay"}, "compare.diverged"),
    "shallow_net": ({**LINEAR_BLOWUP, "frozen": "5"}, "shallow.diverged"),
    "exploding_gradients": ({"init_scale": "4.0", "lr": "2.0", "depth": "24"}, "exploding.fate_diverged"),
    # the config of test_rnn_vs_lstm.py's overflow test: computed once for both
    "rnn_vs_lstm": (
        {"cell": "rnn", "recurrent_scale": "4.0", "seq_len": "200", "lr": "1.0", "steps": "4"},
        "rnn.trend_overflow",
    ),
    "run_board": ({"pins": "~" + ",".join(f"{k}:{v}" for k, v in LINEAR_BLOWUP.items())}, "board.diverged"),
}
# Within their bounds these pages' runs never overflowed (sigmoid nets and a one-neuron surface; tried up
# to the largest learning rates), so the page is given the real result with an overflow written in.
DIVERGING_STUBBED: dict[str, tuple[dict[str, str], str, str, dict]] = {
    "why_gradient_descent": (
        {"lr": "2.5", "steps": "37"}, "why.outcome_diverged", "explorer.lessons.surface.descend",
        {"diverged_at": 17, "outcome": "diverged"},
    ),
    "pretraining": (
        {"steps": "37", "pretrain_steps": "10", "depth": "3"}, "pretrain.diverged",
        "explorer.lessons.pretrain.run_pretraining", {"diverged_at": {"pretrained": None, "random": 17}},
    ),
}  # fmt: skip
HOSTILE_VALUES = ("abc", "nan", "-1e308", "<script>", "inf", "1e999")


def open_page(page: Page, query: dict[str, str] | None = None) -> AppTest:
    return open_path(page.path, query)


@functools.cache
def default_url(page: Page) -> dict[str, str]:
    at = open_page(page)
    assert not at.exception, f"{page.path}: {at.exception}"
    return url(at)


def nodes(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from nodes(child)


def missing_keys(at: AppTest) -> list[str]:
    """Rendered elements (text, widget labels, chart specs) that contain a ⟦missing.key⟧."""
    found = []
    for node in nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString") and MISSING_KEY in proto.SerializeToString():
            found.extend(sorted(set(re.findall(r"⟦[^⟧]*⟧", proto.SerializeToString().decode("utf-8", "replace")))))
    return found


def widget_values(at: AppTest) -> dict[str, object]:
    """Every keyed widget's value (sidebar and main area), buttons aside."""
    found = {}
    for node in nodes(at._tree):
        key, kind = getattr(node, "key", None), getattr(node, "type", "")
        if key and hasattr(node, "value") and kind not in ("button", "download_button"):
            found[key] = node.value
    return found


def filled_in(key: str, text: str) -> dict[str, str] | None:
    return helpers.filled_in(key, text, whole=False)  # the entry anywhere in the text


def shown_texts(at: AppTest) -> list[str]:
    """Markdown, callouts, captions and table cells of a run."""
    texts = [
        str(block.value)
        for kind in ("markdown", "caption", "info", "warning", "error", "success")
        for block in at.get(kind)
    ]
    for frame in at.get("arrow_data_frame"):
        texts += [str(cell) for cell in frame.value.to_numpy().ravel()]
    return texts


def test_every_page_has_its_cases():
    registered = {page.url_path for page in PAGES}
    assert set(NON_DEFAULT) | STATELESS == registered, "give every page non-default URL values (or mark it stateless)"
    assert set(DIVERGING) <= registered and set(DIVERGING_STUBBED) <= registered


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_page_runs_cleanly(page: Page):
    at = open_page(page)
    assert not at.exception, f"{page.path}: {at.exception}"
    assert at.title or at.header, f"{page.path} shows no title"
    missing = sorted(set(missing_keys(at)))
    assert not missing, f"{page.path} shows catalogue keys that do not exist: {missing}"
    assert helpers.quote_problem(at, page.key, "en") is None  # a material page opens with its article quote


STATEFUL = [page for page in PAGES if page.url_path not in STATELESS]


@pytest.mark.parametrize("page", STATEFUL, ids=[p.url_path for p in STATEFUL])
def test_url_round_trips_through_the_widgets(page: Page):
    defaults = default_url(page)
    query = {"lang": "en", **NON_DEFAULT[page.url_path]}
    assert set(query) == set(defaults), f"{page.path} reads {sorted(defaults)}; the case gives {sorted(query)}"
    fixed = FIXED.get(page.url_path, set())
    same = [name for name in query if name not in {"lang", *fixed} and query[name] == defaults[name]]
    assert not same, f"values equal to the defaults test nothing: {same}"

    at = open_page(page, query)
    assert not at.exception, f"{page.path}: {at.exception}"
    assert t("ui.url_ignored") not in warnings_text(at), warnings_text(at)
    assert url(at) == query  # URL -> widgets -> the same URL: every value was taken, none rewritten

    again = open_page(page, url(at))  # a fresh session on the link the page wrote: the same widgets
    assert not again.exception, f"{page.path}: {again.exception}"
    assert widget_values(again) == widget_values(at)
    assert url(again) == query


@pytest.mark.parametrize("page", STATEFUL, ids=[p.url_path for p in STATEFUL])
def test_hostile_url_warns_by_name_and_falls_back_to_defaults(page: Page):
    defaults = default_url(page)
    names = sorted(name for name in defaults if name != "lang")
    hostile = {name: HOSTILE_VALUES[i % len(HOSTILE_VALUES)] for i, name in enumerate(names)} | {"lang": "xx"}
    at = open_page(page, hostile)
    assert not at.exception, f"{page.path}: {at.exception}"
    text = warnings_text(at)
    assert t("ui.url_ignored") in text, f"{page.path} gave no URL warning: {text!r}"
    for name in names:
        assert f"`{name}`" in text or name in text, f"{page.path} read {name}={hostile[name]!r} without naming it"
    assert url(at) == defaults, f"{page.path} did not fall back to its defaults"


@pytest.mark.parametrize("page", sorted(STATELESS))
def test_a_stateless_page_reads_no_setting_from_the_url(page: str):
    at = open_page(next(p for p in PAGES if p.url_path == page), {"depth": "abc", "lr": "nan"})
    assert not at.exception
    assert t("ui.url_ignored") not in warnings_text(at)
    assert url(at) == {"depth": "abc", "lr": "nan"}  # left alone: this page writes nothing


@pytest.mark.parametrize("name", sorted(DIVERGING))
def test_a_diverging_run_says_so_on_the_page(name: str):
    page = next(p for p in PAGES if p.url_path == name)
    query, key = DIVERGING[name]
    at = open_page(page, query)
    assert not at.exception, f"{page.path}: {at.exception}"
    found = [values for text in shown_texts(at) if (values := filled_in(key, text)) is not None]
    assert found, f"{page.path} shows no {key!r} for a run that overflows; texts: {shown_texts(at)[:8]}"
    for values in found:
        if "step" in values:
            assert values["step"].isdigit(), values


@pytest.mark.parametrize("name", sorted(DIVERGING_STUBBED))
def test_an_overflow_in_a_stubbed_run_says_so_on_the_page(name: str, monkeypatch):
    import dataclasses
    import importlib

    query, key, target, changes = DIVERGING_STUBBED[name]
    module_name, _, function_name = target.rpartition(".")
    module = importlib.import_module(module_name)
    real = getattr(module, function_name)

    @functools.wraps(real)  # the page's cache looks the function up by its module and name
    def overflowing(config):
        return dataclasses.replace(real(config), **changes)

    monkeypatch.setattr(module, function_name, overflowing)
    at = open_page(next(p for p in PAGES if p.url_path == name), query)
    assert not at.exception, at.exception
    found = [values for text in shown_texts(at) if (values := filled_in(key, text)) is not None]
    assert found and found[0]["step"] == "17", f"no {key!r} with step 17 in {shown_texts(at)[:6]}"
