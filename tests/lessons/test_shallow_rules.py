"""The shallow-net lesson without training: compare_frozen on two hand-built runs (the engine's `run`
replaced), whose gaps, losses and signal are known by construction, and the verdict's sentences from
hand-built comparisons either side of each of its rules: overlap, the 50/50-guess note at 0.97 ln 2, the
Adam note, and no verdict for a cut-short or empty comparison. Also the page's link rules and its size.
Fast unit tests: mutmut runs them for every mutant of shallow.py."""

from __future__ import annotations

import dataclasses
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from explorer import RunConfig
from explorer.lessons import shallow
from explorer.lessons.shallow import FLOWING, VANISHING, FrozenComparison

LN2 = math.log(2)
GUESS = 0.97 * LN2  # the 50/50-guess note's threshold, written out


def fake_run(losses_by_frozen: dict[int, list[float]], *, diverged: set[int] = frozenset(), signal=(1e-3, 1.0)):
    """run(config) stand-in: the loss curve of the run with `freeze_first` k (steps 0, 1, 2, ...), accuracy
    1 - loss, and a per-layer table whose step-0 signal is signal[0] at layer 1 and signal[1] at the last
    hidden layer (at later steps layer 1's is 10x larger); layer l's update ratio is l / 1000 at every step
    but the last."""

    def run(config: RunConfig, **_):
        loss = np.asarray(losses_by_frozen[config.freeze_first], dtype=float)
        steps = pd.DataFrame({"step": np.arange(len(loss)), "loss": loss, "accuracy": 1 - loss})
        rows = []
        for step in range(len(loss)):
            for layer in range(1, config.depth + 2):
                if layer == 1:
                    signal_norm = signal[0] * (1 if step == 0 else 10)
                elif layer == config.depth:
                    signal_norm = signal[1]
                else:
                    signal_norm = 0.5
                update = layer / 1000 if step < len(loss) - 1 else math.nan
                rows.append({"step": step, "layer": layer, "signal_norm": signal_norm, "update_ratio": update})
        layers = pd.DataFrame(rows, columns=["step", "layer", "signal_norm", "update_ratio"]).astype(
            {"signal_norm": float, "update_ratio": float}
        )
        return SimpleNamespace(steps=steps, layers=layers, diverged_at=1 if config.freeze_first in diverged else None)

    return run


CONFIG = RunConfig(depth=4, width=8, steps=3, freeze_first=2)


def test_compare_frozen_measures_the_gap_the_losses_and_the_signal(monkeypatch):
    monkeypatch.setattr(shallow, "run", fake_run({0: [0.69, 0.5, 0.3, 0.2], 2: [0.69, 0.52, 0.35, 0.21]}))
    result = shallow.compare_frozen(CONFIG)
    assert result.config == CONFIG
    assert result.max_gap == pytest.approx(0.05)  # at step 2
    assert result.mean_gap == pytest.approx((0 + 0.02 + 0.05 + 0.01) / 4)
    assert result.overlap is False  # 0.05 nats > 3% of ln 2 (0.0208)
    assert result.signal_ratio == pytest.approx(1e-3)  # layer 1 over layer 4 at step 0
    assert (result.loss_start, result.loss_deep, result.loss_frozen) == pytest.approx((0.69, 0.2, 0.21))
    assert (result.accuracy_deep, result.accuracy_frozen) == pytest.approx((0.8, 0.79))
    assert result.diverged is False
    assert result.curves.net.tolist() == ["deep"] * 4 + ["frozen"] * 4
    assert result.curves.loss.tolist() == [0.69, 0.5, 0.3, 0.2, 0.69, 0.52, 0.35, 0.21]
    assert list(result.curves.columns) == ["step", "loss", "accuracy", "net"]
    assert result.curves.index.tolist() == list(range(8))  # one table: each row labelled once, not 0..3 twice
    # the deep net's mean update ratio per layer (the last step applies none), output layer last
    assert result.speeds.layer.tolist() == [1, 2, 3, 4, 5]
    assert result.speeds.update_ratio.tolist() == pytest.approx([0.001, 0.002, 0.003, 0.004, 0.005])


