"""The RNN-vs-LSTM page's view, pure: its runs and their summed time, and each verdict's choice near its
boundary (from fabricated results) and on real runs (numbers from the same result)."""

import functools
import math

import pandas as pd
import pytest

from explorer.engine.config import MAX_RUN_SECONDS
from explorer.lessons import rnn_view
from explorer.lessons.recurrent import SequenceConfig, SequenceResult, per_step_factor, reach, run_sequence

SMALL = SequenceConfig(seq_len=12, hidden=8, steps=20)


@functools.cache
def ran(config: SequenceConfig) -> SequenceResult:
    return run_sequence(config)


def fabricated(accuracy: list[float], grads: list[float] | None = None, sigma: list[float] | None = None):
    """A result with given held-out accuracies, ‖∂L/∂h_t‖ at step 0 (t = 1 … T) and λ₁ per recorded step."""
    grads = grads or [1e-3, 1e-2, 1e-1, 1.0]
    sigma = sigma or [0.5] * len(accuracy)
    steps = list(range(len(accuracy)))
    config = SequenceConfig(seq_len=len(grads), steps=steps[-1])
    return SequenceResult(
        config=config,
        time_grads=pd.DataFrame({"step": 0, "t": range(1, len(grads) + 1), "grad_norm": grads}),
        steps=pd.DataFrame({"step": steps, "loss": 1.0, "accuracy": accuracy}),
        spectral=pd.DataFrame({"step": steps, "sigma_max": sigma}),
        chance=0.25,
        seconds=0.0,
    )


def test_a_view_runs_the_rnn_and_an_lstm_per_forget_bias_and_sums_their_time():
    rnn, lstms = rnn_view.view_runs(SMALL.replace(forget_bias=2.0))
    assert rnn.cell == "rnn" and sorted(lstms) == [0.0, 1.0, 2.0, 3.0]
    assert all(c.cell == "lstm" and c.forget_bias == b for b, c in lstms.items())
    assert rnn_view.view_seconds(SMALL.replace(forget_bias=2.0)) == pytest.approx(5 * SMALL.estimated_seconds())
    assert rnn_view.view_seconds(SMALL) == pytest.approx(4 * SMALL.estimated_seconds())  # 1.0 is one of the three


def test_the_bound_counts_the_whole_view():
    # one run within the bound, the four runs of its view beyond it: the page refuses the view
    config = SequenceConfig(seq_len=200, hidden=40, steps=600)
    assert not config.too_large()
    assert rnn_view.view_seconds(config) > MAX_RUN_SECONDS
    assert rnn_view.view_seconds(SequenceConfig()) < MAX_RUN_SECONDS


def test_outcome_near_its_boundaries():
    learned = rnn_view.outcome(rnn_view.Sentence("rnn.series_rnn"), fabricated([0.25, 0.9]))
    assert learned.key == "rnn.outcome_learned" and learned.values["step"] == 1
    partly = rnn_view.outcome(rnn_view.Sentence("rnn.series_rnn"), fabricated([0.25, 0.89]))
    assert partly.key == "rnn.outcome_partly" and partly.values["final"] == "89%"
    assert rnn_view.outcome(rnn_view.Sentence("x"), fabricated([0.25, 0.36])).key == "rnn.outcome_partly"
    assert rnn_view.outcome(rnn_view.Sentence("x"), fabricated([0.25, 0.34])).key == "rnn.outcome_chance"


def test_lambda_verdict_below_and_above_one():
    below = rnn_view.lambda_verdict(fabricated([0.2, 0.3], sigma=[0.99, 0.98]))
    assert below[0].key == "rnn.verdict_lambda_below" and below[0].values["lam"] == "0.990"
    assert below[0].values["bound"] == f"{0.99**3:.1e}"  # λ₁^(T−1), T = 4
    assert [s.key for s in below[1:]] == ["rnn.lambda_training"]
    above = rnn_view.lambda_verdict(fabricated([0.2, 0.3], sigma=[1.0, 0.9]))
    assert above[0].key == "rnn.verdict_lambda_above"
    assert above[0].values["trend"].key == "rnn.trend_vanished"  # reach 1e-3 < 1
    assert [s.key for s in above[1:]] == ["rnn.lambda_training", "rnn.lambda_crossed"]
    grew = rnn_view.lambda_verdict(fabricated([0.2, 0.3], grads=[2.0, 1.0], sigma=[1.5, 1.6]))
    assert grew[0].values["trend"].key == "rnn.trend_grew"
    overflow = rnn_view.lambda_verdict(fabricated([0.2, 0.3], grads=[math.inf, 1.0], sigma=[3.0, 3.0]))
    assert overflow[0].values["trend"].key == "rnn.trend_overflow"


def test_profile_verdict_says_which_cell_keeps_more():
    weak, strong = fabricated([0.2], grads=[1e-4, 1.0]), fabricated([0.2], grads=[1e-2, 1.0])
    more = rnn_view.profile_verdict(weak, strong, 0)
    assert [s.key for s in more] == ["rnn.verdict_profile", "rnn.verdict_lstm_more"]
    assert more[1].values["ratio"] == "1.0e+02"
    less = rnn_view.profile_verdict(strong, weak, 0)
    assert less[1].key == "rnn.verdict_lstm_less" and less[1].values["ratio"] == "1.0e+02"
    nothing = rnn_view.profile_verdict(fabricated([0.2], grads=[0.0, 1.0]), strong, 0)
    assert [s.key for s in nothing] == ["rnn.verdict_profile"]  # no ratio against a zero


def test_verdicts_quote_the_measured_numbers_of_real_runs():
    rnn, lstm = ran(SMALL), ran(SMALL.replace(cell="lstm"))
    said = rnn_view.profile_verdict(rnn, lstm, 0)[0].values
    assert said["reach_rnn"] == rnn_view.sci(reach(rnn, 0)) and said["reach_lstm"] == rnn_view.sci(reach(lstm, 0))
    assert said["factor_rnn"] == rnn_view.fixed(per_step_factor(rnn, 0))
    lstms = {b: ran(SMALL.replace(cell="lstm", forget_bias=b)) for b in (0.0, 3.0)}
    rows, verdict = rnn_view.forget_verdict(lstms)
    assert [r.values["b"] for r in rows] == ["0", "3"]
    assert rows[1].values["gate"] == f"{1 / (1 + math.exp(-3.0)):.3f}"
    expected = reach(lstms[3.0], 0) / reach(lstms[0.0], 0)
    assert verdict.values["ratio"] == rnn_view.sci(expected)


def test_number_formats():
    assert (rnn_view.sci(1.23e-5), rnn_view.sci(math.inf), rnn_view.sci(math.nan)) == ("1.2e-05", "∞", "—")
    assert (rnn_view.fixed(0.5), rnn_view.fixed(math.inf)) == ("0.500", "∞")
