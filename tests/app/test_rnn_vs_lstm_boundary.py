"""The RNN-vs-LSTM page states its verdicts on either side of each threshold, read from the text a reader sees.

- λ₁ at step 0 just below and just above 1, on real tiny runs: the recurrent scale is chosen from the
  initial W_hh's largest singular value, computed here with numpy's SVD (λ₁ is linear in the scale).
- Learned (90%), near guessing (chance + 0.1), which cell keeps more of the gradient at t = 1: real tiny
  runs whose held-out accuracies and ‖∂L/∂h₁‖ at step 0 are then set one held-out sample, or 1%, either
  side of the threshold. The page computes the verdicts from those tables as from any run.

Expected sentences are built from the catalogue with numbers computed here from the raw tables.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np
import pytest

from explorer.lessons import recurrent
from explorer.lessons.recurrent import EVAL_SIZE, SequenceConfig, canonical
from tests.app.boundary import own_cache
from tests.app.helpers import open_page, t, text_of

PAGE = "pages/rnn_vs_lstm.py"
TINY = SequenceConfig(seq_len=8, hidden=8, steps=12)
LEARNED, CHANCE, NEAR, ONE = 0.9, 0.25, 0.1, 1 / EVAL_SIZE
real_run = functools.cache(recurrent.run_sequence)


def initial_lambda(config: SequenceConfig) -> float:
    """λ₁ of the RNN's initial W_hh: numpy's largest singular value of the initialised weights."""
    model, _, _ = recurrent.initialise(canonical(config))
    return float(np.linalg.svd(model.core.weight_hh_l0.detach().double().numpy(), compute_uv=False)[0])


def reach_at_start(config: SequenceConfig) -> float:
    """‖∂L/∂h₁‖ / ‖∂L/∂h_T‖ at step 0, read from the raw table by t."""
    grads = real_run(config).time_grads
    at = grads[grads.step == 0].set_index("t").grad_norm
    return float(at[1] / at[config.seq_len])


@pytest.mark.parametrize("side", [-1, 1])
def test_lambda_just_below_one_guarantees_vanishing_and_just_above_guarantees_nothing(side):
    unit = TINY.replace(recurrent_scale=1.0, seed=11)
    scale = round((1 + side * 0.005) / initial_lambda(unit), 4)
    config = unit.replace(recurrent_scale=scale)
    lam = initial_lambda(config)
    assert (lam < 1) is (side < 0) and abs(lam - 1) < 0.01
    at = open_page(PAGE, config.to_query())
    assert not at.exception, at.exception
    text, T = text_of(at), config.seq_len
    reach = reach_at_start(canonical(config))
    if side < 0:
        expected = t(
            "rnn.verdict_lambda_below", lam=f"{lam:.3f}", T=T, bound=f"{lam ** (T - 1):.1e}", reach=f"{reach:.1e}"
        )
        assert expected in text and "at or above 1" not in text
    else:
        assert reach < 1  # tanh′ < 1: vanished although the bound guarantees nothing
        factor = reach ** (1 / (T - 1))
        trend = t("rnn.trend_vanished", factor=f"{factor:.3f}")
        assert t("rnn.verdict_lambda_above", lam=f"{lam:.3f}", reach=f"{reach:.1e}", trend=trend) in text
        assert "below 1: vanishing is guaranteed" not in text


def doctored(advantage: float):
    """run_sequence stand-in: the real tiny run, with its held-out accuracies set (all 0.3, the last one set
    per cell) and, for the LSTM with forget bias 1, ‖∂L/∂h₁‖ at step 0 set to `advantage` times the
    RNN's share."""
    finals = {("rnn", None): CHANCE + NEAR - ONE, 0.0: LEARNED - ONE, 1.0: LEARNED, 3.0: CHANCE + NEAR + ONE}

    def fake(config: SequenceConfig):
        result = real_run(config)
        steps = result.steps.assign(accuracy=0.3)
        steps.loc[steps.index[-1], "accuracy"] = finals[("rnn", None) if config.cell == "rnn" else config.forget_bias]
        grads = result.time_grads.copy()
        if config.cell == "lstm" and config.forget_bias == 1.0:
            first, last = (grads.step == 0) & (grads.t == 1), (grads.step == 0) & (grads.t == config.seq_len)
            rnn_reach = reach_at_start(canonical(config.replace(cell="rnn")))
            grads.loc[first, "grad_norm"] = advantage * rnn_reach * float(grads.loc[last, "grad_norm"].iloc[0])
        return replace(result, steps=steps, time_grads=grads)

    fake.__module__, fake.__qualname__ = recurrent.run_sequence.__module__, "run_sequence"  # as ui.cached resolves it
    return fake


@pytest.mark.parametrize(("advantage", "more"), [(1.01, True), (0.99, False)])
def test_outcomes_and_which_cell_keeps_more_on_either_side_of_their_thresholds(monkeypatch, advantage, more):
    own_cache(monkeypatch, f"rnn-{advantage}")  # the doctored runs stay out of other tests' cache
    monkeypatch.setattr(recurrent, "run_sequence", doctored(advantage))
    config = TINY.replace(seed=4100)
    at = open_page(PAGE, config.to_query())
    assert not at.exception, at.exception
    text = text_of(at)

    last = int(real_run(canonical(config)).steps.step.iloc[-1])
    lstm = {b: t("rnn.series_lstm", b=f"{b:g}") for b in (0.0, 1.0, 3.0)}
    rnn = t("rnn.series_rnn")
    expected = [
        t("rnn.outcome_chance", name=rnn, final="35%", chance="25%"),  # 34.8%: within 0.1 of guessing
        t("rnn.outcome_partly", name=lstm[0.0], final="89.8%"),  # one sample short of 90%, and says so
        t("rnn.outcome_learned", name=lstm[1.0], step=last, final="90%"),
        t("rnn.outcome_partly", name=lstm[3.0], final="35%"),  # 35.2%: one sample above near-guessing
    ]
    for line in expected:
        assert f"- {line}" in text, (line, text)

    ratio = advantage if more else 1 / advantage
    said = t("rnn.verdict_lstm_more" if more else "rnn.verdict_lstm_less", ratio=f"{ratio:.2e}")
    assert said in text, text  # 1.01e+00, never "1.0e+00 times larger"
    other = t("rnn.verdict_lstm_less" if more else "rnn.verdict_lstm_more", ratio="X").split("X")[0]
    assert other not in text