def test_compare_frozen_overlaps_below_the_threshold(monkeypatch):
    gap = 0.99 * 0.03 * LN2
    monkeypatch.setattr(shallow, "run", fake_run({0: [0.69, 0.6, 0.5], 2: [0.69, 0.6 + gap, 0.5]}))
    result = shallow.compare_frozen(CONFIG)
    assert result.max_gap == pytest.approx(gap) and result.overlap is True


def test_curves_exactly_the_threshold_apart_do_not_overlap(monkeypatch):
    """Overlap means a largest gap below OVERLAP_NATS: a gap of exactly the threshold is a separation."""
    threshold = shallow.OVERLAP_NATS
    monkeypatch.setattr(shallow, "run", fake_run({0: [0.0, 0.0], 2: [threshold, 0.0]}))
    result = shallow.compare_frozen(CONFIG)
    assert result.max_gap == threshold and result.overlap is False


def test_compare_frozen_of_a_diverged_run_is_cut_to_the_common_steps_and_never_overlaps(monkeypatch):
    # the frozen run overflowed after step 1: only steps 0 and 1 are in both
    monkeypatch.setattr(shallow, "run", fake_run({0: [0.69, 0.6, 0.5], 2: [0.69, 0.6]}, diverged={2}))
    result = shallow.compare_frozen(CONFIG)
    assert result.diverged is True and result.overlap is False
    assert result.max_gap == 0.0 and result.loss_deep == pytest.approx(0.6)
    monkeypatch.setattr(shallow, "run", fake_run({0: [0.69, 0.6], 2: [0.69, 0.6]}, diverged={0}))
    assert shallow.compare_frozen(CONFIG).diverged is True  # the deep run's overflow counts too


def test_compare_frozen_with_no_common_step_has_no_figures(monkeypatch):
    monkeypatch.setattr(shallow, "run", fake_run({0: [], 2: []}, diverged={0, 2}))
    result = shallow.compare_frozen(CONFIG)
    for figure in ("mean_gap", "max_gap", "signal_ratio", "loss_start", "loss_deep", "loss_frozen"):
        assert math.isnan(getattr(result, figure)), figure
    assert math.isnan(result.accuracy_deep) and math.isnan(result.accuracy_frozen)
    assert [s.key for s in shallow.verdict(result)] == ["shallow.diverged"]


def test_gap_is_mean_and_max_of_the_absolute_difference():
    deep, frozen = pd.Series([0.5, 0.4, 0.3]), pd.Series([0.5, 0.45, 0.2])
    assert shallow.gap(deep, frozen) == pytest.approx((0.05, 0.1))
    assert shallow.gap(frozen, deep) == pytest.approx((0.05, 0.1))
    assert all(math.isnan(v) for v in shallow.gap(pd.Series([], dtype=float), pd.Series([], dtype=float)))


# ----- the verdict ----------------------------------------------------------------------------------------


def comparison(**changes) -> FrozenComparison:
    """A learned comparison whose curves overlap: depth 10, 7 frozen, losses well below ln 2."""
    base = FrozenComparison(
        config=RunConfig(depth=10, freeze_first=7),
        curves=pd.DataFrame(),
        speeds=pd.DataFrame(),
        mean_gap=0.004,
        max_gap=0.01,
        overlap=True,
        signal_ratio=2e-4,
        loss_start=0.69,
        loss_deep=0.30,
        loss_frozen=0.31,
        accuracy_deep=0.9,
        accuracy_frozen=0.88,
        diverged=False,
    )
    return dataclasses.replace(base, **changes)


def test_the_overlap_verdict_states_every_measured_number():
    (said,) = shallow.verdict(comparison())
    assert said.key == "shallow.verdict_overlap" and said.kind == "markdown"
    assert said.values == {
        "max_gap": 0.01,
        "mean_gap": 0.004,
        "signal": 2e-4,
        "k": 7,
        "rest": 3,
        "loss_start": 0.69,
        "loss_deep": 0.30,
        "loss_frozen": 0.31,
        "accuracy_deep": 0.9,
        "accuracy_frozen": 0.88,
    }


