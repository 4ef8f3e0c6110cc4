"""The tour's "the run still shows what the explanation says" checks at their thresholds, for the steps
that judge a signal ratio against mean-field theory: the measurement is set by hand (tour_runs._signal
replaced), just inside and just outside each threshold. Thresholds, written out from the explanations:
vanishing below 10⁻⁴, exploding above 100, ReLU with LeCun below 10⁻² while He's lies within 0.5…2, and
the measurement within one decade of the prediction.
"""

from __future__ import annotations

import pytest

from explorer.engine.config import RunConfig
from explorer.lessons import tour_runs


def with_signal(monkeypatch, measured: float, predicted: float | None, he: float = 1.0) -> None:
    def signal(config: RunConfig):
        return (
            (he, 1.0)
            if config.init == "he" and config.activation == "relu" and config.depth == 30
            else (measured, predicted)
        )

    monkeypatch.setattr(tour_runs, "_signal", signal)


@pytest.mark.parametrize(
    ("measured", "predicted", "holds"),
    [
        (0.99e-4, 0.99e-4, True),
        (1.01e-4, 1.01e-4, False),  # not vanishing enough
        (1e-6, 1e-6 * 10**0.99, True),
        (1e-6, 1e-6 * 10**1.01, False),  # theory more than a decade off
        (1e-6, 1e-6 / 10**1.01, False),
        (1e-6, None, False),  # no prediction to agree with
    ],
)
def test_vanish_holds_below_1e_4_and_within_a_decade_of_theory(monkeypatch, measured, predicted, holds):
    with_signal(monkeypatch, measured, predicted)
    found = tour_runs.vanish(RunConfig(steps=0))
    assert found.holds is holds
    assert (found.value, found.theory) == (measured, predicted)
    assert dict(found.figures)["factor"] == pytest.approx(measured ** (1 / 9))  # 10 layers: 9 steps back


@pytest.mark.parametrize(("measured", "holds"), [(101.0, True), (100.0, False), (99.0, False)])
def test_explode_holds_above_100(monkeypatch, measured, holds):
    with_signal(monkeypatch, measured, measured)
    assert tour_runs.explode(RunConfig(depth=20, activation="relu", init="he", init_scale=1.5, steps=0)).holds is holds


@pytest.mark.parametrize(
    ("measured", "he", "holds"),
    [
        (0.99e-2, 1.0, True),
        (1.01e-2, 1.0, False),
        (1e-4, 0.51, True),
        (1e-4, 0.49, False),
        (1e-4, 1.99, True),
        (1e-4, 2.01, False),
    ],
)
def test_relu_holds_when_lecun_vanishes_and_he_stays_level(monkeypatch, measured, he, holds):
    with_signal(monkeypatch, measured, measured, he=he)
    found = tour_runs.relu(RunConfig(depth=30, activation="relu", init="lecun", steps=0))
    assert found.holds is holds and dict(found.references)["he"] == he
