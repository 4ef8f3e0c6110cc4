"""The pretraining page states its three verdicts on either side of their thresholds, read from the text a
reader sees. A real tiny pretraining run is made first; then its tables are set so that the measured
figures land just inside or just outside a threshold (layer 1's starting signal in the pretrained arm is
the random arm's times a chosen gain; the last ten recorded losses of each arm are set, around a chosen mean): the page computes
the figures and the verdict from those tables, as it would from any run.

The thresholds are written out independently of the lesson: a gain within ×1.1 either way is "about the
same"; final losses within 0.02 nats are "about the same"; both above 0.68 nats are "near a guess".
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np
import pytest

from explorer.lessons import pretrain
from tests.app.boundary import own_cache, read
from tests.app.helpers import info_text, open_page, t

SAME_SIGNAL, SAME_LOSS, NEAR_GUESS = 1.1, 0.02, 0.68
TINY = pretrain.PretrainConfig(depth=2, width=4, pretrain_steps=2, steps=12, batch_size=16)
SPREAD = 0.01 * np.array([-9, 1, 1, 1, 1, 1, 1, 1, 1, 1])
real_run = functools.cache(pretrain.run_pretraining)


def with_figures(gain: float, p: float, r: float):
    """run_pretraining stand-in: the real tiny run, with layer 1's step-0 signal of the pretrained arm set to
    `gain` times the random arm's and the final losses (mean of the last ten recorded steps) set to p and r."""

    def fake(config: pretrain.PretrainConfig) -> pretrain.PretrainResult:
        result = real_run(config)
        layers, steps = result.layers.copy(), result.steps.copy()
        first = (layers.step == 0) & (layers.layer == 1)
        random_signal = float(layers.loc[first & (layers.arm == "random"), "signal_norm"].iloc[0])
        layers.loc[first & (layers.arm == "pretrained"), "signal_norm"] = gain * random_signal
        for arm, loss in (("pretrained", p), ("random", r)):
            tail = steps.index[steps.arm == arm][-10:]
            steps.loc[tail, "loss"] = loss + SPREAD  # their mean is `loss`, their median is not
        return replace(result, layers=layers, steps=steps)

    fake.__module__, fake.__qualname__ = (
        pretrain.run_pretraining.__module__,
        "run_pretraining",
    )  # as ui.cached resolves it
    return fake


def random_signal_of(config: pretrain.PretrainConfig) -> float:
    layers = real_run(config).layers
    return float(layers[(layers.step == 0) & (layers.layer == 1) & (layers.arm == "random")].signal_norm.iloc[0])


# (gain, p, r, word, loss kind, near a guess): each threshold just inside and just outside
CASES = [
    (SAME_SIGNAL * 1.01, 0.300, 0.300 + SAME_LOSS * 0.99, "larger", "same", False),
    (SAME_SIGNAL * 0.99, 0.300, 0.300 + SAME_LOSS * 1.01, "same", "better", False),
    (0.99 / SAME_SIGNAL, 0.300 + SAME_LOSS * 1.01, 0.300, "smaller", "worse", False),
    (1.01 / SAME_SIGNAL, 0.690, NEAR_GUESS + 0.001, "same", "same", True),
    (1.0, 0.690, NEAR_GUESS - 0.001, "same", "same", False),
]


@pytest.mark.parametrize(("gain", "p", "r", "word", "loss", "guess"), CASES)
def test_the_page_states_each_verdict_on_either_side_of_its_threshold(monkeypatch, gain, p, r, word, loss, guess):
    own_cache(monkeypatch, f"pretrain-{gain}-{p}-{r}")  # the doctored run stays out of other tests' cache
    monkeypatch.setattr(pretrain, "run_pretraining", with_figures(gain, p, r))
    config = TINY.replace(seed=7300 + CASES.index((gain, p, r, word, loss, guess)))  # a cache entry of its own
    at = open_page("pages/pretraining.py", config.to_query())
    assert not at.exception, at.exception
    text = info_text(at)

    random_signal = random_signal_of(config)
    factor = {"larger": f"{gain:.3g}", "smaller": f"{1 / gain:.3g}", "same": None}[word]
    said_word = t(f"pretrain.word_{word}", **({"factor": factor} if factor else {}))
    p_signal, r_signal = f"{gain * random_signal:.2e}", f"{random_signal:.2e}"
    assert t("pretrain.verdict_signal", p=p_signal, r=r_signal, word=said_word) in text, text
    for other in {"larger", "smaller", "same"} - {word}:  # no other wording of the gain
        assert t(f"pretrain.word_{other}", factor="X").split("X")[-1] not in text

    said_loss = t(f"pretrain.verdict_loss_{loss}", steps=config.steps, p=f"{p:.3f}", r=f"{r:.3f}")
    assert said_loss in text, text
    assert [k for k in ("same", "better", "worse") if read(f"pretrain.verdict_loss_{k}", text) is not None] == [loss]
    assert (t("pretrain.verdict_chance") in text) is guess