def test_separate_curves_get_the_separate_verdict():
    said = shallow.verdict(comparison(overlap=False, max_gap=0.2))
    assert [s.key for s in said] == ["shallow.verdict_separate"]


@pytest.mark.parametrize(
    ("deep", "frozen", "noted"),
    [
        (0.30, math.nextafter(GUESS, 1.0), True),  # the frozen net alone is at a 50/50 guess
        (math.nextafter(GUESS, 1.0), 0.30, True),
        (GUESS, GUESS, False),  # at the threshold: not above it
        (0.30, 0.31, False),
    ],
)
def test_the_guess_note_when_a_final_loss_is_above_097_ln_2(deep, frozen, noted):
    said = shallow.verdict(comparison(loss_deep=deep, loss_frozen=frozen))
    notes = [s for s in said if s.key == "shallow.no_learning"]
    assert bool(notes) == noted
    if noted:
        assert notes[0].values == {"rest": 3} and notes[0].kind == "caption"


@pytest.mark.parametrize(
    ("optimizer", "overlap", "noted"), [("adam", False, True), ("adam", True, False), ("sgd", False, False)]
)
def test_the_adam_note_only_when_adam_curves_separate(optimizer, overlap, noted):
    config = RunConfig(depth=10, freeze_first=7, optimizer=optimizer)
    said = shallow.verdict(comparison(config=config, overlap=overlap))
    notes = [s for s in said if s.key == "shallow.adam_note"]
    assert len(notes) == noted
    if noted:
        assert notes[0].kind == "caption" and said[-1] == notes[0]


def test_a_cut_short_comparison_gets_only_a_warning():
    assert shallow.verdict(comparison(diverged=True)) == [shallow.Sentence("shallow.diverged", kind="warning")]


@pytest.mark.parametrize(
    "figure", ["max_gap", "mean_gap", "signal_ratio", "loss_start", "loss_deep", "accuracy_frozen"]
)
@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_a_comparison_missing_a_figure_gets_only_a_warning(figure, value):
    said = shallow.verdict(comparison(**{figure: value}))
    assert said == [shallow.Sentence("shallow.nothing_recorded", kind="warning")]


# ----- the page's link rules and size -------------------------------------------------------------------


def test_the_page_link_reads_frozen_and_keeps_one_frozen_layer_and_one_step():
    assert shallow.from_query({}) == (VANISHING, [])
    assert shallow.from_query({"frozen": "3"})[0] == VANISHING.replace(freeze_first=3)
    config, problems = shallow.from_query({"freeze_first": "0", "steps": "0", "depth": "1"})
    assert config == VANISHING
    assert [p.field for p in problems] == ["depth", "steps", "freeze_first"]
    assert [p.allowed for p in problems] == ["2 … 64", "1 … 2000", "1 … 64"]


def test_a_comparison_costs_two_unfrozen_runs():
    config = VANISHING.replace(depth=6, freeze_first=6)
    assert shallow.estimated_seconds(config) == pytest.approx(2 * config.replace(freeze_first=0).estimated_seconds())


def test_the_references_are_the_cases_the_reader_is_not_looking_at():
    assert shallow.references(VANISHING) == {"flowing": FLOWING}
    assert shallow.references(FLOWING) == {"vanishing": VANISHING}
    mine = VANISHING.replace(depth=12)
    assert shallow.references(mine) == {"vanishing": VANISHING, "flowing": FLOWING}
    assert shallow.view_seconds(mine) == pytest.approx(
        shallow.estimated_seconds(mine) + shallow.estimated_seconds(VANISHING) + shallow.estimated_seconds(FLOWING)
    )
    assert shallow.view_seconds(FLOWING) == pytest.approx(2 * shallow.estimated_seconds(FLOWING))


def test_the_reference_cases_are_the_documented_ones():
    assert RunConfig(depth=10, width=32, lr=0.5, batch_size=128, dataset="moons", freeze_first=7) == VANISHING
    assert VANISHING.replace(activation="relu", init="he", lr=0.05) == FLOWING
    assert pytest.approx(0.03 * LN2, rel=1e-15) == shallow.OVERLAP_NATS
    assert shallow.NO_LEARNING == 0.97
