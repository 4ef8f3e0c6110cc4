"""Remedies change exactly the fields they name, and the comparison quotes the runs' own numbers."""

import dataclasses
import math

import pytest

from explorer import RunConfig
from explorer.lessons.remedies import REMEDIES, RemedyChoice, apply_remedy, compare_remedy, verdict
from tests import oracles


@pytest.mark.parametrize("name", list(REMEDIES))
def test_each_remedy_changes_only_its_fields(name):
    base = RunConfig()
    changed = apply_remedy(base, name)
    differing = {k for k, v in changed.to_query().items() if base.to_query()[k] != v}
    assert differing == set(REMEDIES[name])


def test_unknown_remedy_and_hostile_query():
    with pytest.raises(ValueError, match="^remedy: "):
        apply_remedy(RunConfig(), "magic")
    choice, problems = RemedyChoice.from_query({"remedy": "<b>x</b>"})
    assert choice == RemedyChoice() and len(problems) == 1


def test_residual_rescues_the_input_side_signal(measured):
    base_config = RunConfig(depth=20, width=32, steps=20, batch_size=64)
    remedied_config = apply_remedy(base_config, "residual")
    base = measured(**{**vars(base_config)})
    remedied = measured(**{**vars(remedied_config)})
    figures = compare_remedy(base_config, base, remedied_config, remedied)
    assert figures.changed
    assert figures.input_signal[1] / figures.input_signal[0] > 1e6
    expected = (oracles.signal_ratio(base.layers, 20), oracles.signal_ratio(remedied.layers, 20))
    assert figures.signal_ratio == pytest.approx(expected, rel=1e-12)
    assert figures.input_signal == pytest.approx(
        tuple(oracles.at_step(r.layers, 0, "signal_norm")[1] for r in (base, remedied)), rel=1e-12
    )
    speeds = (oracles.learning_speed_ratio(base.layers, 20), oracles.learning_speed_ratio(remedied.layers, 20))
    assert figures.speed_gap == pytest.approx(speeds, rel=1e-12, nan_ok=True)
    assert figures.final_accuracy[0] == base.steps.accuracy.iloc[-1]


def test_comparison_of_a_run_that_overflowed_at_once(measured):
    config = RunConfig(depth=64, width=256, activation="linear", init_scale=8.0, steps=5, batch_size=8)
    result = measured(**vars(config))
    figures = compare_remedy(config, result, config, result)
    assert not figures.changed and figures.diverged_at == (0, 0)
    assert math.isnan(figures.input_signal[0]) and math.isnan(figures.final_loss[0])


def test_verdict_says_unchanged_only_when_the_base_had_the_remedy(measured):
    config = RunConfig(depth=4, width=16, steps=10, batch_size=64)
    result = measured(**vars(config))
    same = compare_remedy(config, result, config, result)
    keys = [s.key for s in verdict(same, "relu")]
    assert keys == ["compare.unchanged", "compare.verdict", "compare.how_relu"]
    changed = dataclasses.replace(same, changed=True)
    said = verdict(changed, "relu")
    assert [s.key for s in said] == ["compare.verdict", "compare.how_relu"]
    assert said[0].values["acc_before"] == f"{same.final_accuracy[0]:.0%}"
    assert said[0].values["before"] == f"{same.input_signal[0]:.1e}"
