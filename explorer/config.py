"""RunConfig: the frozen description of one training run, its validation, and its URL form.

A RunConfig is the cache key of a run, so everything that changes the numbers lives here and nothing
mutates it. `from_query` is the one door for untrusted strings (a URL): it never raises.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from explorer import query

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "linear")
INITS = ("lecun", "xavier", "he", "orthogonal", "uniform")
NORMS = ("none", "batch", "layer")
OPTIMIZERS = ("sgd", "momentum", "adam")
DATASETS = ("spirals", "moons", "circles", "xor", "gaussians")

# Every dataset has this many points; a batch is drawn from them.
N_SAMPLES = 1024

# Public-demo bound on one run's work: depth x width^2 x steps x batch multiply-adds ~ proportional.
# The largest allowed config (64 x 256 x 2000 x 1024) is far beyond it; see `work_units`.
MAX_WORK_UNITS = 2.0e12


@dataclass(frozen=True)
class RunConfig:
    depth: int = 10
    width: int = 64
    activation: str = "sigmoid"
    init: str = "lecun"
    init_scale: float = 1.0
    norm: str = "none"
    residual: bool = False
    optimizer: str = "sgd"
    lr: float = 0.1
    steps: int = 300
    batch_size: int = 256
    clip_norm: float | None = None
    weight_decay: float = 0.0
    dataset: str = "spirals"
    seed: int = 0
    freeze_first: int = 0

    def __post_init__(self) -> None:
        query.validate(self, _RULES)
        if self.freeze_first > self.depth:
            raise ValueError(f"freeze_first: must be at most depth ({self.depth}), got {self.freeze_first}")

    def replace(self, **changes: Any) -> RunConfig:
        return dataclasses.replace(self, **changes)

    def to_query(self) -> dict[str, str]:
        """Every field as a string, in a form `from_query` reads back to an equal config."""
        return query.to_query(self, _RULES)

    @classmethod
    def from_query(cls, raw_query: Mapping[str, Any]) -> tuple[RunConfig, list[str]]:
        """Parse untrusted strings. Never raises: each bad field falls back to its default, with a note."""
        values, problems = query.parse_query(cls, _RULES, raw_query)
        try:
            return cls(**values), problems
        except ValueError as err:  # a cross-field rule (freeze_first <= depth): drop the dependent field
            values.pop("freeze_first", None)
            problems.append(f"freeze_first ignored: {query.reason(err, 'freeze_first')}")
            return cls(**values), problems

    def work_units(self) -> float:
        """Multiply-adds of a run, roughly: what bounds its time on a shared demo."""
        per_step = self.batch_size * (2 * self.width + self.depth * self.width**2 + 2 * self.width)
        return 3.0 * per_step * max(self.steps, 1)

    def bound_problem(self) -> str | None:
        """Why this config is too large for a shared demo, or None when it is within the bound."""
        if self.work_units() <= MAX_WORK_UNITS:
            return None
        return (
            f"This run needs about {self.work_units():.1e} multiply-adds; the demo allows {MAX_WORK_UNITS:.0e}. "
            "Reduce depth, width, steps or batch size."
        )


_RULES: dict[str, Any] = {
    "depth": query.Int(1, 64),
    "width": query.Int(2, 256),
    "activation": query.Choice(ACTIVATIONS),
    "init": query.Choice(INITS),
    "init_scale": query.Float(0.05, 8.0),
    "norm": query.Choice(NORMS),
    "residual": query.Bool(),
    "optimizer": query.Choice(OPTIMIZERS),
    "lr": query.Float(0.0, 10.0, low_inclusive=False),
    "steps": query.Int(0, 2000),
    "batch_size": query.Int(8, N_SAMPLES),
    "clip_norm": query.Float(0.0, 1e6, low_inclusive=False, optional=True),
    "weight_decay": query.Float(0.0, 1.0),
    "dataset": query.Choice(DATASETS),
    "seed": query.Int(0, 2**31 - 1),
    "freeze_first": query.Int(0, 64),
}
