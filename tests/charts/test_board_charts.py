"""The board's chart builders (charts/board.py): what each spec encodes and the rows it carries."""

import pandas as pd
import pytest

from explorer.charts import board as charts
from explorer.engine.config import RunConfig
from explorer.engine.train import run
from explorer.i18n import translator
from explorer.lessons.board import tidy

t = translator("en")
A = RunConfig(depth=4, width=8, steps=8, batch_size=32)
B = A.replace(depth=2, activation="relu", init="he")
NAMES = ["1. a", "2. b"]


@pytest.fixture(scope="module")
def frames():
    return tidy(NAMES, [run(A), run(B)])


def rows(spec: dict) -> pd.DataFrame:
    return pd.DataFrame(next(iter(spec["datasets"].values())))


def test_signal_at_start_and_end_one_colour_per_pin(frames):
    layers, _, _ = frames
    start = charts.signal_by_layer(layers, NAMES, "start", t).to_dict()
    end = charts.signal_by_layer(layers, NAMES, "end", t).to_dict()
    assert start["title"] == t("board.signal_start_title") and end["title"] == t("board.signal_end_title")
    assert start["encoding"]["color"]["scale"] == {"domain": NAMES, "range": list(charts.PIN_COLOURS[:2])}
    assert start["encoding"]["y"]["scale"]["type"] == "log"
    assert set(rows(start).step) == {0}
    last = rows(end).groupby("pin").step.max().to_dict()
    assert last == {"1. a": 8, "2. b": 8}  # each pin at its own final recorded step
    assert len(rows(end)) == (A.depth + 1) + (B.depth + 1)


def test_curves_and_update_ratio(frames):
    _, steps, updates = frames
    loss = charts.curves(steps, NAMES, "loss", t).to_dict()
    acc = charts.curves(steps, NAMES, "accuracy", t).to_dict()
    assert loss["encoding"]["y"]["field"] == "loss" and acc["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert len(rows(loss)) == len(steps)
    update = charts.mean_update_ratio(updates, NAMES, t).to_dict()
    assert update["encoding"]["y"]["field"] == "update_ratio"
    assert rows(update).set_index(["pin", "layer"]).update_ratio.to_dict() == pytest.approx(
        updates.set_index(["pin", "layer"]).update_ratio.to_dict()
    )


def test_eight_pins_get_eight_colours_and_empty_frames_say_so(frames):
    names = [f"{i}. x" for i in range(1, 9)]
    layers = pd.concat([frames[0].assign(pin=n) for n in names])
    spec = charts.signal_by_layer(layers, names, "start", t).to_dict()
    assert len(set(spec["encoding"]["color"]["scale"]["range"])) == 8
    empty = charts.mean_update_ratio(frames[2].iloc[0:0], NAMES, t).to_dict()
    assert t("charts.no_updates") in str(empty)
