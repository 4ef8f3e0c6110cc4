"""The board's pins codec (lessons/board.py) and its key figures against a direct run."""

import math

import pytest

from explorer.engine.config import RunConfig
from explorer.engine.train import run
from explorer.lessons.board import MAX_LABEL, MAX_PINS, Board, Pin, figures, tidy

SMALL = RunConfig(depth=3, width=8, steps=6, batch_size=32)


def test_round_trip_keeps_configs_and_labels():
    board = Board(
        (
            Pin(RunConfig(), ""),
            Pin(SMALL.replace(activation="relu", init="he", clip_norm=0.5, residual=True), "relu | he, clip: 0.5 ~ ok"),
            Pin(SMALL.replace(lr=0.03, norm="layer"), "深层 网络 %20 & = ? # /"),
        )
    )
    encoded = board.to_query()
    again, problems = Board.from_query(encoded)
    assert problems == []
    assert again == board
    assert again.to_query() == encoded


def test_only_non_default_fields_are_written():
    encoded = Board((Pin(RunConfig(depth=30, activation="relu"), "a b"),)).to_query()["pins"]
    assert encoded == "a%20b~depth:30,activation:relu"
    assert Board((Pin(RunConfig()),)).to_query()["pins"] == "~"
    assert Board().to_query() == {"pins": ""}


@pytest.mark.parametrize(
    "raw, kept, named",
    [
        ("abc", 0, "pins 1"),  # no label separator: the pin is dropped
        ("<script>", 0, "pins 1"),
        ("x~depth:abc", 1, "pins 1: depth"),  # a bad value falls back to the default
        ("x~depth:1e999,lr:nan", 1, "pins 1: lr"),
        ("x~colour:red", 1, "pins 1: colour"),  # not a run setting
        ("x~depth", 1, "pins 1: depth"),  # no value
        ("~depth:3|~depth:3,freeze_first:9", 2, "pins 2: freeze_first"),  # a cross-field rule
    ],
)
def test_hostile_values_are_named_and_never_raise(raw, kept, named):
    board, problems = Board.from_query({"pins": raw})
    assert len(board.pins) == kept
    assert any(p.field == named for p in problems), [p.field for p in problems]
    for pin in board.pins:
        assert pin.config.depth in (RunConfig.depth, 3)
        assert pin.config.lr == RunConfig.lr


def test_a_repeated_parameter_takes_the_last_and_garbage_types_do_not_raise():
    board, problems = Board.from_query({"pins": ["~depth:3", "~depth:4"]})
    assert [p.config.depth for p in board.pins] == [4] and not problems
    for raw in ("", "|||", "~" * 5000, "%ff%fe~", "\x00~\n", 12):
        Board.from_query({"pins": raw})


def test_the_ninth_pin_is_refused():
    nine = "|".join(f"p{i}~seed:{i}" for i in range(9))
    board, problems = Board.from_query({"pins": nine})
    assert len(board.pins) == MAX_PINS == 8
    assert [p.config.seed for p in board.pins] == list(range(8))
    assert len(problems) == 1 and problems[0].field == "pins"
    assert board.with_pin(Pin(SMALL)) is None
    assert Board(board.pins[:7]).with_pin(Pin(SMALL)).pins[-1] == Pin(SMALL)


def test_labels_are_one_line_and_bounded():
    board = Board((Pin(SMALL, "a"),)).relabelled(0, "  two\nlines\t" + "x" * 100)
    assert board.pins[0].label == ("two lines " + "x" * 100)[:MAX_LABEL]
    again, _ = Board.from_query(board.to_query())
    assert again == board
    assert Board((Pin(SMALL, ""), Pin(SMALL, "b"))).without(0).pins == (Pin(SMALL, "b"),)


def test_names_are_numbered_so_equal_labels_stay_apart():
    board = Board((Pin(SMALL, "same"), Pin(SMALL.replace(seed=1), "same"), Pin(RunConfig())))
    assert board.names() == ["1. same", "2. same", "3. default"]
    long = Board((Pin(RunConfig(depth=3, width=16, activation="tanh", norm="layer", steps=8)),))
    assert long.names() == ["1. depth 3, width 16, activation tanh, nor…"]  # 40 characters at most
    assert board.estimated_seconds() == pytest.approx(2 * SMALL.estimated_seconds() + RunConfig().estimated_seconds())


def test_figures_match_a_direct_run():
    config = SMALL.replace(activation="sigmoid", depth=5)
    result = run(config)
    found = figures("1. x", result)
    layers = result.layers
    at0 = layers[layers.step == 0].set_index("layer").signal_norm
    expected = at0.loc[1] / at0.loc[config.depth]  # layer 1 over the last hidden layer (depth + 1 is the output)
    assert found["signal_ratio"] == pytest.approx(expected, rel=1e-12)
    assert found["kind"] == ("vanishing" if expected < 0.1 else "exploding" if expected > 10 else "stable")
    final = result.steps[result.steps.step == result.steps.step.max()].iloc[0]
    assert found["final_loss"] == pytest.approx(final.loss) and found["accuracy"] == pytest.approx(final.accuracy)
    assert found["diverged_at"] is None


def test_tidy_stacks_every_pin_and_means_the_applied_updates():
    results = [run(SMALL), run(SMALL.replace(depth=2))]
    layers, steps, updates = tidy(["a", "b"], results)
    assert len(layers) == sum(len(r.layers) for r in results)
    assert set(steps.pin) == {"a", "b"}
    b = results[1].layers
    applied = b[b.update_ratio.notna() & b.update_ratio.map(math.isfinite)]
    for layer, mean in applied.groupby("layer").update_ratio.mean().items():
        got = updates[(updates.pin == "b") & (updates.layer == layer)].update_ratio.iloc[0]
        assert got == pytest.approx(mean)
    assert len(updates[updates.pin == "b"]) == 3  # two hidden layers and the output layer
