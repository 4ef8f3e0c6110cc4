"""What an activation costs: forward and backward time of each activation on one large tensor, measured
with torch.utils.benchmark on the machine that runs this code (the material's §4.1 asks why ELU is slower).
"""

from __future__ import annotations

import math
import platform
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pandas as pd
import torch
from torch.utils import benchmark

from explorer.engine import activations, query, runtime

TIMED_ACTIVATIONS = ("relu", "leaky_relu", "elu", "gelu", "silu", "sigmoid", "tanh")
N_ELEMENTS = 1 << 20  # 1,048,576 float32 values (4 MB): large enough that per-call overhead is small
# Each of the 16 kernels is timed in ROUNDS short blocks of at least ROUND_SECONDS: about 2 s in all.
ROUNDS = 4
ROUND_SECONDS = 0.01
COLUMNS = ["activation", "forward_us", "backward_us", "total_us", "forward_rel", "backward_rel", "total_rel"]


@dataclass(frozen=True)
class CostConfig(query.Config):
    log2_size: int = 20  # the tensor has 2**log2_size elements

    # 4 096 to 4 194 304 elements: small tensors measure per-call overhead, the largest ~16 MB stays quick.
    RULES: ClassVar[Mapping[str, Any]] = {"log2_size": query.Int(12, 22)}

    @property
    def n_elements(self) -> int:
        return 2**self.log2_size


def _timer(stmt: str, **names: object) -> benchmark.Timer:
    return benchmark.Timer(stmt=stmt, globals=dict(names), num_threads=torch.get_num_threads())


def _interleaved_us(timers: dict[str, benchmark.Timer]) -> dict[str, float]:
    """Per timer, the best of ROUNDS short blocked_autorange medians, taken round-robin over all timers.

    On a shared machine other work comes and goes; timing every kernel in each round spreads that
    disturbance over all of them instead of one, and the best round is the least disturbed estimate.
    """
    best = dict.fromkeys(timers, math.inf)
    for _ in range(ROUNDS):
        for key, timer in timers.items():
            best[key] = min(best[key], timer.blocked_autorange(min_run_time=ROUND_SECONDS).median)
    return {key: seconds * 1e6 for key, seconds in best.items()}


def _warm_up(functions, x: torch.Tensor, upstream: torch.Tensor) -> None:
    """Run every kernel a few times before timing: the first calls pay for page faults of fresh output
    buffers and one-off dispatch, which would otherwise land on whichever activation is timed first."""
    for f in functions:
        for _ in range(3):
            torch.autograd.grad(f(x), x, upstream)


def measure_costs(n_elements: int = N_ELEMENTS, seed: int = 0) -> pd.DataFrame:
    """COLUMNS, one row per activation: the time of one forward call f(x) and of one backward call
    (autograd.grad of f(x) w.r.t. x), in microseconds, on x ~ N(0, 1) of n_elements float32 (so about
    half the inputs are negative); *_rel is the time over ReLU's."""
    runtime.configure_threads()
    x = torch.randn(n_elements, generator=torch.Generator().manual_seed(seed))
    x_grad = x.clone().requires_grad_()
    upstream = torch.ones(n_elements)
    modules = {name: activations.make(name) for name in TIMED_ACTIVATIONS}
    _warm_up(modules.values(), x_grad, upstream)
    timers = {}
    for name, f in modules.items():
        timers[f"{name}.forward"] = _timer("f(x)", f=f, x=x)
        y = f(x_grad)  # the graph is kept (retain_graph) so each timed call runs only the backward kernel
        timers[f"{name}.backward"] = _timer(
            "grad(y, x, g, retain_graph=True)", grad=torch.autograd.grad, y=y, x=x_grad, g=upstream
        )
    us = _interleaved_us(timers)
    costs = pd.DataFrame(
        [(name, us[f"{name}.forward"], us[f"{name}.backward"]) for name in TIMED_ACTIVATIONS], columns=COLUMNS[:3]
    )
    costs["total_us"] = costs.forward_us + costs.backward_us
    relu = costs.set_index("activation").loc["relu"]
    for part in ("forward", "backward", "total"):
        costs[f"{part}_rel"] = costs[f"{part}_us"] / relu[f"{part}_us"]
    return costs[COLUMNS]


def measure_elu_by_sign(n_elements: int = N_ELEMENTS, seed: int = 0) -> pd.DataFrame:
    """ELU's forward time on all-positive and on all-negative inputs (same magnitudes): where exp is paid."""
    runtime.configure_threads()
    magnitudes = torch.randn(n_elements, generator=torch.Generator().manual_seed(seed)).abs()
    elu = activations.make("elu")
    for _ in range(3):
        elu(magnitudes), elu(-magnitudes)
    us = _interleaved_us(
        {"positive": _timer("f(x)", f=elu, x=magnitudes), "negative": _timer("f(x)", f=elu, x=-magnitudes)}
    )
    return pd.DataFrame({"inputs": ["positive", "negative"], "forward_us": [us["positive"], us["negative"]]})


def setting() -> dict[str, object]:
    """What the times depend on besides the code and the tensor size: torch threads, CPU architecture."""
    runtime.configure_threads()
    return {"threads": torch.get_num_threads(), "machine": platform.machine(), "torch": torch.__version__}
