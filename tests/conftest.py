"""Shared fixtures: runs are deterministic, so a run used by several tests is computed once."""

import functools

import pytest

from explorer import RunConfig, run


@functools.cache
def cached_run(**fields):
    return run(RunConfig(**fields))


@pytest.fixture
def measured():
    """`measured(**fields)` -> RunResult, memoised across the session."""
    return cached_run


def signal_at_step(result, step=0):
    """Per-layer signal_norm at a step, indexed by layer."""
    layers = result.layers
    return layers[layers.step == step].set_index("layer")
