"""RunConfig's own rules beyond the field ranges (test_config.py): at most `depth` frozen layers, the
run-time estimate that decides which runs a shared demo refuses (its two documented parts), the bound at
exactly MAX_RUN_SECONDS, and run_config_of."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from explorer import RunConfig
from explorer.engine import config as config_module
from explorer.engine import query
from explorer.engine.config import MAX_RUN_SECONDS, SECONDS_PER_LAYER_STEP, WORK_UNITS_PER_SECOND, run_config_of


@pytest.mark.parametrize("frozen", [0, 5, 6])
def test_up_to_depth_layers_may_be_frozen(frozen):
    assert RunConfig(depth=6, freeze_first=frozen).freeze_first == frozen


def test_one_more_than_depth_is_refused_with_the_range():
    with pytest.raises(ValueError) as err:
        RunConfig(depth=6, freeze_first=7)
    assert str(err.value) == "freeze_first: must be at most depth (6), got 7"
    (crossed,) = RunConfig.across({"depth": 6, "freeze_first": 7}, RunConfig.RULES)
    assert crossed == ("freeze_first", "must be at most depth (6), got 7", "0 … 6", 6)  # fixed to depth


def test_a_link_freezing_more_than_depth_layers_falls_back_with_a_note():
    config, problems = RunConfig.from_query({"depth": "4", "freeze_first": "9"})
    assert config == RunConfig(depth=4, freeze_first=0)
    assert problems == ["freeze_first='9' ignored: must be at most depth (4), got 9"]
    assert problems[0].allowed == "0 … 4"


# ----- the estimate ---------------------------------------------------------------------------------------
# Per sample and step, the forward pass multiplies 2 inputs into `width` units, `width` x `width` for each
# hidden layer (counted `depth` times) and `width` into the 2 outputs; the backward pass costs twice that.


def test_work_counts_the_multiply_adds_of_forward_and_backward():
    small = RunConfig(depth=3, width=4, batch_size=8, steps=10)
    assert small.work_units() == 3 * 8 * (2 * 4 + 3 * 4 * 4 + 4 * 2) * 10  # = 15360
    assert small.work_units() == 15360


def test_work_grows_by_one_square_layer_per_layer_and_linearly_in_batch_and_steps():
    base = RunConfig(depth=5, width=16, batch_size=32, steps=7)
    assert base.replace(depth=6).work_units() - base.work_units() == 3 * 32 * 16 * 16 * 7
    assert base.replace(batch_size=64).work_units() == 2 * base.work_units()
    assert base.replace(steps=14).work_units() == 2 * base.work_units()


def test_a_run_of_zero_steps_still_costs_one_pass():
    config = RunConfig(depth=2, width=8, batch_size=16, steps=0)
    assert config.work_units() == config.replace(steps=1).work_units() == 3 * 16 * (16 + 128 + 16)


def test_the_estimate_is_per_layer_overhead_plus_matmul_work():
    config = RunConfig(depth=7, width=32, batch_size=64, steps=99)
    overhead = (7 + 1) * (99 + 1) * SECONDS_PER_LAYER_STEP  # every layer (and the output) at every step (and 0)
    assert config.estimated_seconds() == pytest.approx(overhead + config.work_units() / WORK_UNITS_PER_SECOND)
    assert (SECONDS_PER_LAYER_STEP, WORK_UNITS_PER_SECOND, MAX_RUN_SECONDS) == (1.2e-4, 2.0e10, 15.0)


def test_the_default_view_is_well_within_the_bound():
    assert RunConfig().estimated_seconds() == pytest.approx(11 * 301 * 1.2e-4 + 3 * 256 * 41216 * 300 / 2e10)
    assert RunConfig().bound_problem() is None


def test_the_bound_is_inclusive_at_max_run_seconds():
    assert config_module.bound_problem(MAX_RUN_SECONDS) is None
    assert config_module.bound_problem(math.nextafter(MAX_RUN_SECONDS, math.inf)) == (
        "This would take about 15 s; a shared demo allows 15 s per page. Reduce depth, width, steps or batch size."
    )
    assert config_module.bound_problem(123.4).startswith("This would take about 123 s;")


def test_a_config_over_the_bound_says_so_and_one_under_does_not():
    largest = RunConfig(depth=64, width=256, batch_size=1024, steps=2000)
    assert largest.estimated_seconds() > MAX_RUN_SECONDS
    assert largest.bound_problem() == config_module.bound_problem(largest.estimated_seconds())
    # the most steps of depth 64, width 256, batch 256 within the bound, and one more
    per_step = RunConfig(depth=64, width=256, batch_size=256, steps=1)
    steps = next(s for s in range(2001) if per_step.replace(steps=s + 1).estimated_seconds() > MAX_RUN_SECONDS)
    assert per_step.replace(steps=steps).bound_problem() is None
    assert per_step.replace(steps=steps + 1).bound_problem() is not None


# ----- run_config_of ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lesson(query.Config):
    depth: int = 3
    lr: float = 0.5
    curve: str = "a"  # not a RunConfig field

    RULES: ClassVar[dict[str, Any]] = {
        "depth": query.Int(1, 8),
        "lr": query.Float(0.0, 1.0),
        "curve": query.Choice(("a",)),
    }


def test_run_config_of_takes_the_shared_fields_and_the_fixed_ones():
    assert run_config_of(Lesson()) == RunConfig(depth=3, lr=0.5)
    assert run_config_of(Lesson(), lr=0.25, steps=0) == RunConfig(depth=3, lr=0.25, steps=0)  # fixed wins
