"""RunConfig: the frozen description of one training run, its validation, and its URL form.

A RunConfig is the cache key of a run, so everything that changes the numbers lives here and nothing
mutates it. `from_query` is the one door for untrusted strings (a URL): it never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from explorer.engine import query

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "linear")
INITS = ("lecun", "xavier", "he", "orthogonal", "uniform")
NORMS = ("none", "batch", "layer")
OPTIMIZERS = ("sgd", "momentum", "adam")
DATASETS = ("spirals", "moons", "circles", "xor", "gaussians")

# Every dataset has this many points; a batch is drawn from them.
N_SAMPLES = 1024

# A shared demo bounds the time of any one run. The estimate has two parts, measured on the project's
# 2-core machine (python -m benchmarks prints the estimate beside the measured time): Python and autograd
# overhead per layer and step, and the matmul work, which takes over for wide layers and large batches.
SECONDS_PER_LAYER_STEP = 1.2e-4
WORK_UNITS_PER_SECOND = 2.0e10
MAX_RUN_SECONDS = 15.0


@dataclass(frozen=True)
class RunConfig(query.Config):
    depth: int = 10
    width: int = 64
    activation: str = "sigmoid"
    init: str = "lecun"
    init_scale: float = 1.0
    bias_std: float = 0.0  # hidden biases ~ N(0, bias_std^2); at 0 they are zeros and nothing is drawn
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

    RULES: ClassVar[Mapping[str, Any]] = {
        "depth": query.Int(1, 64),
        "width": query.Int(2, 256),
        "activation": query.Choice(ACTIVATIONS),
        "init": query.Choice(INITS),
        "init_scale": query.Float(0.05, 8.0),
        "bias_std": query.Float(0.0, 2.0),
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

    @classmethod
    def across(cls, values: Mapping[str, Any], rules: Mapping[str, Any]) -> list[query.Crossed]:
        """At most `depth` layers can be frozen."""
        depth, frozen = values["depth"], values["freeze_first"]
        if frozen <= depth:
            return []
        low = rules["freeze_first"].low
        return [
            query.Crossed("freeze_first", f"must be at most depth ({depth}), got {frozen}", f"{low} … {depth}", depth)
        ]

    def work_units(self) -> float:
        """Multiply-adds of the forward and backward passes over the whole run, roughly."""
        per_step = self.batch_size * (2 * self.width + self.depth * self.width**2 + 2 * self.width)
        return 3.0 * per_step * max(self.steps, 1)

    def estimated_seconds(self) -> float:
        """What this run should take on the demo machine (one torch thread)."""
        overhead = (self.depth + 1) * (self.steps + 1) * SECONDS_PER_LAYER_STEP
        return overhead + self.work_units() / WORK_UNITS_PER_SECOND

    def bound_problem(self) -> str | None:
        """Why this config is too large for a shared demo, or None when it is within the bound."""
        return bound_problem(self.estimated_seconds())


def run_config_of(config: Any, **fixed: Any) -> RunConfig:
    """The RunConfig a lesson's config describes: its fields that RunConfig shares, and `fixed` ones."""
    shared = {name: value for name, value in config.values().items() if name in RunConfig.RULES}
    return RunConfig(**{**shared, **fixed})


def bound_problem(seconds: float) -> str | None:
    """The one bound on a page's compute: None within MAX_RUN_SECONDS, else why (in English)."""
    if seconds <= MAX_RUN_SECONDS:
        return None
    return (
        f"This would take about {seconds:.0f} s; a shared demo allows {MAX_RUN_SECONDS:.0f} s per page. "
        "Reduce depth, width, steps or batch size."
    )
