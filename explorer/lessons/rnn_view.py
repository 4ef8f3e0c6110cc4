"""One view of the RNN-vs-LSTM page, pure: the runs it needs (the RNN and an LSTM per forget bias), their
summed time for the shared bound, and the sentences it says (catalogue keys with the measured numbers)."""

from __future__ import annotations

import math

from explorer.lessons.recurrent import (
    FORGET_BIASES,
    SequenceConfig,
    SequenceResult,
    canonical,
    lambda_at,
    learned_at,
    per_step_factor,
    reach,
)
from explorer.lessons.verdict import Sentence, apart

LEARNED = 0.9  # held-out accuracy that counts as "learned it"
NEAR_CHANCE = 0.1  # final accuracy within this of guessing counts as "did not learn it"


def sci(value: float) -> str:
    """1.2e-05; ∞ for an overflow; — when there is no number."""
    return f"{value:.1e}" if math.isfinite(value) else "∞" if value == math.inf else "—"


def fixed(value: float) -> str:
    return f"{value:.3f}" if math.isfinite(value) else sci(value)


def biases(config: SequenceConfig) -> list[float]:
    """The forget biases the page compares: the fixed ones and the reader's."""
    return sorted({*FORGET_BIASES, config.forget_bias})


def view_runs(config: SequenceConfig) -> tuple[SequenceConfig, dict[float, SequenceConfig]]:
    """The RNN's run and one LSTM run per forget bias."""
    return canonical(config), {b: config.replace(cell="lstm", forget_bias=b) for b in biases(config)}


def view_seconds(config: SequenceConfig) -> float:
    """All the runs of one view, on the demo machine."""
    rnn, lstms = view_runs(config)
    return rnn.estimated_seconds() + sum(c.estimated_seconds() for c in lstms.values())


def lstm_name(bias: float) -> Sentence:
    return Sentence("rnn.series_lstm", {"b": f"{bias:g}"})


def profile_verdict(rnn: SequenceResult, lstm: SequenceResult, step: int) -> list[Sentence]:
    """How much of the gradient reaches t = 1 at a recorded step, for both cells, and which keeps more."""
    r_rnn, r_lstm = reach(rnn, step), reach(lstm, step)
    said = [
        Sentence(
            "rnn.verdict_profile",
            dict(
                step=step,
                T=rnn.config.seq_len,
                reach_rnn=sci(r_rnn),
                factor_rnn=fixed(per_step_factor(rnn, step)),
                reach_lstm=sci(r_lstm),
                factor_lstm=fixed(per_step_factor(lstm, step)),
            ),
        )
    ]
    advantage = r_lstm / r_rnn if 0 < r_rnn < math.inf and math.isfinite(r_lstm) else math.nan
    if advantage > 1:
        said.append(Sentence("rnn.verdict_lstm_more", {"ratio": apart(advantage, ".1e")}))
    elif 0 < advantage < 1:  # exactly equal: neither keeps more
        said.append(Sentence("rnn.verdict_lstm_less", {"ratio": apart(1 / advantage, ".1e")}))
    return said


def lambda_verdict(rnn: SequenceResult) -> list[Sentence]:
    """λ₁ at step 0 against Pascanu's bound (below 1 vanishing is guaranteed), and λ₁ over training."""
    T, lam0 = rnn.config.seq_len, lambda_at(rnn, 0)
    reach0, factor0 = reach(rnn, 0), per_step_factor(rnn, 0)
    if lam0 < 1:
        side = Sentence(
            "rnn.verdict_lambda_below", dict(lam=fixed(lam0), T=T, bound=sci(lam0 ** (T - 1)), reach=sci(reach0))
        )
    else:
        trend = "rnn.trend_vanished" if reach0 < 1 else "rnn.trend_grew" if reach0 < math.inf else "rnn.trend_overflow"
        side = Sentence(
            "rnn.verdict_lambda_above",
            dict(lam=fixed(lam0), reach=sci(reach0), trend=Sentence(trend, {"factor": fixed(factor0)})),
        )
    sigma = rnn.spectral.sigma_max
    said = [
        side,
        Sentence(
            "rnn.lambda_training", dict(start=fixed(lam0), end=fixed(float(sigma.iloc[-1])), step=rnn.config.steps)
        ),
    ]
    if (sigma < 1).any() and (sigma >= 1).any():
        said.append(Sentence("rnn.lambda_crossed"))
    return said


def outcome(name: Sentence, result: SequenceResult) -> Sentence:
    """Did a cell learn the recall task: 90% held-out accuracy reached, near guessing, or in between."""
    final, hit = float(result.steps.accuracy.iloc[-1]), learned_at(result, LEARNED)
    if hit is not None:
        return Sentence("rnn.outcome_learned", dict(name=name, step=hit, final=f"{final:.0%}"))
    if final < result.chance + NEAR_CHANCE:
        return Sentence("rnn.outcome_chance", dict(name=name, final=f"{final:.0%}", chance=f"{result.chance:.0%}"))
    return Sentence("rnn.outcome_partly", dict(name=name, final=apart(final, ".0%", LEARNED)))  # 89.8%, not 90%


def forget_verdict(lstms: dict[float, SequenceResult]) -> tuple[list[Sentence], Sentence]:
    """Per forget bias, σ(b) against the measured factor per step back at step 0; and how far raising the
    bias from the lowest to the highest moved the share of the gradient reaching t = 1."""
    rows = [
        Sentence(
            "rnn.forget_row",
            dict(
                b=f"{b:g}",
                gate=f"{1 / (1 + math.exp(-b)):.3f}",
                factor=fixed(per_step_factor(lstms[b], 0)),
                reach=sci(reach(lstms[b], 0)),
            ),
        )
        for b in sorted(lstms)
    ]
    low, high = min(lstms), max(lstms)
    reach_low, reach_high = reach(lstms[low], 0), reach(lstms[high], 0)
    verdict = Sentence(
        "rnn.forget_verdict",
        dict(
            low=f"{low:g}",
            high=f"{high:g}",
            reach_low=sci(reach_low),
            reach_high=sci(reach_high),
            ratio=sci(reach_high / reach_low) if reach_low > 0 else "—",
        ),
    )
    return rows, verdict
