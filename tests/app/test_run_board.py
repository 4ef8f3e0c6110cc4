"""The board of pinned runs: pins from the URL -> table and charts with a direct run's numbers; removing
and relabelling a pin rewrites the URL; the total compute bound; hostile URLs; the lab's Pin button."""

import pandas as pd
import pytest

from explorer.engine import measures
from explorer.engine.config import RunConfig
from explorer.engine.train import run
from explorer.lessons.board import Board, Pin
from tests.app.helpers import assert_clean, chart_rows, open_page, t, titles, url, warnings_text

PAGE = "pages/run_board.py"
A = RunConfig(depth=6, width=8, steps=10, batch_size=32, activation="sigmoid")
B = RunConfig(depth=4, width=8, steps=12, batch_size=32, activation="relu", init="he", seed=2)
C = RunConfig(depth=3, width=16, steps=8, batch_size=32, activation="tanh", norm="layer")
BOARD = Board((Pin(A, "sigmoid, deep"), Pin(B, "relu | he"), Pin(C)))


def table(at) -> pd.DataFrame:
    return at.dataframe[0].value


def test_pins_from_the_url_give_the_direct_runs_numbers():
    at = open_page(PAGE, {"lang": "en", **BOARD.to_query()})
    assert_clean(at)
    assert url(at) == {"lang": "en", **BOARD.to_query()}
    names = ["1. sigmoid, deep", "2. relu | he", "3. depth 3, width 16, Tanh, LayerNorm, ste…"]  # 40 characters
    found = table(at)
    assert list(found.pin) == names
    for row, config in zip(found.itertuples(), (A, B, C), strict=True):
        result = run(config)
        layers = result.layers  # the oracle: the raw table, layer 1 over the last hidden layer (= depth)
        at0 = layers[layers.step == 0].set_index("layer").signal_norm
        ratio = at0.loc[1] / at0.loc[config.depth]
        assert row.signal_ratio == pytest.approx(ratio, rel=1e-9)
        assert row.kind == t(f"board.kind_{measures.flow_kind(ratio)}")
        assert row.final_loss == pytest.approx(result.steps.loss.iloc[-1])
        assert row.accuracy == pytest.approx(result.steps.accuracy.iloc[-1])
        assert row.diverged_at == "—"
    assert titles(at) == [
        t("board.signal_start_title"), t("board.signal_end_title"), t("charts.loss_title"),
        t("charts.accuracy_title"), t("compare.update_title"),
    ]  # fmt: skip
    charts = at.get("vega_lite_chart")
    start = chart_rows(charts[0])
    assert set(start.pin) == set(names) and set(start.step) == {0}
    deep = start[start.pin == names[0]].set_index("layer").signal_norm
    direct = run(A).layers
    assert deep.to_dict() == pytest.approx(direct[direct.step == 0].set_index("layer").signal_norm.to_dict())
    updates = chart_rows(charts[4])
    mine = updates[updates.pin == names[1]].set_index("layer").update_ratio
    assert mine.to_dict() == pytest.approx(measures.mean_update_ratio(run(B).layers).to_dict())


def test_removing_a_pin_rewrites_the_url_and_the_table():
    at = open_page(PAGE, {"lang": "en", **BOARD.to_query()})
    at.button(key="board.remove.0").click().run()
    assert_clean(at)
    assert url(at)["pins"] == Board(BOARD.pins[1:]).to_query()["pins"]
    assert list(table(at).pin) == ["1. relu | he", "2. depth 3, width 16, Tanh, LayerNorm, ste…"]
    assert at.text_input(key="board.label.0").value == "relu | he"


def test_an_edited_label_goes_into_the_url_and_the_charts():
    at = open_page(PAGE, {"lang": "en", **BOARD.to_query()})
    at.text_input(key="board.label.2").input("  layer  norm, 3 deep ~ % ").run()
    assert_clean(at)
    again, problems = Board.from_query({"pins": url(at)["pins"]})
    assert not problems and again.pins[2] == Pin(C, "layer norm, 3 deep ~ %")
    assert "3. layer norm, 3 deep ~ %" in set(chart_rows(at.get("vega_lite_chart")[2]).pin)


def test_a_board_over_the_shared_bound_is_refused():
    big = RunConfig(depth=30, width=128, steps=500)  # about 11 s each: each alone is allowed, two are not
    assert big.bound_problem() is None
    board = Board((Pin(big, "one"), Pin(big.replace(seed=1), "two")))
    at = open_page(PAGE, {"lang": "en", **board.to_query()})
    assert_clean(at)
    seconds = f"{board.estimated_seconds():.0f}"
    assert [e.value for e in at.error] == [t("ui.too_large", seconds=seconds, limit="15")]
    assert not at.dataframe and not at.get("vega_lite_chart")
    assert at.button(key="board.remove.1")  # the reader can still remove a pin


def test_hostile_pins_warn_by_name_and_a_ninth_is_refused():
    nine = "|".join(f"p{i}~depth:3,width:8,steps:5,seed:{i}" for i in range(9))
    at = open_page(PAGE, {"lang": "en", "pins": nine + "|x~depth:abc|<script>"})
    assert_clean(at)
    text = warnings_text(at)
    assert t("ui.url_ignored") in text and "`pins`" in text
    assert len(table(at)) == 8
    assert "<script>" not in url(at)["pins"]


