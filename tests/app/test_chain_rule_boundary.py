"""The chain-rule page states the verdict on either side of each boundary, read from the text a reader sees:
the product of the factors just inside and just outside the tolerance that calls it 1, a dead ReLU just
on and just off zero, a zero input. The expected numbers come from the chain written out by hand in
tests/lessons/test_chain_boundary.py, not from the lesson's verdict."""

from __future__ import annotations

import pytest

from explorer import i18n
from explorer.lessons.chain import ChainConfig
from tests.app.boundary import read
from tests.app.helpers import info_text, open_page, warnings_text
from tests.lessons.test_chain_boundary import CASES, relu_chain

CHAIN = "pages/chain_rule.py"


def said_on_the_page(query: dict[str, str], lang: str = "en") -> tuple[str, dict[str, str], str, dict[str, str]]:
    """The (verdict kind, its numbers, moves, its numbers) the page's callout states."""
    at = open_page(CHAIN, {**query, "lang": lang})
    assert not at.exception, at.exception
    text = info_text(at) + "\n" + warnings_text(at)
    kinds = {
        k: v
        for k in ("vanish", "explode", "neutral", "zero", "one_zero")
        if (v := read(f"chain.verdict_{k}", text, lang)) is not None
    }
    moves = {m: v for m in ("less", "more", "same") if (v := read(f"chain.moves_{m}", text, lang)) is not None}
    assert len(kinds) == 1 and len(moves) <= 1, (kinds, moves, text)
    ((kind, numbers),) = kinds.items()
    ((move, move_numbers),) = moves.items() if moves else [(None, {})]
    return kind, numbers, move, move_numbers


@pytest.mark.parametrize(("w4", "kind", "moves"), CASES)
def test_the_page_calls_the_product_1_only_within_the_tolerance(w4, kind, moves):
    config = ChainConfig(activation="relu", w4=w4)
    expected = relu_chain(config)
    shown, numbers, move, move_numbers = said_on_the_page(config.to_query())
    assert (shown, move) == (kind, moves)
    if kind == "neutral":
        assert numbers["product"] == "1.000e+00"
    else:
        stated = float(numbers["product"])
        assert stated == pytest.approx(expected["product"], rel=1e-14)
        assert stated < 1 if kind == "vanish" else stated > 1  # never "1.000e+00 ... this is vanishing"
        assert numbers["below" if kind == "vanish" else "above"] == "1"
    assert move_numbers["grad_w1"] == f"{expected['grad_w1']:.4e}"
    assert move_numbers["grad_w4"] == f"{expected['grad_w4']:.4e}"
    ratio = abs(expected["grad_w1"] / expected["grad_w4"])
    if moves == "less":
        assert (
            float(move_numbers["inverse"]) == pytest.approx(1 / ratio, rel=1e-14) and float(move_numbers["inverse"]) > 1
        )
    if moves == "more":
        assert float(move_numbers["ratio"]) == pytest.approx(ratio, rel=1e-14) and float(move_numbers["ratio"]) > 1


@pytest.mark.parametrize(("b2", "kind"), [(-1.1, "zero"), (-0.9, "neutral")])
def test_a_dead_relu_is_a_warning_and_a_live_one_is_not(b2, kind):
    config = ChainConfig(activation="relu", b2=b2)
    expected = relu_chain(config)
    at = open_page(CHAIN, config.to_query())
    assert not at.exception, at.exception
    if kind == "zero":
        assert [w.value for w in at.warning] == [i18n.catalogue("en")["chain.verdict_zero"]] and not at.info
        assert expected["grad_w1"] == expected["grad_w4"] == 0
    else:
        assert not at.warning
        assert read("chain.verdict_neutral", info_text(at)) is not None
        moves = read("chain.moves_more", info_text(at))  # h₃ = 0.1, x = 1: w₁ moves 10× more
        assert float(moves["ratio"]) == pytest.approx(abs(expected["grad_w1"] / expected["grad_w4"]), rel=1e-3)


@pytest.mark.parametrize(("x", "kind"), [(0.0, "one_zero"), (0.1, "vanish")])
def test_a_zero_input_says_one_gradient_is_zero(x, kind):
    shown, numbers, move, _ = said_on_the_page(ChainConfig(x=x).to_query())
    assert shown == kind
    if kind == "one_zero":
        assert move is None and float(numbers["grad_w1"]) == 0.0 and float(numbers["grad_w4"]) != 0.0


@pytest.mark.parametrize(("w4", "kind", "moves"), [CASES[0], CASES[1]])
def test_chinese_states_the_same_verdict_and_numbers(w4, kind, moves):
    config = ChainConfig(activation="relu", w4=w4)
    en = said_on_the_page(config.to_query())
    zh = said_on_the_page(config.to_query(), lang="zh")
    assert en[0] == zh[0] == kind and en[2] == zh[2] == moves
    assert {k: v for k, v in zh[1].items()} == en[1] and zh[3] == en[3]
