"""The RNN page's verdicts at each boundary, from results built by hand (held-out accuracies, ‖∂L/∂h_t‖ by t,
λ₁ by step): learned at 90% and not one eval sample below it, near guessing within 0.1 of chance, λ₁ below
1 or at and above it, the gradient at t = 1 below or above the last step's, which cell keeps more. Every
threshold is written out here independently of the lesson; accuracies move by one held-out sample
(1/512), the others by 1% or less.
"""

from __future__ import annotations

import math

import pytest

from explorer.lessons import rnn_view
from explorer.lessons.recurrent import EVAL_SIZE
from explorer.lessons.verdict import Sentence
from tests.lessons.test_rnn_view import fabricated

LEARNED, CHANCE, NEAR = 0.9, 0.25, 0.1
ONE = 1 / EVAL_SIZE  # one held-out sample


@pytest.mark.parametrize(
    ("final", "key", "shown"),
    [
        (LEARNED, "rnn.outcome_learned", "90%"),
        (LEARNED - ONE, "rnn.outcome_partly", "89.8%"),  # not "final accuracy 90%, ... below 90%"
        (LEARNED - 1e-4, "rnn.outcome_partly", "89.99%"),
        (CHANCE + NEAR + ONE, "rnn.outcome_partly", "35%"),
        (CHANCE + NEAR - ONE, "rnn.outcome_chance", "35%"),
    ],
)
def test_outcome_on_either_side_of_learned_and_of_near_chance(final, key, shown):
    said = rnn_view.outcome(Sentence("rnn.series_rnn"), fabricated([CHANCE, final]))
    assert said.key == key
    assert said.values["final"] == shown
    if key == "rnn.outcome_learned":
        assert said.values["step"] == 1
    if key == "rnn.outcome_chance":
        assert said.values["chance"] == "25%"


def test_learned_is_the_first_step_at_90_percent_not_the_last():
    said = rnn_view.outcome(Sentence("x"), fabricated([CHANCE, LEARNED - ONE, LEARNED, 0.5]))
    assert (said.key, said.values["step"], said.values["final"]) == ("rnn.outcome_learned", 2, "50%")


@pytest.mark.parametrize(
    ("lam", "key"),
    [(0.999, "rnn.verdict_lambda_below"), (1.0, "rnn.verdict_lambda_above"), (1.001, "rnn.verdict_lambda_above")],
)
def test_lambda_below_one_guarantees_vanishing_and_at_or_above_guarantees_nothing(lam, key):
    grads = [0.5, 0.7, 0.9, 1.0]  # T = 4: reach 0.5
    side = rnn_view.lambda_verdict(fabricated([0.2, 0.3], grads=grads, sigma=[lam, lam]))[0]
    assert side.key == key
    assert side.values["lam"] == f"{lam:.3f}" and side.values["reach"] == "5.0e-01"
    if key == "rnn.verdict_lambda_below":
        assert side.values["bound"] == f"{lam**3:.1e}" and side.values["T"] == 4


@pytest.mark.parametrize(
    ("first", "trend", "factor"),
    [
        (0.99, "rnn.trend_vanished", 0.99 ** (1 / 3)),
        (1.01, "rnn.trend_grew", 1.01 ** (1 / 3)),
        (math.inf, "rnn.trend_overflow", None),
    ],
)
def test_above_one_the_trend_follows_the_gradient_at_t_1_against_the_last(first, trend, factor):
    side = rnn_view.lambda_verdict(fabricated([0.2, 0.3], grads=[first, 1.0, 1.0, 1.0], sigma=[1.5, 1.5]))[0]
    said = side.values["trend"]
    assert side.key == "rnn.verdict_lambda_above" and said.key == trend
    if factor is not None:
        assert said.values["factor"] == f"{factor:.3f}"


@pytest.mark.parametrize(
    ("sigma", "crossed"), [([0.999, 1.0], True), ([1.0, 0.999], True), ([0.999, 0.9999], False), ([1.0, 1.2], False)]
)
def test_crossing_one_during_training_needs_a_value_on_each_side(sigma, crossed):
    said = [s.key for s in rnn_view.lambda_verdict(fabricated([0.2, 0.3], sigma=sigma))]
    assert ("rnn.lambda_crossed" in said) is crossed


@pytest.mark.parametrize(
    ("advantage", "key", "ratio"),
    [
        (1.01, "rnn.verdict_lstm_more", "1.01e+00"),
        (1 / 1.01, "rnn.verdict_lstm_less", "1.01e+00"),
        (1.0, None, None),
        (2.0, "rnn.verdict_lstm_more", "2.0e+00"),
    ],
)
def test_which_cell_keeps_more_on_either_side_of_equal(advantage, key, ratio):
    rnn = fabricated([0.2], grads=[1e-3, 1e-2, 1e-1, 1.0])
    lstm = fabricated([0.2], grads=[advantage * 1e-3, 1e-2, 1e-1, 1.0])
    said = rnn_view.profile_verdict(rnn, lstm, 0)
    assert said[0].values["reach_rnn"] == "1.0e-03"
    assert [s.key for s in said[1:]] == ([key] if key else [])
    if key:
        assert said[1].values["ratio"] == ratio  # never "1.0e+00 times larger"