def test_an_empty_board_says_how_to_pin():
    at = open_page(PAGE)
    assert_clean(at)
    assert t("board.empty") in [i.value for i in at.info]
    assert url(at) == {"lang": "en", "pins": ""}


def test_zh_board_names_a_default_pin_in_chinese():
    board = Board(
        (
            Pin(RunConfig(depth=3, width=8, steps=5, seed=1), "一"),
            Pin(RunConfig(depth=3, width=8, steps=5)),
            Pin(RunConfig()),
        )
    )
    at = open_page(PAGE, {"lang": "zh", **board.to_query()})
    assert_clean(at)
    assert at.title[0].value == "固定运行看板"
    assert list(table(at).pin) == ["1. 一", "2. 深度 3，宽度 8，步数 5", "3. 无（实验室的默认设置）"]
    plain = Board((Pin(RunConfig(steps=5)), Pin(RunConfig(), "x")))
    assert plain.names("无（实验室的默认设置）")[1] == "2. x"
    assert Board((Pin(RunConfig()),)).names("无（实验室的默认设置）") == ["1. 无（实验室的默认设置）"]


def test_the_lab_pin_button_adds_to_the_url_and_the_board():
    query = {"lang": "en", **A.to_query()}
    at = open_page("pages/lab.py", query)
    pin = next(b for b in at.sidebar.button if b.label == t("board.pin_button"))
    pin.click().run()
    assert_clean(at)
    assert url(at)["pins"] == Board((Pin(A),)).to_query()["pins"]
    assert t("board.pinned", n=1, limit=8) in [s.value for s in at.sidebar.success]
    pin = next(b for b in at.sidebar.button if b.label == t("board.pin_button"))
    pin.click().run()  # the same configuration again: not pinned twice
    assert t("board.already", n=1) in [i.value for i in at.sidebar.info]
    at.switch_page(PAGE).run()
    assert_clean(at)
    assert list(table(at).pin) == ["1. depth 6, width 8, steps 10, batch 32"]
    assert url(at)["pins"] == Board((Pin(A),)).to_query()["pins"]  # survives the page switch


def test_a_full_board_refuses_the_lab_pin():
    eight = "|".join(f"p{i}~depth:3,width:8,steps:5,seed:{i + 1}" for i in range(8))
    at = open_page("pages/lab.py", {"lang": "en", **A.to_query(), "pins": eight})
    next(b for b in at.sidebar.button if b.label == t("board.pin_button")).click().run()
    assert_clean(at)
    assert t("board.full", limit=8) in [w.value for w in at.sidebar.warning]
    assert url(at)["pins"] == eight


def test_a_pins_settings_read_in_the_readers_language():
    """Every non-default setting of a pin without a label, in words from the catalogues: no URL field names."""
    every = RunConfig(
        depth=3, width=8, activation="relu", init="orthogonal", init_scale=1.2, bias_std=0.1, norm="batch",
        residual=True, optimizer="adam", lr=0.05, steps=5, batch_size=32, clip_norm=1.0, weight_decay=0.001,
        dataset="moons", seed=3, freeze_first=2,
    )  # fmt: skip
    board = Board((Pin(every),))
    expected = {
        "en": "depth 3, width 8, ReLU, Orthogonal init, init scale ×1.2, σ_b 0.1, BatchNorm, residual connections, "
        "Adam, learning rate 0.05, steps 5, batch 32, clipped at norm 1.0, weight decay 0.001, Two moons, seed 3, "
        "frozen layers 2",
        "zh": "深度 3，宽度 8，ReLU，正交 初始化，初始化缩放 ×1.2，偏置标准差 σ_b 0.1，批归一化，残差连接，Adam，学习率 0.05，"
        "步数 5，批大小 32，梯度剪切阈值 1.0，权重衰减 0.001，双月牙，随机种子 3，冻结前 2 层",
    }
    for lang, summary in expected.items():
        at = open_page(PAGE, {"lang": lang, **board.to_query()})
        assert_clean(at)
        caption = " ".join(c.value for c in at.caption)
        assert summary in caption
        assert at.text_input(key="board.label.0").placeholder == summary
        assert list(table(at).pin) == [f"1. {summary[:39].rstrip()}…"]
        if lang == "zh":
            assert not {"depth", "activation", "init_scale", "batch_size", "freeze_first"} & set(caption.split())


def test_a_board_link_opened_on_another_page_keeps_its_pins():
    """A link to any page carries the session's pins; a fresh session opening it keeps them through page
    switches and finds them on the board (they were read only by the lab and the board, and dropped elsewhere)."""
    at = open_page("pages/chain_rule.py", {"lang": "zh", **BOARD.to_query()})
    assert_clean(at)
    assert url(at)["pins"] == BOARD.to_query()["pins"]
    at.switch_page(PAGE).run()
    assert_clean(at)
    assert url(at)["pins"] == BOARD.to_query()["pins"]
    assert list(table(at).pin)[:2] == ["1. sigmoid, deep", "2. relu | he"]
